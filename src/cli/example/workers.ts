/**
 * Parallel trials of the example: the main process starts `--workers N` - 1 more processes of
 * this CLI (`example --join`), which run the search loop of the same study through its storage,
 * each on its own backend; the main process follows their finished trials in the storage.
 */
import type { Study, Trial } from '../../index.js';
import { budgetUsed, rankTrials } from '../../index.js';
import { startWorkerProcesses } from '../worker-processes.js';
import type { WorkerProcesses } from '../worker-processes.js';
import type { ExampleOptions } from './options.js';
import { joinArguments } from './options.js';

const FINISHED = new Set(['COMPLETED', 'PRUNED', 'FAILED']);

/** Processes besides this one worth starting: no more than the trials left to run. */
export async function extraWorkers(options: ExampleOptions, study: Study): Promise<number> {
  if (options.workers <= 1) return 0;
  if (options.tuner === 'hyperband') return options.workers - 1; // its number of trials is its own
  const left = options.trials - budgetUsed(await study.trials());
  return Math.max(0, Math.min(options.workers, left) - 1);
}

/** Starts `count` worker processes of the study, searching until `deadline` (ms since 1970). */
export function startExampleWorkers(
  count: number,
  options: ExampleOptions,
  deadline: number,
  log: (text: string) => void,
): WorkerProcesses {
  return startWorkerProcesses(count, joinArguments(options, deadline), {
    ipc: true,
    onStderrLine: (worker, line) => log(`[worker ${worker}] ${line}`),
  });
}

export interface TrialWatch {
  /** Looks once more (to catch the last trials), then stops looking. */
  stop(): Promise<void>;
}

/**
 * Calls `onEnded` for each trial of `study` that another process finishes from now on
 * (polling the storage every `intervalMs`).
 */
export async function watchOtherTrials(
  study: Study,
  onEnded: (trial: Trial, best: Trial | undefined) => void,
  intervalMs = 1000,
): Promise<TrialWatch> {
  const seen = new Set<number>();
  const look = async (report: boolean): Promise<void> => {
    const trials = await study.trials();
    const best = rankTrials(trials, study.objectives)[0];
    for (const trial of trials) {
      if (!FINISHED.has(trial.status) || seen.has(trial.number)) continue;
      seen.add(trial.number);
      if (report && trial.workerId !== study.workerId) onEnded(trial, best);
    }
  };
  await look(false);
  let pending = Promise.resolve();
  const tick = (): void => {
    pending = pending.then(() => look(true)).catch(() => undefined);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      tick();
      await pending;
    },
  };
}
