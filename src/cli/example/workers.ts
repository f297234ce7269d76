/**
 * Parallel trials of the example: the main process starts `--workers N` - 1 more processes of
 * this CLI (`example --join`), which run the search loop of the same study through its storage,
 * each on its own backend; the main process follows their finished trials in the storage.
 */
import type { Study } from '../../index.js';
import { budgetUsed } from '../../trials/index.js';
import { STORAGE_ENV } from '../storage-flag.js';
import { startWorkerProcesses } from '../worker-processes.js';
import type { WorkerProcesses } from '../worker-processes.js';
import type { ExampleOptions } from './options.js';
import { joinArguments } from './options.js';

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
    // the storage goes through the environment: a command line shows its password to `ps`
    ...(options.storage === undefined ? {} : { env: { [STORAGE_ENV]: options.storage } }),
    onStderrLine: (worker, line) => log(`[worker ${worker}] ${line}`),
  });
}
