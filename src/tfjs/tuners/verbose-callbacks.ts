/**
 * What `search({verbose})` prints: plain lines on stderr, a line per trial (verbose 1) and per
 * epoch (verbose 2). The library prints nothing else; richer progress is the CLI's business.
 */
import type { TunerCallbacks } from './tuner-types.js';

function metricsText(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'acc' && k !== 'val_acc')
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(' ');
}

/** Callbacks writing progress lines to `stream`. */
export function verboseCallbacks(
  level: 0 | 1 | 2,
  stream: NodeJS.WritableStream = process.stderr,
): TunerCallbacks {
  if (level === 0) return {};
  const write = (line: string): void => void stream.write(`${line}\n`);
  return {
    onBackend: (choice) => write(`Training on the ${choice.description} backend.`),
    onTrialStart: (trial) =>
      write(`Trial ${trial.number} started: ${JSON.stringify(trial.params)}`),
    ...(level === 2
      ? {
          onEpochEnd: (info) =>
            write(
              `  trial ${info.trial} epoch ${info.epoch + 1}/${info.epochs}: ${metricsText(info.logs)}${info.best ? ' (best)' : ''}`,
            ),
        }
      : {}),
    onTrialEnd: (trial, best) => {
      const score = trial.values?.map((v) => v.toFixed(4)).join(', ') ?? '-';
      const error =
        trial.status === 'FAILED' ? `: ${(trial.error ?? '').split('\n')[0] ?? ''}` : '';
      write(
        `Trial ${trial.number} ${trial.status} score ${score}${error} | best so far ${best?.values?.map((v) => v.toFixed(4)).join(', ') ?? '-'}`,
      );
    },
    onSearchEnd: (info) => write(`Search ended: ${info.reason}.`),
  };
}

/** Calls every hook of `list` in order. */
export function mergeCallbacks(list: readonly TunerCallbacks[]): TunerCallbacks {
  const all = <K extends keyof TunerCallbacks>(key: K) =>
    ((...args: unknown[]) => {
      for (const callbacks of list)
        (callbacks[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
    }) as NonNullable<TunerCallbacks[K]>;
  return {
    onBackend: all('onBackend'),
    onSearchStart: all('onSearchStart'),
    onTrialStart: all('onTrialStart'),
    onTrialReport: all('onTrialReport'),
    onTrialEnd: all('onTrialEnd'),
    onSearchEnd: all('onSearchEnd'),
    onEpochBegin: all('onEpochBegin'),
    onBatchEnd: all('onBatchEnd'),
    onEpochEnd: all('onEpochEnd'),
  };
}
