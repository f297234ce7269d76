/**
 * The flags of `hypertuner example`, checked once into {@link ExampleOptions}, and the argument
 * list that starts a worker process on the same study with the same options.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { parseWholeNumber } from '../parse.js';
import { isInProcessStorage, requireSharedStorage, storageFlag } from '../storage-flag.js';

export const DATASETS = ['fashion-mnist', 'cifar10', 'mnist'] as const;
export const TUNERS = ['bayesian', 'random', 'grid', 'hyperband'] as const;
/** How Hyperband draws new configurations: at random, or from a TPE model of the trials so far. */
export const SAMPLERS = ['random', 'tpe'] as const;
export type DatasetName = (typeof DATASETS)[number];
export type TunerName = (typeof TUNERS)[number];
export type SamplerName = (typeof SAMPLERS)[number];

/** The flags as commander hands them over (strings). */
export interface ExampleFlags {
  readonly dataset: string;
  readonly tuner: string;
  readonly sampler: string;
  readonly trials: string;
  readonly epochs: string;
  readonly finalEpochs: string;
  readonly trainSize: string;
  readonly valSize: string;
  readonly batchSize: string;
  readonly workers: string;
  readonly seed: string;
  readonly timeBudget: string;
  readonly directory: string;
  readonly storage?: string;
  readonly backend: string;
  readonly overwrite?: boolean;
  readonly plain?: boolean;
  /** Hidden: run only the search loop of a study another `example` process opened. */
  readonly join?: boolean;
  /** Hidden, with --join: start no trial after this time (milliseconds since 1970). */
  readonly deadline?: string;
}

export interface ExampleOptions {
  readonly dataset: DatasetName;
  readonly tuner: TunerName;
  /** Hyperband's sampler of new configurations (`random` for the other tuners). */
  readonly sampler: SamplerName;
  readonly trials: number;
  readonly epochs: number;
  readonly finalEpochs: number;
  readonly trainSize: number;
  readonly valSize: number;
  readonly batchSize: number;
  readonly workers: number;
  readonly seed: number;
  readonly budgetMs: number;
  readonly directory: string;
  readonly storage: string | undefined;
  /** Checked against the backends once TensorFlow.js is loaded. */
  readonly backend: string;
  readonly overwrite: boolean;
  readonly plain: boolean;
}

function oneOf<T extends string>(list: readonly T[], value: string, flag: string): T {
  if (!(list as readonly string[]).includes(value)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--${flag} must be one of ${list.join(', ')}, got '${value}'.`,
      { field: flag },
    );
  }
  return value as T;
}

export function parseExampleFlags(flags: ExampleFlags): ExampleOptions {
  const budgetMs = Number(flags.timeBudget) * 60_000;
  if (!(budgetMs > 0))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--time-budget must be a number of minutes > 0, got '${flags.timeBudget}'.`,
      { field: 'time-budget' },
    );
  const tuner = oneOf(TUNERS, flags.tuner, 'tuner');
  const sampler = oneOf(SAMPLERS, flags.sampler, 'sampler');
  if (sampler !== 'random' && tuner !== 'hyperband')
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--sampler ${sampler} needs --tuner hyperband (the other tuners choose configurations themselves), got --tuner ${tuner}.`,
      { field: 'sampler' },
    );
  const workers = parseWholeNumber(flags.workers, 'workers', 1);
  // --storage, else $HYPERTUNER_STORAGE (how join workers get it), else the project's SQLite file
  const storage = storageFlag(flags.storage);
  if (storage !== undefined) requireSharedStorage(storage, workers);
  return {
    dataset: oneOf(DATASETS, flags.dataset, 'dataset'),
    tuner,
    sampler,
    trials: parseWholeNumber(flags.trials, 'trials', 1),
    epochs: parseWholeNumber(flags.epochs, 'epochs', 1),
    finalEpochs: parseWholeNumber(flags.finalEpochs, 'final-epochs', 0),
    trainSize: parseWholeNumber(flags.trainSize, 'train-size', 10),
    valSize: parseWholeNumber(flags.valSize, 'val-size', 10),
    batchSize: parseWholeNumber(flags.batchSize, 'batch-size', 1),
    workers,
    seed: parseWholeNumber(flags.seed, 'seed', 0),
    budgetMs,
    directory: flags.directory,
    storage,
    backend: flags.backend,
    overwrite: flags.overwrite === true,
    plain: flags.plain === true,
  };
}

/** The --deadline of a --join process. */
export function parseDeadline(text: string | undefined): number {
  const deadline = Number(text);
  if (text === undefined || !Number.isFinite(deadline))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--join needs --deadline <ms since 1970>, got '${String(text)}'.`,
      { field: 'deadline' },
    );
  return deadline;
}

/** Whether the study lives in this process only (`--storage memory:`): not resumable. */
export function inMemoryStudy(options: ExampleOptions): boolean {
  return options.storage !== undefined && isInProcessStorage(options.storage);
}

/**
 * The study's name: one per dataset and tuner (and Hyperband's sampler, when not random); a
 * study kept in memory gets its own project folder (`-in-memory`), so that its checkpoints and
 * best model never overwrite those of a stored study of the same name.
 */
export function projectNameOf(options: ExampleOptions): string {
  const sampler = options.sampler === 'random' ? '' : `-${options.sampler}`;
  return `${options.dataset}-mlp-${options.tuner}${sampler}${inMemoryStudy(options) ? '-in-memory' : ''}`;
}

/**
 * The arguments of a worker process: `example --join` with every option that decides the
 * study, the data and the training (never --overwrite: the main process has done that).
 */
export function joinArguments(options: ExampleOptions, deadline: number): string[] {
  return [
    'example',
    '--join',
    '--deadline',
    String(Math.round(deadline)),
    ...['--dataset', options.dataset, '--tuner', options.tuner, '--sampler', options.sampler],
    ...['--trials', String(options.trials), '--epochs', String(options.epochs)],
    ...['--train-size', String(options.trainSize), '--val-size', String(options.valSize)],
    ...['--batch-size', String(options.batchSize), '--seed', String(options.seed)],
    ...['--directory', resolve(options.directory), '--backend', options.backend],
    '--plain',
  ];
}

export function addExampleOptions(command: Command): Command {
  return command
    .option('--dataset <name>', `${DATASETS.join(', ')}`, 'fashion-mnist')
    .option('--tuner <name>', `${TUNERS.join(', ')}`, 'bayesian')
    .option(
      '--sampler <name>',
      `with --tuner hyperband, how new configurations are drawn: ${SAMPLERS.join(', ')} (tpe: model-based, as BOHB)`,
      'random',
    )
    .option(
      '--trials <n>',
      "the study's total number of trials (hyperband: its brackets decide)",
      '15',
    )
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
      'trials run at once, each in its own process with its own backend (default: the number of cores)',
      String(availableParallelism()),
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
      'storage URL instead of <directory>/<project>/study.db (sqlite:..., postgres://...; default $HYPERTUNER_STORAGE)',
    )
    .option(
      '--backend <name>',
      'auto (tfjs-node, else WASM), tensorflow, wasm, wasm-stock, cpu',
      'auto',
    )
    .option('--overwrite', 'start the study again')
    .option('--plain', 'plain progress lines even on a terminal')
    .addOption(new Option('--join', 'run trials of the study another example opened').hideHelp())
    .addOption(new Option('--deadline <ms>', 'with --join: start no trial after it').hideHelp());
}
