/**
 * What a Hyperband trial carries in `oracleAttrs`, and reading it back safely.
 */
import type { JsonValue } from '../../trials/index.js';

export interface HyperbandTrialAttrs {
  /** Which run of the whole set of brackets (0-based). */
  readonly iteration: number;
  readonly bracket: number;
  readonly round: number;
  /** Train up to this many epochs (Keras' `epochs`). */
  readonly epochs: number;
  /** Start at this epoch (Keras' `initialEpoch`): the epochs the parent already trained. */
  readonly initialEpoch: number;
  /** Number of the trial whose checkpoint this one continues; null in round 0. */
  readonly parentTrial: number | null;
}

function isCount(value: JsonValue | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The Hyperband attributes in a trial's `oracleAttrs`, or undefined when it has none (or broken ones). */
export function readHyperbandAttrs(
  attrs: Readonly<Record<string, JsonValue>>,
): HyperbandTrialAttrs | undefined {
  const { iteration, bracket, round, epochs, initialEpoch, parentTrial } = attrs;
  if (
    !isCount(iteration) ||
    !isCount(bracket) ||
    !isCount(round) ||
    !isCount(epochs) ||
    !isCount(initialEpoch)
  )
    return undefined;
  if (parentTrial !== null && parentTrial !== undefined && !isCount(parentTrial)) return undefined;
  return { iteration, bracket, round, epochs, initialEpoch, parentTrial: parentTrial ?? null };
}

/** The attributes as a JSON record for a trial proposal. */
export function hyperbandAttrsRecord(
  attrs: HyperbandTrialAttrs,
): Readonly<Record<string, JsonValue>> {
  return { ...attrs };
}
