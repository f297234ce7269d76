/**
 * `hypertuner example --join` (hidden; started by the main process of `example --workers N`):
 * runs only the search loop of the study the main process opened, with the same options and
 * the same time plan, on its own backend, quietly, reading the search's data from the file the
 * main process wrote.
 */
import { exitWithParent } from '../worker-processes.js';
import { openExperiment, searchTrials } from './experiment.js';
import type { ExampleOptions } from './options.js';
import { SearchStopper, examplePlanInput } from './search-stopper.js';

export async function joinExample(options: ExampleOptions, dataFile: string): Promise<void> {
  exitWithParent();
  let stopper: SearchStopper | undefined;
  // never overwrite: the main process has opened (or started again) the study
  const experiment = await openExperiment(
    { ...options, overwrite: false },
    { dataFile, callbacks: { onTrialEnd: (trial) => stopper?.observe(trial) } },
  );
  try {
    const study = await experiment.tuner.study();
    stopper = await SearchStopper.start(examplePlanInput(options, experiment.search), study);
    await searchTrials(experiment, stopper);
  } finally {
    await stopper?.stop();
    await experiment.tuner.close();
  }
}
