/**
 * What `search({verbose})` prints on stderr, in hypertuner's one progress format (the same
 * lines as `optimize({verbose})`, the CLI and `hypertuner example`): the resume, a line per
 * trial with i/N, its duration, value, the best so far, elapsed time and ETA (verbose 1), and
 * each trial's start and epochs (verbose 2). The library prints nothing else.
 */
import { metricsText } from '../../tuner/progress-text.js';
import { verboseSearchCallbacks } from '../../tuner/verbose.js';
import type { EpochInfo, TunerCallbacks } from './tuner-types.js';

/** `  #3 epoch 2/5: loss 0.4100, val_accuracy 0.8500 (best)` */
export function epochLine(
  info: EpochInfo & { readonly logs: Readonly<Record<string, number>>; readonly best: boolean },
): string {
  const logs = Object.fromEntries(
    Object.entries(info.logs).filter(([k]) => k !== 'acc' && k !== 'val_acc'),
  );
  return `  #${info.trial} epoch ${info.epoch + 1}/${info.epochs}: ${metricsText(logs, 8)}${info.best ? ' (best)' : ''}`;
}

/** Callbacks writing progress lines to `stream`. */
export function verboseCallbacks(
  level: 0 | 1 | 2,
  stream: NodeJS.WritableStream = process.stderr,
): TunerCallbacks {
  if (level === 0) return {};
  const write = (line: string): void => void stream.write(`${line}\n`);
  return {
    ...verboseSearchCallbacks(level, {
      stream,
      reports: false,
      noLimit: 'the search runs until its signal is aborted or the tuner has nothing left to try',
    }),
    onBackend: (choice) => write(`Training on the ${choice.description} backend.`),
    ...(level === 2 ? { onEpochEnd: (info) => write(epochLine(info)) } : {}),
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
