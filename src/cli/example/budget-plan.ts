/**
 * How the example spends its time budget: it searches until what is left is what the final
 * training of the best configuration needs, predicted from what the finished trials measured.
 *
 * Cost model: a trial's duration per unit of work, where a unit is one training example seen
 * once (an example evaluated counts a third: a forward pass), grows with the model's parameter
 * count P: time per unit ≈ a + b·P, fitted by least squares over the finished trials (or, with
 * too few of them, proportional to P). The final training of the best trial's configuration is
 * then `finalEpochs` epochs over its training images (plus the held-out slice evaluated after
 * each epoch, and the test set once), at that rate.
 *
 * Rule: a process starts another trial only if one more trial of the usual duration (the mean
 * of the last finished ones) ends before `budget end - final training - margin`. Every process
 * of the search applies it to the same study, so they stop together. When not even one epoch of
 * the final training fits in what is left, there will be none (the best trial's checkpoint is
 * the final model), and the search goes on until only scoring the test set is left: then a
 * trial starts if one of its epochs (the usual epoch of the last trials) ends by then, since
 * a trial stopped at that time still scores the epochs it trained.
 */
import type { Trial } from '../../index.js';

/** A forward pass costs about a third of a training step. */
export const EVAL_SHARE = 1 / 3;
/** Kept free at the end of the budget: process exits, building the model, saving it. */
const MARGIN_SHARE = 0.02;
const MARGIN_MIN_MS = 3_000;
/** Trials whose durations make the usual one. */
const RECENT_TRIALS = 10;
/** The final training retrains only with time for at least this many of its epochs. */
export const MIN_FINAL_EPOCHS = 1;

export interface BudgetPlanInput {
  /** When the example started (ms since 1970). */
  readonly startedAt: number;
  readonly budgetMs: number;
  /** Examples each trial trains on, and evaluates after each epoch. */
  readonly trainSize: number;
  readonly valSize: number;
  /** The final training: epochs planned, examples trained on, held out, and tested once. */
  readonly finalEpochs: number;
  readonly finalTrain: number;
  readonly finalHeldOut: number;
  readonly testCount: number;
  /** A configuration's parameter count. */
  readonly paramCount: (params: Trial['params']) => number;
}

export interface BudgetPlan {
  /** The usual trial's duration (ms); undefined before one finished. */
  readonly trialMs: number | undefined;
  /** Predicted final training (and test) time of the best configuration (ms); 0 before. */
  readonly finalMs: number;
  /**
   * Whether `finalMs` holds the final training's epochs (false: nothing measured yet, or not
   * one epoch fits any more and it holds only scoring the test set).
   */
  readonly retrains: boolean;
  /** Start no trial that would end after this (ms since 1970). */
  readonly searchEndsAt: number;
  /** Whether a trial may start now. */
  readonly mayStart: boolean;
  /** Milliseconds per unit of work of a model with `params` parameters (NaN before data). */
  readonly msPerUnit: (paramCount: number) => number;
}

interface Measured {
  readonly ms: number;
  readonly units: number;
  readonly params: number;
  /** Epochs it finished. */
  readonly epochs: number;
}

/**
 * Finished trials with a duration and at least one epoch, as (duration, units, P). A trial's
 * training units are the examples it trained (its `trained_samples` attribute, which counts a
 * trial stopped inside an epoch right), else its epochs times the training images.
 */
function measured(trials: readonly Trial[], input: BudgetPlanInput): Measured[] {
  return trials
    .filter((t) => (t.status === 'COMPLETED' || t.status === 'PRUNED') && t.intermediate.length > 0)
    .filter((t) => t.startedAt !== undefined && t.finishedAt !== undefined)
    .sort((a, b) => (a.finishedAt as number) - (b.finishedAt as number))
    .map((t) => {
      const epochs = t.intermediate.length;
      const trained = t.userAttrs['trained_samples'];
      const samples =
        typeof trained === 'number' && trained > 0 ? trained : epochs * input.trainSize;
      return {
        ms: (t.finishedAt as number) - (t.startedAt as number),
        units: samples + EVAL_SHARE * input.valSize * epochs,
        params: input.paramCount(t.params),
        epochs,
      };
    });
}

/** a + b·P fitted to time per unit, or b·P alone when the fit is not usable. */
export function fitCostModel(
  points: readonly Omit<Measured, 'epochs'>[],
): (paramCount: number) => number {
  if (points.length === 0) return () => Number.NaN;
  const xs = points.map((p) => p.params);
  const ys = points.map((p) => p.ms / p.units);
  const n = points.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * ((ys[i] as number) - my);
  });
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = my - b * mx;
  if (n >= 3 && b > 0 && a >= 0) return (p) => a + b * p;
  // through the origin: the best b for y = b·P
  const sxx0 = xs.reduce((s, x) => s + x * x, 0);
  const b0 = sxx0 > 0 ? xs.reduce((s, x, i) => s + x * (ys[i] as number), 0) / sxx0 : 0;
  return (p) => b0 * p;
}

/** One epoch of the final training (its held-out slice scored) for `params` parameters (ms). */
export function finalEpochMs(
  input: BudgetPlanInput,
  msPerUnit: (p: number) => number,
  params: number,
): number {
  return (input.finalTrain + EVAL_SHARE * input.finalHeldOut) * msPerUnit(params);
}

/** Scoring the test set once (ms). */
function testMs(input: BudgetPlanInput, msPerUnit: (p: number) => number, params: number): number {
  return EVAL_SHARE * input.testCount * msPerUnit(params);
}

/** The final training's predicted duration for a configuration of `params` parameters (ms). */
export function finalTrainingMs(
  input: BudgetPlanInput,
  msPerUnit: (p: number) => number,
  params: number,
): number {
  return (
    input.finalEpochs * finalEpochMs(input, msPerUnit, params) + testMs(input, msPerUnit, params)
  );
}

/** The plan at `now` for a study whose trials are `trials` and whose best is `best`. */
export function budgetPlan(
  input: BudgetPlanInput,
  trials: readonly Trial[],
  best: Trial | undefined,
  now: number,
): BudgetPlan {
  const end = input.startedAt + input.budgetMs;
  const margin = Math.max(MARGIN_MIN_MS, MARGIN_SHARE * input.budgetMs);
  const points = measured(trials, input);
  const msPerUnit = fitCostModel(points);
  if (points.length === 0) {
    // nothing measured yet: every process starts its first trial
    return {
      trialMs: undefined,
      finalMs: 0,
      retrains: false,
      searchEndsAt: end - margin,
      mayStart: now < end - margin,
      msPerUnit,
    };
  }
  const recent = points.slice(-RECENT_TRIALS);
  const trialMs = recent.reduce((s, p) => s + p.ms, 0) / recent.length;
  if (best === undefined)
    return {
      trialMs,
      finalMs: 0,
      retrains: false,
      searchEndsAt: end - margin,
      mayStart: now + trialMs <= end - margin,
      msPerUnit,
    };
  const params = input.paramCount(best.params);
  let finalMs = finalTrainingMs(input, msPerUnit, params);
  // not even one epoch of the final training fits any more: search on, and the best trial's
  // checkpoint will be the final model (only scoring the test set is kept free)
  const test = testMs(input, msPerUnit, params);
  const retrains =
    end - margin - now >= MIN_FINAL_EPOCHS * finalEpochMs(input, msPerUnit, params) + test;
  if (!retrains) finalMs = test;
  const searchEndsAt = end - margin - finalMs;
  // with no final training to make room for, a trial that gets one epoch done is worth starting
  const epochMs = recent.reduce((s, p) => s + p.ms / p.epochs, 0) / recent.length;
  const startMs = retrains ? trialMs : epochMs;
  return {
    trialMs,
    finalMs,
    retrains,
    searchEndsAt,
    mayStart: now + startMs <= searchEndsAt,
    msPerUnit,
  };
}
