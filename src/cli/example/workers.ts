/**
 * Parallel trials of the example: the main process starts `--workers N` - 1 more processes of
 * this CLI (`example --join`), which run the search loop of the same study through its storage,
 * each on its own backend, with the search's data from one file the main process wrote; the
 * main process follows their finished trials in the storage.
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
  // Hyperband's number of trials is its own; without --trials the time budget decides
  if (options.tuner === 'hyperband' || options.trials === undefined) return options.workers - 1;
  const left = options.trials - budgetUsed(await study.trials());
  return Math.max(0, Math.min(options.workers, left) - 1);
}

/** Starts `count` worker processes of the study, reading the search data from `dataFile`. */
export function startExampleWorkers(
  count: number,
  options: ExampleOptions,
  dataFile: string,
  log: (text: string) => void,
): WorkerProcesses {
  return startWorkerProcesses(count, joinArguments(options, dataFile), {
    ipc: true,
    // the storage goes through the environment: a command line shows its password to `ps`
    ...(options.storage === undefined ? {} : { env: { [STORAGE_ENV]: options.storage } }),
    onStderrLine: (worker, line) => log(`[worker ${worker}] ${line}`),
  });
}
