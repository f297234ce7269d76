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

/** A trial's objective value(s), or '-'. */
export function score(trial: Trial | undefined): string {
  return trial?.values?.map((v) => v.toFixed(4)).join(', ') ?? '-';
}
