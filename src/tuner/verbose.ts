/**
 * What `optimize({ verbose })` prints on stderr, in the one progress format (progress-text.ts):
 * level 1, a line per trial (with i/N, duration, best, elapsed and ETA) and the resume; level
 * 2, also each trial's start and reports. The library prints nothing else.
 */
import type { Objective } from '../trials/index.js';
import type { SearchCallbacks } from './callbacks.js';
import {
  ProgressCounter,
  reportLine,
  searchEndLine,
  searchStartLines,
  trialEndLine,
  trialStartLine,
} from './progress-text.js';

/** The verbosity levels: 0 silent, 1 a line per trial, 2 also starts and reports. */
export type VerboseLevel = 0 | 1 | 2;

export interface VerboseOptions {
  readonly stream?: NodeJS.WritableStream;
  /** Print each report at level 2 (the tfjs tuners print epochs instead). Default true. */
  readonly reports?: boolean;
  /** How a search without limits stops, for its first line. */
  readonly noLimit?: string;
}

/** Callbacks writing the progress lines of `level` to `stream` (stderr by default). */
export function verboseSearchCallbacks(
  level: VerboseLevel,
  options: VerboseOptions = {},
): SearchCallbacks {
  if (level === 0) return {};
  const stream = options.stream ?? process.stderr;
  const write = (line: string): void => void stream.write(`${line}\n`);
  const counter = new ProgressCounter();
  let objectives: readonly Objective[] = [];
  return {
    onSearchStart(info) {
      objectives = info.objectives;
      counter.start(info);
      const noLimit =
        options.noLimit ??
        'the search runs until its signal is aborted or the oracle has nothing left to try';
      for (const line of searchStartLines(info, noLimit)) write(line);
    },
    ...(level === 2
      ? {
          onTrialStart: (trial) => write(trialStartLine(trial)),
          ...(options.reports === false
            ? {}
            : {
                onTrialReport: (trial, step, metrics) => write(reportLine(trial, step, metrics)),
              }),
        }
      : {}),
    onTrialEnd(trial, best, info) {
      counter.ended(trial, info.done);
      write(trialEndLine(trial, best, info, counter, objectives));
    },
    onSearchEnd(info) {
      write(searchEndLine(info.reason, counter));
    },
  };
}

/** Calls the hooks of every member of `list`, in order. */
export function mergeSearchCallbacks(list: readonly SearchCallbacks[]): SearchCallbacks {
  const all =
    <K extends keyof SearchCallbacks>(key: K) =>
    (...args: Parameters<NonNullable<SearchCallbacks[K]>>): void => {
      for (const callbacks of list)
        (callbacks[key] as ((...a: typeof args) => void) | undefined)?.call(callbacks, ...args);
    };
  return {
    onSearchStart: all('onSearchStart'),
    onOracleChoice: all('onOracleChoice'),
    onTrialStart: all('onTrialStart'),
    onTrialReport: all('onTrialReport'),
    onTrialEnd: all('onTrialEnd'),
    onSearchEnd: all('onSearchEnd'),
  };
}
