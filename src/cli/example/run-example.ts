/**
 * The main process of `hypertuner example`: opens the study, runs the search (in `--workers`
 * processes at once), prints the results, then alone retrains the best hyperparameters and
 * scores them on the test set, within `--time-budget`.
 */
import { HypertunerError } from '../../index.js';
import { redactStorageUrl } from '../../storage/index.js';
import { watchOtherTrials } from '../trial-watch.js';
import type { TrialWatch } from '../trial-watch.js';
import type { WorkerProcesses } from '../worker-processes.js';
import { openExperiment, searchTrials } from './experiment.js';
import type { Experiment } from './experiment.js';
import { finalModel } from './final-training.js';
import type { ExampleOptions } from './options.js';
import { inMemoryStudy, projectNameOf } from './options.js';
import { exampleProgress } from './progress-bars.js';
import { seconds } from './text.js';
import { extraWorkers, startExampleWorkers } from './workers.js';

/** Share of the time budget the search may use; the final training gets the rest. */
const SEARCH_SHARE = 0.55;

export async function runExample(options: ExampleOptions): Promise<void> {
  const t0 = Date.now();
  const err = process.stderr;
  const say = (text: string): void => void err.write(`${text}\n`);
  const live = !options.plain && err.isTTY === true;
  const bars = exampleProgress({
    stream: err,
    live,
    maxTrials: options.tuner === 'hyperband' ? undefined : options.trials,
    showWorker: options.workers > 1,
  });
  let workers: WorkerProcesses | undefined;
  // Ctrl-C stops every process at once; their running trials are re-run when resumed
  const interrupt = (signal: NodeJS.Signals): void => {
    workers?.stop();
    bars.stop();
    err.write(`\nStopped (${signal}); run the same command again to resume.\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let experiment: Experiment | undefined;
  try {
    experiment = await openExperiment(options, { say, callbacks: bars });
    const { tfjs, tuner, data, backend } = experiment;
    const projectName = projectNameOf(options);
    const studyPlace =
      options.storage === undefined
        ? `${options.directory}/${projectName}/study.db`
        : redactStorageUrl(options.storage);
    say(
      inMemoryStudy(options)
        ? `Study '${projectName}' in memory only (not resumable; checkpoints in ${options.directory}/${projectName}/).`
        : `Study '${projectName}' in ${studyPlace} (run again to resume; --overwrite to start over).`,
    );
    process.stdout.write(`${await tuner.searchSpaceSummary()}\n\n`);
    const study = await tuner.study();
    const tSearch = Date.now();
    const deadline = t0 + SEARCH_SHARE * options.budgetMs;
    const extra = await extraWorkers(options, study);
    let watch: TrialWatch | undefined;
    try {
      if (extra > 0) {
        say(
          `Workers: this process and ${extra} more, each training one trial at a time on its own backend.`,
        );
        watch = await watchOtherTrials(study, bars.otherTrialEnded);
        workers = startExampleWorkers(extra, options, deadline, bars.log);
      }
      await searchTrials(experiment, Math.max(0, deadline - Date.now()));
      for (const exit of (await workers?.exited) ?? [])
        if (!exit.ok) bars.log(`Worker ${exit.worker} stopped with ${exit.how}.`);
      await watch?.stop();
      bars.finish(1 + extra);
    } finally {
      workers?.stop();
      await watch?.stop();
      bars.stop();
    }
    say(`Search took ${seconds(Date.now() - tSearch)}.`);
    process.stdout.write(`${await tuner.resultsSummary(3)}\n\n`);

    const [best] = await tuner.getBestTrials(1);
    const [hp] = await tuner.getBestHyperparameters(1);
    if (best === undefined || hp === undefined)
      throw new HypertunerError('NO_COMPLETED_TRIAL', 'No trial completed; nothing to retrain.', {
        field: 'trials',
      });
    const final = await finalModel({
      tfjs,
      tuner,
      hypermodel: experiment.hypermodel,
      best,
      hp,
      data,
      finalEpochs: options.finalEpochs,
      batchSize: options.batchSize,
      seed: options.seed,
      live,
      say,
      // stop rather than overrun the time budget (keeping half a minute for the test set)
      deadline: t0 + options.budgetMs - 30_000,
    });
    const test = tfjs.imageSplitToArrays(data.test);
    const scores = tfjs.evaluateModel(final.model, test.x, test.y);
    final.model.optimizer?.dispose();
    final.model.dispose();
    const where = options.finalEpochs === 0 ? 'Checkpoint in' : 'Saved to';
    const lines = [
      `Best model: ${final.how}.`,
      `Best hyperparameters: ${JSON.stringify(hp.values)}`,
      `Test set (${data.test.count} images): loss ${(scores['loss'] ?? NaN).toFixed(4)}, accuracy ${(scores['accuracy'] ?? NaN).toFixed(4)}`,
      `${where} ${final.folder}/ (model.json + weights.bin). Data: ${data.name} from ${data.source}. Backend: ${backend.description}. Total time ${seconds(Date.now() - t0)}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await experiment?.tuner.close();
  }
}
