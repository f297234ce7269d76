/**
 * Ctrl+C in two steps. A terminal sends SIGINT to every process of the group (the search and its
 * worker processes alike), a supervisor SIGTERM to the process it started; the search passes
 * the step on to its worker processes through their IPC channel.
 * - The first asks to finish: no new trial starts, the running ones end as they would (their
 *   time limit still holds), and the command says so at once.
 * - The second stops at once: the process exits with code 130, leaving its running trials
 *   RUNNING; a resumed search takes them as lost (their process is gone) and runs them again.
 */
import { plural } from '../plural.js';

/** The steps of a stop, in order. */
export type StopStep = 'finish' | 'now';

export interface StopControl {
  /** Aborted at the first Ctrl+C or SIGTERM: start no new trial. */
  readonly finish: AbortSignal;
  /** Takes the stop to `step` (as a signal would; from a parent's message, for instance). */
  request(step: StopStep): void;
  /** Removes the signal handlers. */
  dispose(): void;
}

export interface StopOptions {
  /** Where to say what the stop does (nothing when absent: a worker of `search --workers`). */
  readonly say?: (text: string) => void;
  /** How many trials run now (this process and, as last seen, its workers). */
  readonly running?: () => number;
  /** Called at each step before anything else (e.g. to pass it on to worker processes). */
  readonly onStep?: (step: StopStep) => void;
  /** How to end the process at the second step (default `process.exit(130)`). */
  readonly exit?: () => void;
}

/** Handles SIGINT and SIGTERM in two steps (see above) until `dispose()`. */
export function stopOnSignals(options: StopOptions = {}): StopControl {
  const finish = new AbortController();
  let step = 0;
  const request = (to: StopStep): void => {
    const target = to === 'finish' ? 1 : 2;
    if (target <= step) return;
    step = target;
    options.onStep?.(to);
    if (to === 'finish') {
      finish.abort();
      const running = options.running?.() ?? 0;
      options.say?.(
        running > 0
          ? `Stopping: finishing ${plural(running, 'running trial')}, starting no new one; Ctrl+C again to stop now.`
          : 'Stopping: starting no new trial; Ctrl+C again to stop now.',
      );
      return;
    }
    finish.abort();
    options.say?.(
      'Stopped now: trials left RUNNING are run again when the search is resumed (run the same command).',
    );
    (options.exit ?? (() => process.exit(130)))();
  };
  // counted apart from the steps: a worker process may hear of the first Ctrl+C from its
  // parent's message before the terminal's signal reaches it, which is then still the first
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    request(signals === 1 ? 'finish' : 'now');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    finish: finish.signal,
    request,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
