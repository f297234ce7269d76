/** Helpers for the Bayesian oracle tests: trials as plain objects, a run loop, test problems. */
import type { AskResult, Oracle, StudyView } from '../../src/oracles/oracle.js';
import type { SurrogateSettings } from '../../src/oracles/bayesian/surrogate.js';
import type { ParamValues, SearchSpace } from '../../src/space/index.js';
import { SearchSpace as Space } from '../../src/space/index.js';
import type { Objective, Trial, TrialStatus } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

export function makeTrial(
  number: number,
  params: ParamValues,
  status: TrialStatus,
  values?: number[],
): Trial {
  return trialRecord(number, {
    id: number,
    status,
    params,
    values,
    error: status === 'FAILED' ? 'boom' : undefined,
    finishedAt: status === 'RUNNING' || status === 'WAITING' ? undefined : 0,
  });
}

export const MINIMIZE: readonly Objective[] = [{ name: 'f', direction: 'minimize' }];

export function view(
  space: SearchSpace,
  trials: readonly Trial[],
  objectives: readonly Objective[] = MINIMIZE,
): StudyView {
  return { space, objectives, trials };
}

/** Runs `count` sequential trials of `f` and returns them. Throws when the oracle does not answer a trial. */
export function runSequential(
  oracle: Oracle,
  space: SearchSpace,
  f: (p: ParamValues) => number,
  count: number,
): Trial[] {
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) {
    const answer: AskResult = oracle.ask(view(space, trials));
    if (answer.kind !== 'trial') throw new Error(`ask ${i}: ${answer.kind} (${answer.reason})`);
    trials.push(makeTrial(i, answer.params, 'COMPLETED', [f(answer.params)]));
  }
  return trials;
}

const float = (name: string, min: number, max: number) =>
  ({
    kind: 'float',
    name,
    min,
    max,
    step: undefined,
    sampling: 'linear',
    default: min,
    conditions: [],
  }) as const;

export const BRANIN_SPACE = new Space([float('x1', -5, 10), float('x2', 0, 15)]);
export const BRANIN_MIN = 0.397887;

export function branin(p: ParamValues): number {
  const x1 = p.x1 as number;
  const x2 = p.x2 as number;
  return (
    (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 +
    10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) +
    10
  );
}

export function bestValue(trials: readonly Trial[]): number {
  return Math.min(...trials.map((t) => t.values?.[0] ?? Infinity));
}

/** Settings of a surrogate fitter as the tests build one: one restart, a full fit below 12 points. */
export function surrogateSettings(seed: number, alpha: number): SurrogateSettings {
  return {
    seed,
    alpha,
    refitEvery: 20,
    fitRestarts: 1,
    fullFitBelow: 12,
    fullIterations: 40,
    warmIterations: 10,
    additive: true,
  };
}
