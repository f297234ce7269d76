/**
 * Rebuilding a CMA-ES run from a study's history, so that the oracle is a function of the
 * history alone (and resumes from storage): each trial the oracle proposed carries
 * `oracleAttrs.cmaes = { space, restart, generation }`; replaying the generations in order,
 * each told with its first λ completed trials by number (as Optuna does), gives back the
 * state, restarts included.
 */
import { logDeterminantFromCholesky, cholesky } from '../../math/linalg.js';
import { Random, deriveSeed } from '../../math/random.js';
import type { Parameter, ParamValues } from '../../space/index.js';
import { HypertunerError, cardinality, encode } from '../../space/index.js';
import type { Objective, Trial } from '../../trials/index.js';
import { toLoss } from '../../trials/index.js';
import { CmaEs, defaultPopulationSize } from './cma-es.js';
import type { ResolvedCmaEsOptions } from './cmaes-options.js';

/** What a proposed trial records. */
export interface CmaEsTrialAttrs {
  /** The CMA-ES parameters' names, comma-separated: a run belongs to one set of them. */
  readonly space: string;
  readonly restart: number;
  readonly generation: number;
  /**
   * With the lq surrogate: which of the generation's λ drawn candidates the trial evaluates
   * (−1: an extra draw while every candidate is out). Absent in plain CMA-ES runs.
   */
  readonly candidate?: number;
}

/** The state to sample the next trial from. */
export interface CmaEsRun {
  readonly cma: CmaEs;
  readonly restart: number;
}

/** The parameters CMA-ES models: always-active ints and floats with more than one value. */
export function cmaDimensions(parameters: readonly Parameter[]): Parameter[] {
  return parameters.filter(
    (p) =>
      (p.kind === 'int' || p.kind === 'float') && p.conditions.length === 0 && cardinality(p) > 1,
  );
}

export function readCmaEsAttrs(trial: Trial): CmaEsTrialAttrs | undefined {
  const attrs = trial.oracleAttrs.cmaes as Record<string, unknown> | undefined;
  if (typeof attrs !== 'object' || attrs === null) return undefined;
  const { space, restart, generation, candidate } = attrs;
  if (typeof space !== 'string' || typeof restart !== 'number' || typeof generation !== 'number')
    return undefined;
  return typeof candidate === 'number'
    ? { space, restart, generation, candidate }
    : { space, restart, generation };
}

/** The point of a trial in the scaled box, or undefined when a dimension has no number. */
export function pointOf(
  dimensions: readonly Parameter[],
  params: ParamValues,
): Float64Array | undefined {
  const x = new Float64Array(dimensions.length);
  for (let i = 0; i < dimensions.length; i++) {
    const p = dimensions[i] as Parameter;
    const value = params[p.name];
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    x[i] = encode(p, value);
  }
  return x;
}

/** The points of trials' parameter objects (which never change), for one set of dimensions. */
export class PointCache {
  #points = new WeakMap<object, Float64Array | null>();
  #definitions = '';

  /** Starts over when the dimensions are defined otherwise than before; returns their definitions. */
  use(dimensions: readonly Parameter[]): string {
    const definitions = JSON.stringify(dimensions);
    if (definitions !== this.#definitions) {
      this.#points = new WeakMap();
      this.#definitions = definitions;
    }
    return definitions;
  }

  pointOf(dimensions: readonly Parameter[], params: ParamValues): Float64Array | undefined {
    let x = this.#points.get(params);
    if (x === undefined) this.#points.set(params, (x = pointOf(dimensions, params) ?? null));
    return x ?? undefined;
  }
}

/** WS-CMA-ES's promising distribution of the best 10% of `points` (sorted by loss). */
function warmStart(
  points: readonly Float64Array[],
  d: number,
): { mean: Float64Array; sigma: number; cov: Float64Array } {
  const top = points.slice(0, Math.floor(points.length * 0.1));
  const alpha = 0.1;
  const mean = new Float64Array(d);
  for (const x of top)
    for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) + (x[i] as number) / top.length;
  const sigmaMatrix = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let second = 0;
      for (const x of top) second += (x[i] as number) * (x[j] as number);
      sigmaMatrix[i * d + j] =
        (i === j ? alpha * alpha : 0) +
        second / top.length -
        (mean[i] as number) * (mean[j] as number);
    }
  }
  const l = new Float64Array(d * d);
  cholesky(sigmaMatrix, d, l);
  const logDet = logDeterminantFromCholesky(l, d);
  const sigma = Math.exp(logDet / (2 * d));
  const scale = Math.exp(-logDet / d);
  return { mean, sigma, cov: sigmaMatrix.map((v) => v * scale) };
}

/** The population sizes of the restarts so far (IPOP, BIPOP). */
export interface Restarts {
  populationSize: number;
  largeRuns: number;
  smallBudget: number;
  largeBudget: number;
  large: boolean;
}

/** A replay's end, kept to continue from when the next history starts the same way. */
interface Memo {
  readonly key: string;
  /** Per told generation: its slot and the trials (number and loss) it was told. */
  readonly told: readonly Told[];
  readonly cma: CmaEs;
  readonly restart: number;
  readonly restarts: Restarts;
}

interface Told {
  readonly slot: string;
  /** The trials told, by number, and their losses. */
  readonly solutions: readonly Solution[];
}

type Solution = { readonly number: number; readonly x: Float64Array; readonly loss: number };

/** Whether `list` starts with the trials (numbers and losses) `told`. */
function startsWith(list: readonly Solution[], told: readonly Solution[]): boolean {
  if (list.length < told.length) return false;
  for (let i = 0; i < told.length; i++) {
    const a = list[i] as Solution;
    const b = told[i] as Solution;
    if (a.number !== b.number || !Object.is(a.loss, b.loss)) return false;
  }
  return true;
}

/**
 * Replays histories into CMA-ES runs. It keeps the last replay: when the next history told
 * the same generations the same trials, it continues from there instead of from the start (a
 * cache only; the answer is the same either way).
 */
export class CmaEsReplay {
  #memo: Memo | undefined;
  readonly #points = new PointCache();

  constructor(private readonly options: ResolvedCmaEsOptions) {}

  /**
   * The current run: the initial state, then every complete generation told with its first λ
   * completed trials, restarting as the strategy says when a run has converged.
   */
  replay(
    trials: readonly Trial[],
    objective: Objective,
    dimensions: readonly Parameter[],
  ): CmaEsRun {
    const { options } = this;
    const key = dimensions.map((p) => p.name).join(',');
    this.#points.use(dimensions);
    const byGeneration = new Map<string, Solution[]>();
    for (const trial of trials) {
      const attrs = readCmaEsAttrs(trial);
      const value = trial.values?.[0];
      if (attrs === undefined || attrs.space !== key || trial.status !== 'COMPLETED') continue;
      if (attrs.candidate !== undefined) continue; // a trial of an lq-CMA-ES run
      if (value === undefined || Number.isNaN(value)) continue;
      const x = this.#points.pointOf(dimensions, trial.params);
      if (x === undefined) continue;
      const slot = `${attrs.restart}:${attrs.generation}`;
      const list = byGeneration.get(slot) ?? [];
      list.push({ number: trial.number, x, loss: toLoss(value, objective.direction) });
      byGeneration.set(slot, list);
    }
    const sortedSlot = (slot: string): Solution[] =>
      (byGeneration.get(slot) ?? []).sort((a, b) => a.number - b.number);

    const memoKey = `${objective.direction}|${key}`;
    const told: Told[] = [];
    const basePopulation = options.populationSize ?? defaultPopulationSize(dimensions.length);
    let restarts = initialRestarts(basePopulation);
    let restart = 0;
    let cma: CmaEs | undefined;
    const memo = this.#memo;
    if (memo !== undefined && memo.key === memoKey) {
      const same = memo.told.every(({ slot, solutions }) =>
        startsWith(sortedSlot(slot), solutions),
      );
      if (same) {
        told.push(...memo.told);
        cma = memo.cma.clone();
        restart = memo.restart;
        restarts = { ...memo.restarts };
      }
    }
    cma ??= startRun(0, basePopulation, dimensions, objective, options);
    for (;;) {
      const slot = `${restart}:${cma.generation}`;
      const solutions = sortedSlot(slot).slice(0, cma.populationSize);
      if (solutions.length < cma.populationSize) break;
      told.push({ slot, solutions });
      cma.tell(
        solutions.map((s) => s.x),
        solutions.map((s) => s.loss),
      );
      if (options.restartStrategy === 'none' || !cma.shouldStop()) continue;
      restart++;
      nextPopulation(restarts, cma, basePopulation, options, restart);
      cma = startRun(restart, restarts.populationSize, dimensions, objective, options);
    }
    this.#memo = { key: memoKey, told, cma: cma.clone(), restart, restarts: { ...restarts } };
    return { cma, restart };
  }
}

/** The restart bookkeeping before the first run. */
export function initialRestarts(basePopulation: number): Restarts {
  return {
    populationSize: basePopulation,
    largeRuns: 0,
    smallBudget: 0,
    largeBudget: 0,
    large: false,
  };
}

/** The initial state of run number `restart`. */
export function startRun(
  restart: number,
  populationSize: number,
  dimensions: readonly Parameter[],
  objective: Objective,
  options: ResolvedCmaEsOptions,
): CmaEs {
  const d = dimensions.length;
  const sigma0 = options.sigma0 ?? 1 / 6;
  const key = dimensions.map((p) => p.name).join(',');
  if (restart > 0) {
    const random = new Random(deriveSeed(options.seed, restart, 0xc3a));
    const mean = Float64Array.from({ length: d }, () => random.next());
    return new CmaEs({ mean, sigma: sigma0, populationSize });
  }
  if (options.sourceTrials !== undefined) {
    const source = options.sourceTrials
      .filter((t) => t.status === 'COMPLETED' && t.values?.[0] !== undefined)
      .map((t) => ({
        x: pointOf(dimensions, t.params),
        loss: toLoss(t.values?.[0] as number, objective.direction),
      }))
      .filter(
        (s): s is { x: Float64Array; loss: number } => s.x !== undefined && !Number.isNaN(s.loss),
      )
      .sort((a, b) => a.loss - b.loss);
    if (source.length < 10) {
      throw new HypertunerError(
        'CMAES_INVALID_OPTION',
        `CmaEsOracle option 'sourceTrials' must hold at least 10 completed trials with every parameter of ${key}; got ${source.length}.`,
        { field: 'sourceTrials' },
      );
    }
    return new CmaEs({
      ...warmStart(
        source.map((s) => s.x),
        d,
      ),
      populationSize,
    });
  }
  const mean = Float64Array.from(dimensions, (p) => {
    const value = options.x0?.[p.name];
    return typeof value === 'number' ? encode(p, value) : 0.5;
  });
  return new CmaEs({ mean, sigma: sigma0, populationSize });
}

/** IPOP: the population grows by `incPopulation`; BIPOP: large runs like IPOP's alternate with small random ones. */
export function nextPopulation(
  r: Restarts,
  finished: CmaEs,
  basePopulation: number,
  options: ResolvedCmaEsOptions,
  restart: number,
): void {
  const inc = options.incPopulation;
  if (options.restartStrategy === 'ipop') {
    r.populationSize *= inc;
    return;
  }
  const spent = finished.populationSize * finished.generation;
  if (r.large) r.largeBudget += spent;
  else r.smallBudget += spent;
  if (r.smallBudget < r.largeBudget) {
    r.large = false;
    const u = new Random(deriveSeed(options.seed, restart, 0xb1b0)).next();
    r.populationSize = Math.floor(basePopulation * (inc ** r.largeRuns) ** (u * u));
  } else {
    r.large = true;
    r.largeRuns++;
    r.populationSize = basePopulation * inc ** r.largeRuns;
  }
}
