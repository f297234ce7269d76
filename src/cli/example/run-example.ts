/**
 * The main process of `hypertuner example`: opens the study, runs the search (in `--workers`
 * processes at once) for as long as the time budget leaves room for the final training, which
 * it plans from the speed the trials measured; prints the results, then alone retrains the best
 * hyperparameters (on both cores) and scores them on the test set, within `--time-budget`.
 */
import { join, resolve } from 'node:path';
import { HypertunerError } from '../../index.js';
import { redactStorageUrl } from '../../storage/index.js';
import type { WorkerProcesses } from '../worker-processes.js';
import { EVAL_SHARE, MIN_FINAL_EPOCHS, finalEpochMs } from './budget-plan.js';
import { openExperiment, searchTrials } from './experiment.js';
import type { Experiment } from './experiment.js';
import { finalModel } from './final-training.js';
import type { ExampleOptions } from './options.js';
import { DEFAULT_METHOD, inMemoryStudy, projectNameOf } from './options.js';
import { exampleProgress } from './progress-bars.js';
import { SearchStopper, examplePlanInput } from './search-stopper.js';
import { writeSearchData } from './shared-data.js';
import { seconds } from './text.js';
import { plural } from '../../plural.js';
import { extraWorkers, startExampleWorkers } from './workers.js';

/** The search's data file in the project folder (read by the worker processes). */
const DATA_FILE = 'search-data.bin';
/** Kept after the final training for scoring the test set and saving (at least, in ms). */
const TEST_RESERVE_MIN_MS = 1_500;

export async function runExample(options: ExampleOptions): Promise<void> {
  const t0 = options.startedAt;
  const budgetEnd = t0 + options.budgetMs;
  const err = process.stderr;
  const say = (text: string): void => void err.write(`${text}\n`);
  const live = !options.plain && err.isTTY === true;
  // with --json, stdout carries one JSON line and the text goes to stderr
  const out = options.json ? err : process.stdout;
  const bars = exampleProgress({
    stream: err,
    live,
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
  let stopper: SearchStopper | undefined;
  try {
    experiment = await openExperiment(options, {
      say,
      callbacks: {
        ...bars,
        onTrialEnd: (trial, best, info) => {
          bars.onTrialEnd?.(trial, best, info);
          stopper?.observe(trial);
        },
      },
    });
    const { tfjs, tuner, data, backend, search } = experiment;
    if (data === undefined) throw new Error('the main process of the example loads the dataset');
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
    say(
      `Method: ${methodSentence(options)}. Time budget ${seconds(options.budgetMs)}: the search goes on until what is left is what the final training of the best needs (measured from the trials).`,
    );
    out.write(`${await tuner.searchSpaceSummary()}\n\n`);
    const study = await tuner.study();
    const tSearch = Date.now();
    const planInput = examplePlanInput(options, search);
    const extra = await extraWorkers(options, study);
    // one look at the storage a second follows the other processes, for the plan and the display
    stopper = await SearchStopper.start(
      planInput,
      study,
      extra > 0 ? bars.otherTrialEnded : undefined,
    );
    try {
      if (extra > 0) {
        const dataFile = join(resolve(options.directory), projectName, DATA_FILE);
        await writeSearchData(dataFile, search);
        say(
          `Workers: this process and ${extra} more, each training one trial at a time on its own backend (the search data shared through ${DATA_FILE}).`,
        );
        workers = startExampleWorkers(extra, options, dataFile, bars.log);
      }
      await searchTrials(experiment, stopper);
      for (const exit of (await workers?.exited) ?? [])
        if (!exit.ok) bars.log(`Worker ${exit.worker} stopped with ${exit.how}.`);
      await stopper.stop();
      bars.finish(1 + extra);
    } finally {
      workers?.stop();
      await stopper.stop();
      bars.stop();
    }
    const plan = stopper.plan;
    const searchEnded = Date.now();
    const trialsRun = (await study.trials()).filter(
      (t) => t.finishedAt !== undefined && t.finishedAt >= tSearch,
    ).length;
    say(
      `Search took ${seconds(Date.now() - tSearch)}; ${seconds(Math.max(0, budgetEnd - Date.now()))} left for the final training (${
        options.finalEpochs === 0
          ? `no retraining asked (--final-epochs 0), ${seconds(plan.finalMs)} kept for scoring the best trial's checkpoint`
          : plan.retrains
            ? `${seconds(plan.finalMs)} predicted for ${plural(options.finalEpochs, 'epoch')} of the best`
            : `not one epoch of it fitted when the search planned its end, ${seconds(plan.finalMs)} kept for scoring`
      }).`,
    );
    out.write(`${await tuner.resultsSummary(3)}\n\n`);

    const [best] = await tuner.getBestTrials(1);
    const [hp] = await tuner.getBestHyperparameters(1);
    if (best === undefined || hp === undefined)
      throw new HypertunerError('NO_COMPLETED_TRIAL', 'No trial completed; nothing to retrain.', {
        field: 'trials',
      });
    // kept after the time is up: scoring the last epoch on the held-out slice, then the test
    // set, at the trials' measured speed (with room to spare), and saving the model
    const scored =
      options.finalEpochs > 0 ? data.test.count + search.validation.count : data.test.count;
    const perUnit = plan.msPerUnit(planInput.paramCount(best.params));
    const testMs = Math.max(TEST_RESERVE_MIN_MS, 1.5 * EVAL_SHARE * scored * perUnit || 0);
    const deadline = budgetEnd - testMs;
    // too little time to retrain: the best trial's own checkpoint does better than a sliver of an epoch
    const epochMs = finalEpochMs(planInput, plan.msPerUnit, planInput.paramCount(best.params)) || 0;
    const left = deadline - Date.now();
    const noRetrain =
      options.finalEpochs > 0 && left < MIN_FINAL_EPOCHS * epochMs
        ? `only ${seconds(Math.max(0, left))} left, an epoch of the final training takes ~${seconds(epochMs)}`
        : undefined;
    const final = await finalModel({
      tfjs,
      tuner,
      hypermodel: experiment.hypermodel,
      best,
      hp,
      data,
      heldOutSize: options.valSize,
      finalEpochs: noRetrain === undefined ? options.finalEpochs : 0,
      ...(noRetrain === undefined ? {} : { noRetrain }),
      patience: options.patience,
      batchSize: options.batchSize,
      seed: options.seed,
      live,
      say,
      budgetEnd,
      evalExamples: scored,
      minReserveMs: testMs,
    });
    const test = tfjs.imageSplitToArrays(data.test);
    const scores = tfjs.evaluateModel(final.model, test.x, test.y, { batchSize: 1000 });
    const layers = tfjs.modelSummary(final.model);
    final.model.optimizer?.dispose();
    final.model.dispose();
    const where = options.finalEpochs === 0 ? 'Checkpoint in' : 'Saved to';
    const total = Date.now() - t0;
    const lines = [
      `Best model: ${final.how}.`,
      `Best hyperparameters: ${JSON.stringify(hp.values)}`,
      layers,
      `Test set (${data.test.count} images): loss ${(scores['loss'] ?? NaN).toFixed(4)}, accuracy ${(scores['accuracy'] ?? NaN).toFixed(4)}`,
      `${where} ${final.folder}/ (model.json + weights.bin). Data: ${data.name} from ${data.source}. Backend: ${backend.description}. Total time ${seconds(total)} of the ${seconds(options.budgetMs)} budget (${((100 * total) / options.budgetMs).toFixed(1)}%).`,
    ];
    out.write(`${lines.join('\n')}\n`);
    if (options.json) {
      const summary = {
        method: methodText(options),
        seed: options.seed,
        budgetSeconds: options.budgetMs / 1000,
        trials: trialsRun,
        searchSeconds: (searchEnded - t0) / 1000,
        predictedFinalSeconds: plan.finalMs / 1000,
        finalEpochs: final.retrained?.epochs ?? 0,
        finalPartial: final.retrained?.partial ?? false,
        finalEnding: final.retrained?.ending ?? null,
        finalBestEpoch: (final.retrained?.bestEpoch ?? -1) + 1,
        finalSeconds: final.ms / 1000,
        finalNote: noRetrain ?? null,
        trainedWith: final.retrained?.trainedWith ?? null,
        totalSeconds: total / 1000,
        bestValue: best.values?.[0] ?? null,
        bestParams: hp.values,
        testLoss: scores['loss'] ?? null,
        testAccuracy: scores['accuracy'] ?? null,
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    }
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await experiment?.tuner.close();
  }
}

/**
 * The search method, as the example's `Method:` line says it: with, for the default method
 * (DEFAULT_METHOD, no pruner), why it is the default.
 */
export function methodSentence(options: ExampleOptions): string {
  const isDefault =
    options.tuner === DEFAULT_METHOD.tuner &&
    options.sampler === DEFAULT_METHOD.sampler &&
    options.fidelity === DEFAULT_METHOD.fidelity &&
    options.epochs === DEFAULT_METHOD.epochs &&
    options.pruner === 'none';
  return isDefault
    ? `${methodText(options)} (the default: the best median test accuracy of the methods \`npm run bench:methods\` ran for 10 minutes each; --tuner chooses another)`
    : methodText(options);
}

/** The search method, as a sentence part. */
function methodText(options: ExampleOptions): string {
  const pruned = options.pruner === 'asha' ? ' with ASHA pruning' : '';
  switch (options.tuner) {
    case 'bayesian':
      return `Bayesian optimisation (Gaussian process)${pruned}`;
    case 'tpe':
      return `TPE${pruned}`;
    case 'random':
      return `random search${pruned}`;
    case 'grid':
      return 'grid search';
    case 'hyperband':
      return `Hyperband${options.sampler === 'tpe' ? ' with TPE sampling (BOHB-style)' : ''} ${
        options.fidelity === 'samples'
          ? `over training-set size (${plural(options.epochs, 'epoch')} on 1/9, 1/3 or all of the training images, from scratch)`
          : `over up to ${plural(options.epochs, 'epoch')}`
      }`;
    default: {
      const never: never = options.tuner;
      return String(never);
    }
  }
}
