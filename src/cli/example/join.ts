/**
 * `hypertuner example --join` (hidden; started by the main process of `example --workers N`):
 * runs only the search loop of the study the main process opened, with the same options, on
 * its own backend, quietly, until the study has its trials or the deadline passes.
 */
import { exitWithParent } from '../worker-processes.js';
import { openExperiment, searchTrials } from './experiment.js';
import type { ExampleOptions } from './options.js';

export async function joinExample(options: ExampleOptions, deadline: number): Promise<void> {
  exitWithParent();
  // never overwrite: the main process has opened (or started again) the study
  const experiment = await openExperiment({ ...options, overwrite: false });
  try {
    await searchTrials(experiment, Math.max(0, deadline - Date.now()));
  } finally {
    await experiment.tuner.close();
  }
}
