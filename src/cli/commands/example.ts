/**
 * `hypertuner example` (what `npm start` runs): the article's experiment. A multilayer
 * perceptron's depth, widths, activations and learning rate are tuned with Bayesian
 * optimisation on Fashion-MNIST (or CIFAR-10, MNIST); the best hyperparameters are then
 * retrained on the whole training set and scored on the test set. The study is kept in SQLite,
 * so running the command again resumes it. The same program, without the flags, is
 * `examples/fashion-mnist-mlp.ts`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadCifar10, loadFashionMnist, loadMnist, selectExamples } from '../../datasets/index.js';
import type { ImageDataset, ImageSplit } from '../../datasets/index.js';
import type { HyperParameters, Trial } from '../../index.js';
import { HypertunerError, Random } from '../../index.js';
import type * as Tfjs from '../../tfjs/index.js';
import type { LayersModel, TunerBackend, TunerCallbacks } from '../../tfjs/index.js';
import { parseWholeNumber } from '../parse.js';

type Tf = typeof Tfjs.tf;

const DATASETS = ['fashion-mnist', 'cifar10', 'mnist'] as const;
const TUNERS = ['bayesian', 'random', 'grid', 'hyperband'] as const;
/** Activations the article tries per layer (selu too: TensorFlow.js has it). */
const ACTIVATIONS = ['relu', 'tanh', 'elu', 'swish', 'selu'] as const;

interface Flags {
  dataset: string;
  tuner: string;
  trials: string;
  epochs: string;
  finalEpochs: string;
  trainSize: string;
  valSize: string;
  batchSize: string;
  workers: string;
  seed: string;
  timeBudget: string;
  directory: string;
  storage?: string;
  backend: string;
  overwrite?: boolean;
  plain?: boolean;
}

/**
 * The article's search space: 2-4 Dense layers of 64-512 units, an activation each, a learning
 * rate. Grid search needs a finite grid, so there the learning rate steps by factors of 10.
 */
function articleMlp(tf: Tf, inputShape: readonly number[], numClasses: number, grid: boolean) {
  return (hp: HyperParameters): LayersModel => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [...inputShape] }));
    hp.Int('num_layers', { min: 2, max: 4 }); // layers 3 and 4 exist only for some values: see below
    const dense = (i: number): void => {
      const units = hp.Int(`units_${i}`, { min: 64, max: 512, step: 64 });
      const activation = hp.Choice(`activation_${i}`, ACTIVATIONS);
      model.add(tf.layers.dense({ units, activation }));
    };
    dense(0);
    dense(1);
    hp.conditionalScope('num_layers', [3, 4], () => dense(2));
    hp.conditionalScope('num_layers', [4], () => dense(3));
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    const learningRate = hp.Float('learning_rate', {
      min: 1e-4,
      max: 1e-2,
      sampling: 'log',
      default: 1e-3,
      ...(grid ? { step: 10 } : {}),
    });
    model.compile({
      optimizer: tf.train.adam(learningRate),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    return model;
  };
}

function loadDataset(name: string): Promise<ImageDataset> {
  switch (name) {
    case 'fashion-mnist':
      return loadFashionMnist({ allowSubset: true });
    case 'cifar10':
      return loadCifar10();
    case 'mnist':
      return loadMnist();
    default:
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `--dataset must be one of ${DATASETS.join(', ')}, got '${name}'.`,
        { field: 'dataset' },
      );
  }
}

/** Disjoint random training and validation subsets of the training split (seeded). */
function searchSubsets(
  train: ImageSplit,
  trainSize: number,
  valSize: number,
  seed: number,
): { fit: ImageSplit; validation: ImageSplit } {
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const random = new Random(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const valCount = Math.min(valSize, Math.floor(train.count / 5));
  const fitCount = Math.min(trainSize, train.count - valCount);
  return {
    validation: selectExamples(train, order.subarray(0, valCount).sort()),
    fit: selectExamples(train, order.subarray(valCount, valCount + fitCount).sort()),
  };
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function metricText(logs: Readonly<Record<string, number>>): string {
  return ['loss', 'accuracy', 'val_loss', 'val_accuracy']
    .filter((k) => logs[k] !== undefined)
    .map((k) => `${k} ${(logs[k] as number).toFixed(4)}`)
    .join(', ');
}

/** Progress on stderr: a bar for the trials and one for the current epoch, or plain lines. */
function progress(
  stream: NodeJS.WriteStream,
  live: boolean,
  maxTrials: number | undefined,
): TunerCallbacks & { stop(): void } {
  const started = Date.now();
  let done = 0;
  let bestText = '-';
  let multi: cliProgress.MultiBar | undefined;
  let trials: cliProgress.SingleBar | undefined;
  let epoch: cliProgress.SingleBar | undefined;
  const line = (text: string): void => {
    if (multi !== undefined) multi.log(`${text}\n`);
    else stream.write(`${text}\n`);
  };
  const score = (t: Trial | undefined): string =>
    t?.values?.map((v) => v.toFixed(4)).join(', ') ?? '-';
  return {
    onSearchStart(info) {
      done = info.alreadyDone;
      if (info.alreadyDone > 0)
        line(`Resuming study '${info.studyName}': ${info.alreadyDone} trial(s) already done.`);
      if (!live) return;
      multi = new cliProgress.MultiBar(
        {
          stream,
          hideCursor: true,
          clearOnComplete: false,
          format: '{label} |{bar}| {value}/{total} {text}',
        },
        cliProgress.Presets.shades_classic,
      );
      trials = multi.create(maxTrials ?? 0, done, { label: 'trials', text: '' });
    },
    onTrialStart(trial) {
      if (!live) line(`Trial ${trial.number} started: ${JSON.stringify(trial.params)}`);
    },
    onEpochBegin(info) {
      if (multi === undefined) return;
      const label = `trial ${info.trial} epoch ${info.epoch + 1}/${info.epochs}`;
      if (epoch === undefined) epoch = multi.create(info.batches, 0, { label, text: '' });
      else epoch.start(info.batches, 0, { label, text: '' });
    },
    onBatchEnd(info) {
      epoch?.update(info.batch + 1, {
        text: info.logs['loss'] === undefined ? '' : `loss ${info.logs['loss'].toFixed(4)}`,
      });
    },
    onEpochEnd(info) {
      const text = `trial ${info.trial} epoch ${info.epoch + 1}/${info.epochs}: ${metricText(info.logs)}${info.best ? ' *' : ''}`;
      if (live) epoch?.update({ text: metricText(info.logs) });
      else line(`  ${text}`);
    },
    onTrialEnd(trial, best) {
      done++;
      bestText = score(best);
      const error =
        trial.status === 'FAILED' ? ` (${(trial.error ?? '').split('\n')[0] ?? ''})` : '';
      const elapsed = Date.now() - started;
      trials?.update(done, { text: `best val_accuracy ${bestText} | ${seconds(elapsed)}` });
      line(
        `Trial ${trial.number} ${trial.status}: val_accuracy ${score(trial)}${error} | best ${bestText} | ${seconds(elapsed)} elapsed`,
      );
    },
    onSearchEnd(info) {
      this.stop();
      line(`Search ended: ${info.reason} (${info.trialsRun} trial(s) run now).`);
    },
    stop() {
      multi?.stop();
      multi = undefined;
      epoch = undefined;
      trials = undefined;
    },
  };
}

/** Name of the file saying which training the saved best model had (so a rerun can reuse it). */
const STAMP_FILE = 'hypertuner-final.json';

/** Trains the final model on all training images, with a bar (or lines); returns the epochs run. */
async function retrain(
  tfjs: typeof Tfjs,
  model: LayersModel,
  all: Tfjs.ExampleArrays,
  options: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly seed: number;
    readonly live: boolean;
    readonly say: (text: string) => void;
    readonly deadline: number;
  },
): Promise<number> {
  const { epochs, batchSize, seed, live, say, deadline } = options;
  const bar = live
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'final epoch {epoch} |{bar}| {value}/{total} {text}',
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const batches = Math.ceil(all.count / batchSize);
  let epochStart = Date.now();
  let trained = 0;
  await tfjs.fitModel(model, all.x, all.y, {
    epochs,
    batchSize,
    seed,
    callbacks: [
      {
        onEpochBegin: (e) => {
          epochStart = Date.now();
          bar?.start(batches, 0, { epoch: `${e + 1}/${epochs}`, text: '' });
        },
        onBatchEnd: (b, logs) =>
          bar?.update(b + 1, { text: `loss ${(logs?.['loss'] ?? NaN).toFixed(4)}` }),
        onEpochEnd: (e, logs) => {
          bar?.stop();
          say(`  final epoch ${e + 1}/${epochs}: ${metricText(tfjs.withMetricAliases(logs))}`);
          trained = e + 1;
          if (e + 1 < epochs && Date.now() + (Date.now() - epochStart) * 1.2 > deadline)
            model.stopTraining = true;
        },
      },
    ],
  });
  return trained;
}

async function runExperiment(flags: Flags): Promise<void> {
  const t0 = Date.now();
  const err = process.stderr;
  const say = (text: string): void => void err.write(`${text}\n`);
  if (!(DATASETS as readonly string[]).includes(flags.dataset)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--dataset must be one of ${DATASETS.join(', ')}, got '${flags.dataset}'.`,
      { field: 'dataset' },
    );
  }
  if (!(TUNERS as readonly string[]).includes(flags.tuner)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--tuner must be one of ${TUNERS.join(', ')}, got '${flags.tuner}'.`,
      { field: 'tuner' },
    );
  }
  const maxTrials = parseWholeNumber(flags.trials, 'trials', 1);
  const epochs = parseWholeNumber(flags.epochs, 'epochs', 1);
  const finalEpochs = parseWholeNumber(flags.finalEpochs, 'final-epochs', 0);
  const trainSize = parseWholeNumber(flags.trainSize, 'train-size', 10);
  const valSize = parseWholeNumber(flags.valSize, 'val-size', 10);
  const batchSize = parseWholeNumber(flags.batchSize, 'batch-size', 1);
  const workers = parseWholeNumber(flags.workers, 'workers', 1);
  const seed = parseWholeNumber(flags.seed, 'seed', 0);
  const budgetMs = Number(flags.timeBudget) * 60_000;
  if (!(budgetMs > 0))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--time-budget must be a number of minutes > 0, got '${flags.timeBudget}'.`,
      { field: 'time-budget' },
    );

  // loaded here, so that the other commands never load TensorFlow.js
  const tfjs = await import('../../tfjs/index.js');
  const tf = tfjs.tf;
  const backends: readonly string[] = [...tfjs.BACKEND_PREFERENCES, 'current'];
  if (!backends.includes(flags.backend)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--backend must be one of ${backends.join(', ')}, got '${flags.backend}'.`,
      { field: 'backend' },
    );
  }
  const backend = await tfjs.ensureBackend(flags.backend as TunerBackend);
  say(`Backend: ${backend.description}${backend.name === 'tensorflow' ? ' (tfjs-node)' : ''}.`);
  if (workers > 1)
    say(
      `--workers ${workers}: parallel trials are not implemented in 'example' yet; running the trials one after another.`,
    );

  const data = await loadDataset(flags.dataset);
  say(
    `Data: ${data.name}, ${data.train.count} training + ${data.test.count} test images of ${data.train.shape.join('x')}, source ${data.source} (${data.dir}).`,
  );
  if (data.fallbackReason !== undefined)
    say(`  (the full dataset was not found: ${data.fallbackReason})`);
  const { fit, validation } = searchSubsets(data.train, trainSize, valSize, seed);
  const search = { train: tfjs.imageSplitToArrays(fit), val: tfjs.imageSplitToArrays(validation) };
  say(
    `Search: ${fit.count} training images, ${validation.count} other training images for validation, ${epochs} epoch(s) per trial, batch ${batchSize}.`,
  );

  const hypermodel = articleMlp(
    tf,
    data.train.shape,
    data.classNames.length,
    flags.tuner === 'grid',
  );
  const projectName = `${data.name}-mlp-${flags.tuner}`;
  const live = flags.plain !== true && err.isTTY === true;
  const bars = progress(err, live, flags.tuner === 'hyperband' ? undefined : maxTrials);
  const common = {
    hypermodel,
    objective: 'val_accuracy',
    directory: flags.directory,
    projectName,
    seed,
    overwrite: flags.overwrite === true,
    callbacks: bars,
    backend: 'current' as const,
    ...(flags.storage === undefined ? {} : { storage: flags.storage }),
  };
  const tuner =
    flags.tuner === 'random'
      ? new tfjs.RandomSearch({ ...common, maxTrials })
      : flags.tuner === 'grid'
        ? new tfjs.GridSearch({ ...common, maxTrials })
        : flags.tuner === 'hyperband'
          ? new tfjs.Hyperband({ ...common, maxEpochs: epochs, factor: 3 })
          : new tfjs.BayesianOptimization({ ...common, maxTrials });
  try {
    say(
      `Study '${projectName}' in ${flags.storage ?? `${flags.directory}/${projectName}/study.db`} (run again to resume; --overwrite to start over).`,
    );
    process.stdout.write(`${await tuner.searchSpaceSummary()}\n\n`);
    const tSearch = Date.now();
    try {
      // the search may use a bit over half the time budget; the final training gets the rest
      const timeoutMs = Math.max(0, 0.55 * budgetMs - (Date.now() - t0));
      await tuner.search(search.train.x, search.train.y, {
        epochs,
        batchSize,
        validationData: [search.val.x, search.val.y],
        timeoutMs,
      });
    } finally {
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
    const saved = join(resolve(flags.directory), projectName, 'best-model');
    const stamp = JSON.stringify({
      params: hp.values,
      finalEpochs,
      trainImages: data.train.count,
      batchSize,
      seed,
    });
    let model: LayersModel;
    let how: string;
    if (finalEpochs === 0) {
      model = await tuner.loadModel(best);
      how = `the best trial's (#${best.number}) checkpoint of its best epoch, not retrained (--final-epochs 0)`;
    } else if ((await readFile(join(saved, STAMP_FILE), 'utf8').catch(() => '')) === stamp) {
      model = await hypermodel(hp);
      await tfjs.loadWeightsInto(model, saved);
      how = `retrained earlier with the best hyperparameters (trial #${best.number}) on all ${data.train.count} training images for ${finalEpochs} epochs, reloaded from ${saved}/ (delete it to retrain)`;
    } else {
      say(
        `Retraining the best hyperparameters (trial #${best.number}) from scratch on all ${data.train.count} training images for ${finalEpochs} epoch(s)...`,
      );
      const tFinal = Date.now();
      model = await hypermodel(hp);
      const trained = await retrain(tfjs, model, tfjs.imageSplitToArrays(data.train), {
        epochs: finalEpochs,
        batchSize,
        seed,
        live,
        say,
        // stop rather than overrun the time budget (keeping half a minute for the test set)
        deadline: t0 + budgetMs - 30_000,
      });
      const cut =
        trained < finalEpochs
          ? ` (stopped after ${trained} of ${finalEpochs} epochs to stay within --time-budget)`
          : '';
      how = `retrained from scratch with the best hyperparameters (trial #${best.number}) on all ${data.train.count} training images for ${trained} epochs${cut} in ${seconds(Date.now() - tFinal)}`;
      await rm(join(saved, STAMP_FILE), { force: true });
      await tfjs.saveModel(model, saved);
      if (trained === finalEpochs) await writeFile(join(saved, STAMP_FILE), stamp);
    }
    const test = tfjs.imageSplitToArrays(data.test);
    const scores = tfjs.evaluateModel(model, test.x, test.y);
    model.optimizer?.dispose();
    model.dispose();
    const lines = [
      `Best model: ${how}.`,
      `Best hyperparameters: ${JSON.stringify(hp.values)}`,
      `Test set (${data.test.count} images): loss ${(scores['loss'] ?? NaN).toFixed(4)}, accuracy ${(scores['accuracy'] ?? NaN).toFixed(4)}`,
      `${finalEpochs === 0 ? 'Checkpoint in ' + tuner.checkpointDir(best.number) : 'Saved to ' + saved}/ (model.json + weights.bin). Data: ${data.name} from ${data.source}. Backend: ${backend.description}. Total time ${seconds(Date.now() - t0)}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await tuner.close();
  }
}

export function registerExampleCommand(program: Command): void {
  program
    .command('example')
    .description(
      "the article's experiment: tune an MLP on Fashion-MNIST with Bayesian optimisation, retrain the best, score it on the test set (resumable)",
    )
    .option('--dataset <name>', `${DATASETS.join(', ')}`, 'fashion-mnist')
    .option('--tuner <name>', `${TUNERS.join(', ')}`, 'bayesian')
    .option('--trials <n>', "the study's total number of trials", '15')
    .option('--epochs <n>', 'epochs per trial (Hyperband: the most epochs of a trial)', '4')
    .option(
      '--final-epochs <n>',
      'epochs of the final training on the whole training set (0: use the best checkpoint)',
      '10',
    )
    .option('--train-size <n>', 'training images used by each trial', '12000')
    .option('--val-size <n>', 'other training images used for validation during the search', '5000')
    .option('--batch-size <n>', 'batch size', '128')
    .option(
      '--workers <n>',
      'parallel trials (not implemented yet: trials run one after another)',
      '1',
    )
    .option(
      '--time-budget <minutes>',
      'stop starting trials after ~55% of it, and cut the final training short to stay within it',
      '9',
    )
    .option('--seed <n>', 'seed of the search, the subsets, initial weights and shuffling', '1')
    .option(
      '--directory <dir>',
      'folder of the project (study.db, checkpoints, best model)',
      'hypertuner-example',
    )
    .option(
      '--storage <url>',
      'storage URL instead of <directory>/<project>/study.db (sqlite:..., postgres://...)',
    )
    .option(
      '--backend <name>',
      'auto (tfjs-node, else WASM), tensorflow, wasm, wasm-stock, cpu',
      'auto',
    )
    .option('--overwrite', 'start the study again')
    .option('--plain', 'plain progress lines even on a terminal')
    .action((flags: Flags) => runExperiment(flags));
}
