/**
 * Issue 21's targets that compare our oracles with recorded peers (or with each other), as
 * data: which oracle, against which runs, at which trial counts, on which problems. Regret is
 * "lower is better" everywhere (for several objectives it is the hypervolume still missing, so
 * "hypervolume ≥ theirs" is "regret ≤ theirs").
 */

/** What a target needs to know of a problem to decide whether it applies. */
export interface ProblemKind {
  readonly name: string;
  readonly objectives: number;
  /** Every parameter is a float. */
  readonly continuous: boolean;
  readonly constrained: boolean;
  /** Parameters in the space (as first declared). */
  readonly dimensions: number;
}

/** The rugged, multimodal problems of issue 21 point 1. */
export const RUGGED = ['rastrigin5', 'styblinski8', 'michalewicz5', 'rosenbrock10'] as const;

export interface RegretTarget {
  /** Where the target comes from, e.g. `21.2`. */
  readonly point: string;
  /** Our oracle the target is checked for. */
  readonly oracle: string;
  /**
   * Peer tools (`optuna-tpe`) or our oracles (`ours:nsga2`): the target is met when our median
   * regret ≤ `factor` × the lowest of their median regrets.
   */
  readonly against: readonly string[];
  readonly factor: number;
  /** Trial counts at which each comparison is made. */
  readonly at: readonly number[];
  readonly applies: (problem: ProblemKind) => boolean;
}

/** A fixed bound on our median regret. */
export interface AbsoluteTarget {
  readonly point: string;
  readonly oracle: string;
  readonly atMost: number;
  readonly at: readonly number[];
  readonly applies: (problem: ProblemKind) => boolean;
}

const single = (p: ProblemKind): boolean => p.objectives === 1 && !p.constrained;
const rugged = (p: ProblemKind): boolean => (RUGGED as readonly string[]).includes(p.name);

export const PEER_TARGETS: readonly RegretTarget[] = [
  { point: '21.2', oracle: 'tpe', against: ['optuna-tpe'], factor: 1, at: [100], applies: single },
  {
    point: '21.2',
    oracle: 'tpe-mv',
    against: ['optuna-tpe-mv'],
    factor: 1,
    at: [100],
    applies: single,
  },
  {
    point: '21.3',
    oracle: 'cmaes',
    against: ['optuna-cmaes'],
    factor: 1,
    at: [100],
    applies: (p) => single(p) && p.continuous,
  },
  {
    point: '21.4',
    oracle: 'bayesian',
    against: ['optuna5-gp'],
    factor: 1,
    at: [25, 50, 100],
    applies: single,
  },
  {
    point: '21.4',
    oracle: 'bayesian',
    against: ['optuna-tpe', 'optuna-tpe-mv', 'optuna-cmaes', 'optuna5-gp'],
    factor: 0.5,
    at: [50],
    applies: rugged,
  },
  {
    point: '21.5',
    oracle: 'nsga2',
    against: ['optuna-nsga2'],
    factor: 1,
    at: [200],
    applies: (p) => p.objectives > 1,
  },
  {
    point: '21.5',
    oracle: 'bayesian',
    against: ['ours:nsga2'],
    factor: 1,
    at: [100],
    applies: (p) => p.objectives > 1,
  },
];

export const ABSOLUTE_TARGETS: readonly AbsoluteTarget[] = [
  {
    point: '21.7',
    oracle: 'bayesian',
    atMost: 0.005,
    at: [100],
    applies: (p) => p.constrained && p.objectives === 1,
  },
];

/**
 * A bound on our milliseconds per suggestion: at a number of finished trials (`at`: the single
 * ask made then), or the median over the asks made with `window` (from, to) finished trials.
 * Either absolute (`atMostMs`) or relative to a peer's median over asks 91-100 (`peer`,
 * `factor`), which is meaningful only when the peer file was recorded on this machine in the
 * same run.
 */
export interface TimeTarget {
  readonly point: string;
  readonly oracle: string;
  readonly at?: number;
  readonly window?: readonly [number, number];
  readonly atMostMs?: number;
  readonly peer?: string;
  readonly factor?: number;
  readonly applies: (problem: ProblemKind) => boolean;
}

export const TIME_TARGETS: readonly TimeTarget[] = [
  {
    point: '21.4',
    oracle: 'bayesian',
    window: [91, 100],
    peer: 'optuna5-gp',
    factor: 0.2,
    applies: single,
  },
  {
    point: '21.8',
    oracle: 'bayesian',
    at: 100,
    atMostMs: 25,
    applies: (p) => single(p) && p.dimensions < 30,
  },
  {
    point: '21.8',
    oracle: 'bayesian',
    at: 100,
    atMostMs: 60,
    applies: (p) => single(p) && p.dimensions >= 30,
  },
  { point: '21.8', oracle: 'bayesian', window: [991, 1000], atMostMs: 150, applies: single },
];
