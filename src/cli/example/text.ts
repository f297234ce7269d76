/** Small text helpers of the example's output. */
import type { Trial } from '../../index.js';
import { formatDuration } from '../../tuner/progress-text.js';

/** `42s` or `3m05s` (the progress format's durations). */
export function seconds(ms: number): string {
  return formatDuration(ms);
}

/** `loss 0.4123, accuracy 0.8512, ...` for the metrics present. */
export function metricText(logs: Readonly<Record<string, number>>): string {
  return ['loss', 'accuracy', 'val_loss', 'val_accuracy']
    .filter((k) => logs[k] !== undefined)
    .map((k) => `${k} ${(logs[k] as number).toFixed(4)}`)
    .join(', ');
}

/**
 * Which epoch a COMPLETED trial's score is, as the tuners score a trial (its best epoch, as
 * Keras Tuner does): `best epoch: 2 of 4`; undefined when its value is none of the epochs'
 * (several executions average them) or it reported no epochs.
 */
export function scoreEpochText(trial: Trial): string | undefined {
  const value = trial.values?.[0];
  if (trial.status !== 'COMPLETED' || value === undefined) return undefined;
  const epochs = [...trial.intermediate].sort((a, b) => a.step - b.step);
  // the first epoch that reached it: later ties do not replace a best epoch
  const best = epochs.find((e) => e.value === value);
  const last = epochs[epochs.length - 1];
  return best === undefined || last === undefined
    ? undefined
    : `best epoch: ${best.step + 1} of ${last.step + 1}`;
}

/**
 * What the example's progress says after a trial's value: which epoch it is and, for Hyperband
 * over training-set size, how many images it trained on (`best epoch: 2 of 4, on 1333 images`).
 */
export function trialNote(trial: Trial): string | undefined {
  const size = trial.userAttrs['training_set_size'];
  const images = typeof size === 'number' ? `on ${size} images` : undefined;
  const parts = [scoreEpochText(trial), images].filter((p) => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** A trial's score and which epoch it is: `0.8512 (best epoch: 2 of 4)`, or '-'. */
export function scoreWithEpoch(trial: Trial | undefined): string {
  const note = trial === undefined ? undefined : scoreEpochText(trial);
  return `${score(trial)}${note === undefined ? '' : ` (${note})`}`;
}

/** A trial's objective value(s), or '-'. */
export function score(trial: Trial | undefined): string {
  return trial?.values?.map((v) => v.toFixed(4)).join(', ') ?? '-';
}
