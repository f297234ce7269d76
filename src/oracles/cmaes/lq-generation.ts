/**
 * One generation of lq-CMA-ES (Hansen 2019) in ask/tell form. The generation's λ candidates
 * are drawn once; the model ranks them and only the best-ranked are truly evaluated, in
 * steps of 1, 1, 1, 2, 3, 4, 6, ... (each ⌈half⌉ the count so far; more at first while the
 * archive holds fewer than 4 points). After each step the model is refitted with the new
 * values, and when its Kendall τ against the true values of the most recent
 * max(15, min(1.2·evaluated, 0.75·λ)) points reaches 0.85 the generation is told: every
 * candidate with its model value, shifted so that the best equals the best true value.
 * When all λ are evaluated, their true values are told (plain CMA-ES).
 */
import type { LqData, LqModel } from './lq-model.js';
import { fitLqModel, kendallTau, lqArchiveSize } from './lq-model.js';

const TAU_THRESHOLD = 0.85;

/** A candidate of the generation that was truly evaluated: its trial's point and loss. */
export interface LqEvaluated {
  readonly candidate: number;
  readonly x: Float64Array;
  readonly loss: number;
}

export type LqOutcome =
  | {
      readonly closed: true;
      readonly points: Float64Array[];
      readonly losses: number[];
    }
  | {
      readonly closed: false;
      /** The model ranking the candidates (undefined while fewer than 2 points exist). */
      readonly model: LqModel | undefined;
    };

/** The evaluation counts after which the model is checked: n₀, then n + ⌈n/2⌉, up to λ. */
export function evaluationSteps(populationSize: number, archiveSize: number): number[] {
  const steps: number[] = [];
  let n = Math.floor(1 + Math.max(populationSize * 0.02, 4 - archiveSize));
  for (;;) {
    if (n >= populationSize) return [...steps, populationSize];
    steps.push(n);
    n += Math.ceil(n / 2);
  }
}

/**
 * Where a generation stands. `archive` holds the points evaluated before it, most recent
 * first; `evaluated` its candidates evaluated so far, in the order they were (trial number);
 * `finished` says that every candidate has been proposed and none is still running (the
 * generation is then told with what it has).
 */
export function lqGeneration(
  candidates: readonly Float64Array[],
  archive: readonly LqData[],
  evaluated: readonly LqEvaluated[],
  finished: boolean,
): LqOutcome {
  const lambda = candidates.length;
  const d = (candidates[0] as Float64Array).length;
  const cap = lqArchiveSize(d, lambda);
  const dataWith = (told: readonly LqEvaluated[]): LqData[] =>
    [
      ...[...told].sort((a, b) => a.loss - b.loss).map((e) => ({ x: e.x, y: e.loss })),
      ...archive,
    ].slice(0, cap);
  for (const k of evaluationSteps(lambda, Math.min(cap, archive.length))) {
    if (evaluated.length < k) break;
    const told = evaluated.slice(0, k);
    if (k >= lambda) return trueValues(candidates, told);
    const data = dataWith(told);
    const model = fitLqModel(data);
    const window = data.slice(0, Math.floor(Math.max(15, Math.min(1.2 * k, 0.75 * lambda))));
    const tau =
      window.length < 3
        ? 0
        : kendallTau(
            window.map((p) => p.y),
            window.map((p) => model.predict(p.x)),
          );
    if (tau >= TAU_THRESHOLD) return modelValues(candidates, told, model);
  }
  const data = dataWith(evaluated);
  const model = data.length > 0 ? fitLqModel(data) : undefined;
  if (!finished) return { closed: false, model: data.length > 1 ? model : undefined };
  if (evaluated.length === lambda) return trueValues(candidates, evaluated);
  return modelValues(candidates, evaluated, model);
}

function trueValues(
  candidates: readonly Float64Array[],
  told: readonly LqEvaluated[],
): LqOutcome & { closed: true } {
  const byCandidate = new Map(told.map((e) => [e.candidate, e]));
  const points = candidates.map((x, i) => byCandidate.get(i)?.x ?? x);
  const losses = candidates.map((_, i) => byCandidate.get(i)?.loss ?? Number.NaN);
  return { closed: true, points, losses };
}

/** Model values of every candidate, shifted so that their best is the best true value. */
function modelValues(
  candidates: readonly Float64Array[],
  told: readonly LqEvaluated[],
  model: LqModel | undefined,
): LqOutcome & { closed: true } {
  const byCandidate = new Map(told.map((e) => [e.candidate, e]));
  const points = candidates.map((x, i) => byCandidate.get(i)?.x ?? x);
  if (model === undefined) return { closed: true, points, losses: points.map(() => 0) };
  const predicted = points.map((x) => model.predict(x));
  const shift = Math.min(...told.map((e) => e.loss)) - Math.min(...predicted);
  return {
    closed: true,
    points,
    losses: predicted.map((v) => (Number.isFinite(shift) ? v + shift : v)),
  };
}
