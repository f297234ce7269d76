/**
 * What Hyperband's round-0 sampler learns from. Hyperband trains a configuration as a chain
 * of trials (round 0, then each promotion continuing its parent's checkpoint), so the raw
 * study repeats a configuration once per round, each time with the value of a different
 * number of epochs. The sampler sees instead one trial per configuration:
 * - its learning curve: the intermediate values of the whole chain, by epoch;
 * - COMPLETED with the value of its furthest finished trial when that trained `maxEpochs`;
 * - PRUNED with that value when it stopped (or waits for promotion) short of `maxEpochs`, so
 *   that a model-based sampler ranks it as Optuna's samplers rank pruned trials: after the
 *   fully trained ones, those that got further first (TPE), or by its last value (Bayesian);
 * - RUNNING while no trial of the chain has finished; FAILED when every one failed.
 * With a model-based sampler (e.g. `TpeOracle`) this is model-based Hyperband in the manner of
 * BOHB (Falkner et al. 2018): new configurations are drawn where the finished ones did well,
 * at whatever number of epochs they reached. Trials without Hyperband attributes pass unchanged.
 */
import type { IntermediateValue, Trial } from '../../trials/index.js';
import type { StudyView } from '../oracle.js';
import { readHyperbandAttrs } from './hyperband-attrs.js';
import type { HyperbandTrialAttrs } from './hyperband-attrs.js';
import type { HyperbandPlan } from './hyperband-plan.js';
import { bracketSequence } from './hyperband-state.js';

interface Member {
  readonly trial: Trial;
  readonly attrs: HyperbandTrialAttrs;
}

/** The configuration (round-0 trial, first of its retry chain) a Hyperband trial trains. */
function rootOf(trial: Trial, byNumber: ReadonlyMap<number, Member>): number {
  let current: Trial | undefined = trial;
  let root = trial.number;
  // a chain is finite: parents and retried trials always have smaller numbers
  while (current !== undefined) {
    root = current.retryOf ?? current.number;
    const member = byNumber.get(root);
    const parent = member?.attrs.parentTrial ?? null;
    current = parent === null || parent >= root ? undefined : byNumber.get(parent)?.trial;
  }
  return root;
}

/** The chain's intermediate values by step; the latest trial's wins where two trained a step. */
function mergedCurve(members: readonly Member[]): IntermediateValue[] {
  const byStep = new Map<number, IntermediateValue>();
  for (const { trial } of [...members].sort((a, b) => a.trial.number - b.trial.number)) {
    for (const point of trial.intermediate) byStep.set(point.step, point);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

function mergedTrial(root: Trial, members: readonly Member[], maxEpochs: number): Trial {
  const intermediate = mergedCurve(members);
  let furthest: Member | undefined;
  for (const member of members) {
    if (member.trial.status !== 'COMPLETED') continue;
    if (furthest === undefined || member.attrs.epochs > furthest.attrs.epochs) furthest = member;
  }
  if (furthest !== undefined) {
    const status = furthest.attrs.epochs >= maxEpochs ? 'COMPLETED' : 'PRUNED';
    return { ...furthest.trial, number: root.number, params: root.params, status, intermediate };
  }
  const pending = members.find((m) => m.trial.status === 'RUNNING' || m.trial.status === 'WAITING');
  const latest = members.reduce((a, b) => (b.trial.number > a.trial.number ? b : a));
  const shown = pending ?? latest;
  return { ...shown.trial, number: root.number, params: root.params, intermediate };
}

/** The study as a Hyperband sampler should see it: one trial per configuration (see above). */
export function samplerHistory(view: StudyView, plan: HyperbandPlan): StudyView {
  const byNumber = new Map<number, Member>();
  const others: Trial[] = [];
  for (const trial of view.trials) {
    const attrs = readHyperbandAttrs(trial.oracleAttrs);
    if (attrs === undefined || bracketSequence(plan, attrs) < 0) others.push(trial);
    else byNumber.set(trial.number, { trial, attrs });
  }
  const chains = new Map<number, Member[]>();
  for (const member of byNumber.values()) {
    const root = rootOf(member.trial, byNumber);
    const chain = chains.get(root);
    if (chain === undefined) chains.set(root, [member]);
    else chain.push(member);
  }
  const merged = [...chains.entries()].map(([root, members]) =>
    mergedTrial(
      byNumber.get(root)?.trial ?? (members[0] as Member).trial,
      members,
      plan.options.maxEpochs,
    ),
  );
  const trials = [...others, ...merged].sort((a, b) => a.number - b.number);
  return { ...view, trials };
}
