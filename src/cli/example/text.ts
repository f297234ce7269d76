/** Small text helpers of the example's output. */
import type { Trial } from '../../index.js';

/** `42s` or `3m05s`. */
export function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
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

/** The process id in a worker id `host:pid:nonce`. */
export function workerLabel(workerId: string | undefined): string {
  const parts = (workerId ?? '').split(':');
  return parts.length >= 3 ? `pid ${parts[parts.length - 2] ?? '?'}` : (workerId ?? '?');
}
