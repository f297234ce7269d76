/**
 * What an objective function receives for one trial: its hyperparameters (define-by-run),
 * and a way to report intermediate values and learn whether it was pruned.
 */
import type { Pruner } from '../pruners/index.js';
import type { HyperParameters, ParamValues } from '../space/index.js';
import type { JsonValue, Trial } from '../trials/index.js';
import type { SearchCallbacks } from './callbacks.js';
import type { Study } from './study.js';

export interface TrialContext {
  /** Declare parameters and read this trial's values: `hp.Int('units', {min: 16, max: 256})`. */
  readonly hp: HyperParameters;
  /** The trial's number in the study. */
  readonly number: number;
  /** Which execution of the trial this is (0-based; see `executionsPerTrial`). */
  readonly execution: number;
  /** A seed for the objective's own randomness, fixed per trial and execution. */
  readonly seed: number;
  /** Aborted when the search is asked to stop. */
  readonly signal: AbortSignal;
  /**
   * Reports the value(s) at `step` (e.g. after an epoch): a number for the first objective or
   * a metrics record containing it. Returns true when the pruner says the trial should stop:
   * then throw `new TrialPrunedError(step)` (or return) to end it as PRUNED.
   */
  report(step: number, metrics: number | Readonly<Record<string, number>>): Promise<boolean>;
  /** Attaches data to the trial (e.g. a checkpoint path). */
  setUserAttr(key: string, value: JsonValue): Promise<void>;
  /** The values proposed for this trial (before define-by-run additions). */
  readonly proposed: ParamValues;
  /**
   * What the oracle attached to the trial. Hyperband: `{iteration, bracket, round, epochs,
   * initialEpoch, parentTrial}` (read it with `readHyperbandAttrs`): train up to `epochs`,
   * continuing the checkpoint of trial `parentTrial` from `initialEpoch`.
   */
  readonly oracleAttrs: Readonly<Record<string, JsonValue>>;
}

export function makeTrialContext(args: {
  readonly study: Study;
  readonly trial: Trial;
  readonly hp: HyperParameters;
  readonly execution: number;
  readonly seed: number;
  readonly signal: AbortSignal;
  readonly pruner: Pruner | undefined;
  readonly callbacks: SearchCallbacks;
}): TrialContext {
  const { study, trial, hp, execution, seed, signal, pruner, callbacks } = args;
  const objective = study.objectives[0];
  return {
    hp,
    number: trial.number,
    execution,
    seed,
    signal,
    proposed: trial.params,
    oracleAttrs: trial.oracleAttrs,
    async report(step, metrics) {
      const record =
        typeof metrics === 'number' ? { [objective?.name ?? 'value']: metrics } : metrics;
      const value = typeof metrics === 'number' ? metrics : metrics[objective?.name ?? ''];
      callbacks.onTrialReport?.(trial, step, record);
      if (execution > 0 || value === undefined || !Number.isFinite(value)) return false;
      await study.report(trial, { step, value, metrics: record });
      if (pruner === undefined) return false;
      const trials = await study.trials();
      const current = trials.find((t) => t.id === trial.id);
      return (
        current !== undefined &&
        pruner.shouldPrune({ objectives: study.objectives, trials }, current)
      );
    },
    async setUserAttr(key, value) {
      await study.storage.setTrialUserAttr(trial.id, key, value);
    },
  };
}
