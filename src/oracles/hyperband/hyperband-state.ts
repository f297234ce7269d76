/**
 * Where a Hyperband search stands, rebuilt from the trials alone (no state kept between
 * calls, so a restarted process picks up mid-bracket). A slot is one planned trial: a retry
 * chain (a trial and the retries of its lost workers) counts once, through its latest trial.
 */
import type { Direction, Trial } from '../../trials/index.js';
import { isFinished, toLoss } from '../../trials/index.js';
import type { HyperbandTrialAttrs } from './hyperband-attrs.js';
import { readHyperbandAttrs } from './hyperband-attrs.js';
import type { HyperbandBracket, HyperbandPlan } from './hyperband-plan.js';

export interface HyperbandSlot {
  /** Number of the first trial of the retry chain. */
  readonly root: number;
  /** The latest trial of the chain (the one whose result counts). */
  readonly trial: Trial;
  readonly attrs: HyperbandTrialAttrs;
  readonly finished: boolean;
  /**
   * The first objective as a loss, for a COMPLETED trial with a finite value; undefined
   * otherwise (FAILED and PRUNED trials rank worst and are never promoted).
   */
  readonly loss: number | undefined;
}

export interface BracketState {
  readonly plan: HyperbandBracket;
  /** Position of the bracket in the plan's run order. */
  readonly sequence: number;
  /** Slots of each round, in trial order. */
  readonly rounds: readonly (readonly HyperbandSlot[])[];
}

export interface HyperbandState {
  /** Brackets with at least one slot, in run order. */
  readonly started: readonly BracketState[];
  /** Run-order position of the next bracket to start. */
  readonly nextSequence: number;
  /** Epochs planned by all slots so far, counting only new epochs (epochs - initialEpoch). */
  readonly epochsUsed: number;
  /** Slots whose trial is WAITING or RUNNING. */
  readonly unfinished: number;
}

/** Run-order position of a bracket, or -1 when the plan has no such bracket. */
/**
 * Epochs a trial trains: from its `initialEpoch` to its `epochs`, or from the epoch it says it
 * started at (user attribute `initial_epoch`, which the tfjs tuners set: a promoted trial
 * whose parent's checkpoint is missing trains from 0), so that `maxEpochsTotal` counts
 * what was trained, not what was planned.
 */
function epochsTrained(slot: HyperbandSlot): number {
  const started = slot.trial.userAttrs['initial_epoch'];
  const from = typeof started === 'number' ? started : slot.attrs.initialEpoch;
  return Math.max(0, slot.attrs.epochs - from);
}

export function bracketSequence(plan: HyperbandPlan, attrs: HyperbandTrialAttrs): number {
  const { numBrackets } = plan;
  const { hyperbandIterations } = plan.options;
  if (
    attrs.iteration >= hyperbandIterations ||
    attrs.bracket >= numBrackets ||
    attrs.round > attrs.bracket
  )
    return -1;
  return attrs.iteration * numBrackets + (numBrackets - 1 - attrs.bracket);
}

/** One slot per retry chain of the trials that carry Hyperband attributes of this plan. */
export function collectSlots(
  trials: readonly Trial[],
  plan: HyperbandPlan,
  direction: Direction,
): HyperbandSlot[] {
  const latest = new Map<number, { trial: Trial; attrs: HyperbandTrialAttrs }>();
  for (const trial of trials) {
    const attrs = readHyperbandAttrs(trial.oracleAttrs);
    if (attrs === undefined || bracketSequence(plan, attrs) < 0) continue;
    const root = trial.retryOf ?? trial.number;
    const seen = latest.get(root);
    if (seen === undefined || trial.number > seen.trial.number) latest.set(root, { trial, attrs });
  }
  return [...latest.entries()]
    .sort(([a], [b]) => a - b)
    .map(([root, { trial, attrs }]) => {
      const value = trial.values?.[0];
      const ok = trial.status === 'COMPLETED' && value !== undefined && Number.isFinite(value);
      return {
        root,
        trial,
        attrs,
        finished: isFinished(trial.status),
        loss: ok ? toLoss(value, direction) : undefined,
      };
    });
}

/** The state of the search given the study's trials. */
export function hyperbandState(
  trials: readonly Trial[],
  plan: HyperbandPlan,
  direction: Direction,
): HyperbandState {
  const slots = collectSlots(trials, plan, direction);
  const bySequence = new Map<number, HyperbandSlot[][]>();
  let epochsUsed = 0;
  let unfinished = 0;
  for (const slot of slots) {
    const sequence = bracketSequence(plan, slot.attrs);
    let rounds = bySequence.get(sequence);
    if (rounds === undefined) {
      rounds = Array.from({ length: slot.attrs.bracket + 1 }, () => []);
      bySequence.set(sequence, rounds);
    }
    rounds[slot.attrs.round]?.push(slot);
    epochsUsed += epochsTrained(slot);
    if (!slot.finished) unfinished++;
  }
  const sequences = [...bySequence.keys()].sort((a, b) => a - b);
  const started = sequences.map((sequence) => ({
    plan: plan.brackets[sequence] as HyperbandBracket,
    sequence,
    rounds: bySequence.get(sequence) as HyperbandSlot[][],
  }));
  return {
    started,
    nextSequence: sequences.length === 0 ? 0 : (sequences[sequences.length - 1] as number) + 1,
    epochsUsed,
    unfinished,
  };
}
