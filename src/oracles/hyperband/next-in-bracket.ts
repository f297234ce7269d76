/**
 * What a started bracket can run next: a new configuration for round 0 while it is not full,
 * else the best unpromoted trial of a round whose place in the next round is certain.
 *
 * Promotion is rank-safe for parallel workers: the best finished candidate of round r - 1 is
 * promoted only when the trials of round r - 1 that could still beat it (running, or not yet
 * created) are fewer than the places left in round r. With one worker this is exactly
 * synchronous successive halving; with several, promotions start before a round ends but pick
 * the same trials. FAILED and PRUNED trials count as finished with the worst value; when a
 * round has too few successful trials, the next round is smaller.
 */
import type { ParamValues } from '../../space/index.js';
import type { AskResult } from '../oracle.js';
import type { HyperbandTrialAttrs } from './hyperband-attrs.js';
import type { BracketState, HyperbandSlot } from './hyperband-state.js';
import { plural } from '../../plural.js';

export type BracketStep =
  | {
      readonly kind: 'trial';
      readonly params: ParamValues;
      readonly attrs: HyperbandTrialAttrs;
      readonly sampled: boolean;
    }
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'done' };

function bestCandidate(candidates: readonly HyperbandSlot[]): HyperbandSlot | undefined {
  let best: HyperbandSlot | undefined;
  for (const slot of candidates) {
    if (best === undefined || (slot.loss as number) < (best.loss as number)) best = slot;
  }
  return best;
}

function describe(state: BracketState): string {
  return `Hyperband bracket ${state.plan.bracket} (iteration ${state.plan.iteration})`;
}

export function nextInBracket(state: BracketState, sample: () => AskResult): BracketStep {
  const { plan } = state;
  const round0 = plan.rounds[0];
  let waitReason: string | undefined;
  let previousClosed = false;
  let previousSlots: readonly HyperbandSlot[] = [];
  let previousPlanned = 0;
  for (const round of plan.rounds) {
    const slots = state.rounds[round.round] ?? [];
    let closed: boolean;
    if (round.round === 0) {
      closed = slots.length >= round.trials;
      if (!closed) {
        const answer = sample();
        if (answer.kind === 'trial') {
          const attrs = {
            iteration: plan.iteration,
            bracket: plan.bracket,
            round: 0,
            epochs: round.epochs,
            initialEpoch: 0,
            parentTrial: null,
          };
          return { kind: 'trial', params: answer.params, attrs, sampled: true };
        }
        if (answer.kind === 'wait')
          waitReason ??= `${describe(state)}: the sampler says wait (${answer.reason})`;
        // a sampler with no new configuration closes round 0 with the trials it has
        closed = answer.kind === 'exhausted';
      }
    } else {
      const remaining = round.trials - slots.length;
      if (remaining <= 0) {
        closed = true;
      } else {
        const promoted = new Set(slots.map((s) => s.attrs.parentTrial));
        const unfinished = previousSlots.filter((s) => !s.finished).length;
        const missing = previousClosed ? 0 : Math.max(0, previousPlanned - previousSlots.length);
        const candidates = previousSlots.filter(
          (s) => s.loss !== undefined && !promoted.has(s.trial.number),
        );
        const best = bestCandidate(candidates);
        if (best !== undefined && unfinished + missing < remaining) {
          const attrs = {
            iteration: plan.iteration,
            bracket: plan.bracket,
            round: round.round,
            epochs: round.epochs,
            initialEpoch: round.initialEpoch,
            parentTrial: best.trial.number,
          };
          return { kind: 'trial', params: best.trial.params, attrs, sampled: false };
        }
        closed = best === undefined && unfinished === 0 && previousClosed;
        if (!closed && unfinished > 0) {
          waitReason ??= `${describe(state)}: round ${round.round} waits for ${plural(unfinished, 'running trial')} of round ${round.round - 1} before promoting`;
        }
      }
    }
    previousClosed = closed;
    previousSlots = slots;
    previousPlanned = round.trials;
  }
  if (previousClosed) return { kind: 'done' };
  return {
    kind: 'wait',
    reason:
      waitReason ?? `${describe(state)} (${round0?.trials ?? 0} trials in round 0) is not finished`,
  };
}
