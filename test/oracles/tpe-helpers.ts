/** Helpers of the TPE tests: plain trials and a sequential in-memory loop. */
import type { Oracle, StudyView } from '../../src/oracles/index.js';
import type { ParamValues, SearchSpace } from '../../src/space/index.js';
import type { Objective, Trial, TrialStatus } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

export const MINIMIZE: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];

export function makeTrial(
  number: number,
  params: ParamValues,
  value: number | undefined,
  status: TrialStatus = 'COMPLETED',
  oracleAttrs: Trial['oracleAttrs'] = {},
): Trial {
  return trialRecord(number, {
    id: number,
    status,
    params,
    values: value === undefined ? undefined : [value],
    oracleAttrs,
  });
}

/** Asks `oracle` `count` times, evaluating `f` (trials keep the oracle's attributes); stops early on `exhausted`. */
export function runLoop(
  oracle: Oracle,
  space: SearchSpace,
  f: (params: ParamValues) => number,
  count: number,
  objectives: readonly Objective[] = MINIMIZE,
): { trials: Trial[]; exhausted: boolean } {
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) {
    const view: StudyView = { space, objectives, trials };
    const answer = oracle.ask(view);
    if (answer.kind === 'exhausted') return { trials, exhausted: true };
    if (answer.kind !== 'trial') throw new Error(`unexpected ${answer.kind}`);
    trials.push(makeTrial(i, answer.params, f(answer.params), 'COMPLETED', answer.oracleAttrs));
  }
  return { trials, exhausted: false };
}
