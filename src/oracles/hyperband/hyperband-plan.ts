/**
 * The Hyperband schedule, as Keras Tuner computes it: brackets from the most exploratory
 * (many trials, few epochs) to plain training of a few configurations for `maxEpochs`; in a
 * bracket, round r keeps the best 1/factor of round r - 1 and trains them longer. Everything
 * here is known before the search starts.
 */
import { HypertunerError } from '../../space/index.js';

export interface HyperbandPlanOptions {
  /** Epochs of the longest training (Keras Tuner's max_epochs). Default 100. */
  readonly maxEpochs?: number;
  /** Reduction factor between rounds (>= 2). Default 3. */
  readonly factor?: number;
  /** Epochs of the shortest training; fewer brackets when larger. Default 1. */
  readonly minEpochs?: number;
  /** Times the whole set of brackets is run. Default 1. */
  readonly hyperbandIterations?: number;
}

export type ResolvedHyperbandPlanOptions = { readonly [K in keyof HyperbandPlanOptions]-?: number };

export interface HyperbandRound {
  readonly round: number;
  /** Trials in this round. */
  readonly trials: number;
  /** Epochs each trial trains up to. */
  readonly epochs: number;
  /** Epoch a promoted trial starts from (its parent's epochs); 0 in round 0. */
  readonly initialEpoch: number;
  /** Epochs this round trains, counting only new epochs: trials * (epochs - initialEpoch). */
  readonly newEpochs: number;
}

export interface HyperbandBracket {
  readonly iteration: number;
  /** Bracket number: numBrackets - 1 (most exploratory) down to 0 (every trial at maxEpochs). */
  readonly bracket: number;
  readonly rounds: readonly HyperbandRound[];
  readonly trials: number;
  /** Epochs trained in this bracket when promoted trials continue from their parent. */
  readonly epochs: number;
}

export interface HyperbandPlan {
  readonly options: ResolvedHyperbandPlanOptions;
  readonly numBrackets: number;
  /** Every bracket in the order the oracle runs them (iteration by iteration). */
  readonly brackets: readonly HyperbandBracket[];
  readonly trialsPerIteration: number;
  readonly totalTrials: number;
  /** Epochs trained in total when promoted trials continue from their parent's checkpoint. */
  readonly totalEpochs: number;
  /** Epochs trained in total when every trial trains from scratch. */
  readonly totalEpochsFromScratch: number;
}

function invalid(field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'HYPERBAND_INVALID_OPTION',
    `Hyperband option '${field}' must be ${allowed}; got ${String(value)}.`,
    { field },
  );
}

export function resolveHyperbandPlanOptions(
  options: HyperbandPlanOptions,
): ResolvedHyperbandPlanOptions {
  const resolved = {
    maxEpochs: options.maxEpochs ?? 100,
    factor: options.factor ?? 3,
    minEpochs: options.minEpochs ?? 1,
    hyperbandIterations: options.hyperbandIterations ?? 1,
  };
  if (!Number.isInteger(resolved.maxEpochs) || resolved.maxEpochs < 1)
    invalid('maxEpochs', 'an integer >= 1', resolved.maxEpochs);
  if (!Number.isFinite(resolved.factor) || resolved.factor < 2)
    invalid('factor', 'a number >= 2', resolved.factor);
  if (
    !Number.isInteger(resolved.minEpochs) ||
    resolved.minEpochs < 1 ||
    resolved.minEpochs > resolved.maxEpochs
  ) {
    invalid(
      'minEpochs',
      `an integer from 1 to maxEpochs (${resolved.maxEpochs})`,
      resolved.minEpochs,
    );
  }
  if (!Number.isInteger(resolved.hyperbandIterations) || resolved.hyperbandIterations < 1) {
    invalid('hyperbandIterations', 'an integer >= 1', resolved.hyperbandIterations);
  }
  return resolved;
}

const EPSILON = 1e-9;

/** `Math.ceil` that ignores floating-point noise (ceil(12.000000000000002) = 12). */
function ceil(x: number): number {
  return Math.ceil(x - EPSILON * Math.max(1, Math.abs(x)));
}

/** log base `factor` of `x`, snapped to an integer when within rounding noise of one. */
function logBase(x: number, factor: number): number {
  const raw = Math.log(x) / Math.log(factor);
  const rounded = Math.round(raw);
  return Math.abs(raw - rounded) < EPSILON ? rounded : raw;
}

/** Keras Tuner's number of brackets: how many times maxEpochs divides by factor staying >= minEpochs. */
export function numBrackets(options: ResolvedHyperbandPlanOptions): number {
  let epochs = options.maxEpochs;
  let brackets = 0;
  while (epochs >= options.minEpochs * (1 - EPSILON)) {
    epochs /= options.factor;
    brackets++;
  }
  return brackets;
}

/** Trials in round `round` of bracket `bracket` (Keras Tuner's `_get_size`, without float noise). */
export function roundSize(
  options: ResolvedHyperbandPlanOptions,
  bracket: number,
  round: number,
): number {
  const lastRoundOfBracket0 = ceil(1 + logBase(options.maxEpochs, options.factor));
  return ceil((lastRoundOfBracket0 * options.factor ** (bracket - round)) / (bracket + 1));
}

/** Epochs of round `round` of bracket `bracket` (Keras Tuner's `_get_epochs`). */
export function roundEpochs(
  options: ResolvedHyperbandPlanOptions,
  bracket: number,
  round: number,
): number {
  return ceil(options.maxEpochs / options.factor ** (bracket - round));
}

/** The schedule of bracket `bracket` in iteration `iteration`. */
export function bracketPlan(
  options: ResolvedHyperbandPlanOptions,
  iteration: number,
  bracket: number,
): HyperbandBracket {
  const rounds: HyperbandRound[] = [];
  for (let round = 0; round <= bracket; round++) {
    const trials = roundSize(options, bracket, round);
    const epochs = roundEpochs(options, bracket, round);
    const initialEpoch = round === 0 ? 0 : roundEpochs(options, bracket, round - 1);
    rounds.push({
      round,
      trials,
      epochs,
      initialEpoch,
      newEpochs: trials * (epochs - initialEpoch),
    });
  }
  return {
    iteration,
    bracket,
    rounds,
    trials: rounds.reduce((n, r) => n + r.trials, 0),
    epochs: rounds.reduce((n, r) => n + r.newEpochs, 0),
  };
}

/**
 * The whole Hyperband schedule: brackets, rounds, trials and epochs. For maxEpochs 27 and
 * factor 3, one iteration is 70 trials and 375 epochs (450 if every trial started over).
 */
export function hyperbandPlan(options: HyperbandPlanOptions = {}): HyperbandPlan {
  const resolved = resolveHyperbandPlanOptions(options);
  const count = numBrackets(resolved);
  const brackets: HyperbandBracket[] = [];
  for (let iteration = 0; iteration < resolved.hyperbandIterations; iteration++) {
    for (let bracket = count - 1; bracket >= 0; bracket--)
      brackets.push(bracketPlan(resolved, iteration, bracket));
  }
  const totalTrials = brackets.reduce((n, b) => n + b.trials, 0);
  return {
    options: resolved,
    numBrackets: count,
    brackets,
    trialsPerIteration: totalTrials / resolved.hyperbandIterations,
    totalTrials,
    totalEpochs: brackets.reduce((n, b) => n + b.epochs, 0),
    totalEpochsFromScratch: brackets.reduce(
      (n, b) => n + b.rounds.reduce((m, r) => m + r.trials * r.epochs, 0),
      0,
    ),
  };
}
