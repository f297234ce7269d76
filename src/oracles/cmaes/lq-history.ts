/**
 * Rebuilding an lq-CMA-ES run (see `lq-generation.ts`) from a study's history. Each
 * generation's λ candidates are drawn from the state with a generator seeded by (seed,
 * restart, generation), so the replay draws them again; each trial the oracle proposed
 * records which candidate it evaluates. A generation's archive is every completed trial
 * (of any kind, with a number in each CMA-ES parameter) numbered below the generation's
 * first trial, most recent first.
 */
import { Random, deriveSeed } from '../../math/random.js';
import type { Parameter } from '../../space/index.js';
import type { Objective, Trial } from '../../trials/index.js';
import { toLoss } from '../../trials/index.js';
import type { CmaEs } from './cma-es.js';
import { defaultPopulationSize } from './cma-es.js';
import type { Restarts } from './cmaes-history.js';
import {
  initialRestarts,
  nextPopulation,
  PointCache,
  readCmaEsAttrs,
  startRun,
} from './cmaes-history.js';
import type { ResolvedCmaEsOptions } from './cmaes-options.js';
import type { LqData } from './lq-model.js';
import { fitLqModel, lqArchiveSize } from './lq-model.js';
import type { LqEvaluated } from './lq-generation.js';
import { lqGeneration } from './lq-generation.js';

/** The open generation: the state, its candidates and those not yet proposed, best first. */
export interface LqCmaEsRun {
  readonly cma: CmaEs;
  readonly restart: number;
  readonly candidates: readonly Float64Array[];
  /** Indices of the candidates no trial has taken yet, the model's best first. */
  readonly order: readonly number[];
}

/** A trial as the replay reads it. */
interface Entry {
  readonly number: number;
  readonly status: string;
  /** `restart:generation` of an lq-CMA-ES trial of this space, else undefined. */
  readonly slot: string | undefined;
  readonly candidate: number;
  readonly x: Float64Array | undefined;
  /** The loss of a completed trial with a point, else undefined. */
  readonly loss: number | undefined;
}

interface Memo {
  readonly key: string;
  /** Every trial numbered up to the last one the told generations read, as the replay read it. */
  readonly read: readonly Entry[];
  readonly cma: CmaEs;
  readonly restart: number;
  readonly restarts: Restarts;
}

const sameEntry = (a: Entry, b: Entry): boolean =>
  a.number === b.number &&
  a.status === b.status &&
  a.slot === b.slot &&
  a.candidate === b.candidate &&
  Object.is(a.loss, b.loss);

/** The λ candidates of a generation, the same on every replay. */
export function lqCandidates(cma: CmaEs, seed: number, restart: number): Float64Array[] {
  const random = new Random(deriveSeed(seed, restart, cma.generation, 0x1c3a));
  return Array.from({ length: cma.populationSize }, () => cma.sample(random));
}

/**
 * The model's optimum as a candidate (pycma's lq-CMA-ES injects it each generation): fitted on
 * the archive, its step from the mean shortened to a typical sample's Mahalanobis length when
 * longer than √d, clipped to the box.
 */
function inject(
  cma: CmaEs,
  archive: readonly LqData[],
  seed: number,
  restart: number,
): Float64Array | undefined {
  if (archive.length < 2) return undefined;
  const model = fitLqModel(archive);
  let best = archive[0] as LqData;
  for (const p of archive) if (p.y < best.y) best = p;
  const target = model.optimum(best.x);
  const d = cma.dim;
  const step = Float64Array.from(target, (v, i) => v - (cma.mean[i] as number));
  const length = cma.mahalanobisNorm(step);
  if (!Number.isFinite(length)) return undefined;
  let factor = 1;
  if (length > Math.sqrt(d)) {
    const random = new Random(deriveSeed(seed, restart, cma.generation, 0x1e7));
    let chi2 = 0;
    for (let i = 0; i < d; i++) chi2 += random.normal() ** 2;
    factor = Math.sqrt(chi2) / length;
  }
  return Float64Array.from(step, (v, i) =>
    Math.min(
      cma.upper[i] as number,
      Math.max(cma.lower[i] as number, (cma.mean[i] as number) + factor * v),
    ),
  );
}

/** Replays histories into lq-CMA-ES runs, continuing from the last replay when it still holds. */
export class LqCmaEsReplay {
  #memo: Memo | undefined;
  readonly #points = new PointCache();

  constructor(private readonly options: ResolvedCmaEsOptions) {}

  replay(
    trials: readonly Trial[],
    objective: Objective,
    dimensions: readonly Parameter[],
  ): LqCmaEsRun {
    const { options } = this;
    const key = dimensions.map((p) => p.name).join(',');
    const definitions = this.#points.use(dimensions);
    const entries = trials
      .map((trial): Entry => {
        const x = this.#points.pointOf(dimensions, trial.params);
        const attrs = readCmaEsAttrs(trial);
        const lq = attrs?.space === key && attrs.candidate !== undefined ? attrs : undefined;
        const value = trial.values?.[0];
        const completed =
          trial.status === 'COMPLETED' &&
          x !== undefined &&
          value !== undefined &&
          !Number.isNaN(value);
        return {
          number: trial.number,
          status: trial.status,
          slot: lq === undefined ? undefined : `${lq.restart}:${lq.generation}`,
          candidate: lq?.candidate ?? -1,
          x,
          loss: completed ? toLoss(value, objective.direction) : undefined,
        };
      })
      .sort((a, b) => a.number - b.number);
    const bySlot = new Map<string, Entry[]>();
    for (const e of entries) {
      if (e.slot === undefined) continue;
      const list = bySlot.get(e.slot) ?? [];
      list.push(e);
      bySlot.set(e.slot, list);
    }

    const memoKey = `${objective.direction}|${definitions}`;
    const basePopulation = options.populationSize ?? defaultPopulationSize(dimensions.length);
    let restarts = initialRestarts(basePopulation);
    let restart = 0;
    let cma: CmaEs | undefined;
    let lastRead = -1;
    const memo = this.#memo;
    if (memo !== undefined && memo.key === memoKey) {
      const last = memo.read[memo.read.length - 1];
      const now = last === undefined ? [] : entries.filter((e) => e.number <= last.number);
      if (
        now.length === memo.read.length &&
        now.every((e, i) => sameEntry(e, memo.read[i] as Entry))
      ) {
        cma = memo.cma.clone();
        restart = memo.restart;
        restarts = { ...memo.restarts };
        lastRead = last?.number ?? -1;
      }
    }
    cma ??= startRun(0, basePopulation, dimensions, objective, options);
    for (;;) {
      const slot = `${restart}:${cma.generation}`;
      const members = bySlot.get(slot) ?? [];
      const candidates = lqCandidates(cma, options.seed, restart);
      const lambda = candidates.length;
      const first = members[0]?.number ?? Infinity;
      const cap = lqArchiveSize(dimensions.length, lambda);
      const archive: LqData[] = [];
      for (let i = entries.length - 1; i >= 0 && archive.length < cap; i--) {
        const e = entries[i] as Entry;
        if (e.number >= first || e.slot === slot || e.loss === undefined) continue;
        archive.push({ x: e.x as Float64Array, y: e.loss });
      }
      // from the second generation on, the model's optimum replaces the first candidate
      const injected = cma.generation > 0 ? inject(cma, archive, options.seed, restart) : undefined;
      if (injected !== undefined) candidates[0] = injected;
      const evaluated: LqEvaluated[] = [];
      const proposed = new Set<number>();
      let running = false;
      for (const e of members) {
        if (e.candidate < 0 || e.candidate >= lambda) continue;
        if (e.status === 'RUNNING' || e.status === 'WAITING') running = true;
        if (e.loss !== undefined && !proposed.has(e.candidate))
          evaluated.push({ candidate: e.candidate, x: e.x as Float64Array, loss: e.loss });
        proposed.add(e.candidate);
      }
      const outcome = lqGeneration(
        candidates,
        archive,
        evaluated,
        proposed.size === lambda && !running,
      );
      if (!outcome.closed) {
        const { model } = outcome;
        const rank = candidates.map((x) => (model === undefined ? 0 : model.predict(x)));
        const order = candidates
          .map((_, i) => i)
          .filter((i) => !proposed.has(i))
          .sort((a, b) => (rank[a] as number) - (rank[b] as number) || a - b);
        const read = entries.filter((e) => e.number <= lastRead);
        this.#memo = { key: memoKey, read, cma: cma.clone(), restart, restarts: { ...restarts } };
        return { cma, restart, candidates, order };
      }
      lastRead = Math.max(lastRead, members[members.length - 1]?.number ?? -1);
      cma.tell(outcome.points, outcome.losses, new Set(injected === undefined ? [] : [0]));
      if (options.restartStrategy === 'none' || !cma.shouldStop()) continue;
      restart++;
      nextPopulation(restarts, cma, basePopulation, options, restart);
      cma = startRun(restart, restarts.populationSize, dimensions, objective, options);
    }
  }
}
