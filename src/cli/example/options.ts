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
export const TUNERS = ['bayesian', 'random', 'grid', 'hyperband', 'tpe'] as const;
/** Pruners of the tuners that run whole trials (Hyperband stops trials by its own rounds). */
export const PRUNERS = ['none', 'asha'] as const;
/** How Hyperband draws new configurations: at random, or from a TPE model of the trials so far. */
export const SAMPLERS = ['random', 'tpe'] as const;
export type DatasetName = (typeof DATASETS)[number];
export type TunerName = (typeof TUNERS)[number];
export type SamplerName = (typeof SAMPLERS)[number];
export type PrunerName = (typeof PRUNERS)[number];

/** The flags as commander hands them over (strings). */
export interface ExampleFlags {
  readonly dataset: string;
  readonly tuner: string;
  readonly sampler: string;
  readonly pruner: string;
  readonly trials: string;
  readonly epochs: string;
  readonly finalEpochs: string;
  readonly patience: string;
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
  readonly json?: boolean;
  /** Hidden: run only the search loop of a study another `example` process opened. */
  readonly join?: boolean;
  /** Hidden: when the run started (ms since 1970); worker processes plan with the main one's. */
  readonly startedAt?: string;
  /** Hidden, with --join: the search data the main process wrote. */
  readonly dataFile?: string;
}

export interface ExampleOptions {
  readonly dataset: DatasetName;
  readonly tuner: TunerName;
  /** Hyperband's sampler of new configurations (`random` for the other tuners). */
  readonly sampler: SamplerName;
  readonly pruner: PrunerName;
  /** The study's total number of trials; undefined: as many as the time budget allows. */
  readonly trials: number | undefined;
  readonly epochs: number;
  readonly finalEpochs: number;
  /** Epochs without a better held-out accuracy after which the final training stops. */
  readonly patience: number;
  readonly trainSize: number;
  readonly valSize: number;
  readonly batchSize: number;
  readonly workers: number;
  readonly seed: number;
  readonly budgetMs: number;
  /** When the run started (ms since 1970): the budget counts from it. */
  readonly startedAt: number;
  readonly directory: string;
  readonly storage: string | undefined;
  /** Checked against the backends once TensorFlow.js is loaded. */
  readonly backend: string;
  readonly overwrite: boolean;
  readonly plain: boolean;
  /** Print one JSON line of results on stdout (the text goes to stderr). */
  readonly json: boolean;
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
  const pruner = oneOf(PRUNERS, flags.pruner, 'pruner');
  if (pruner !== 'none' && (tuner === 'hyperband' || tuner === 'grid'))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--pruner ${pruner} needs --tuner bayesian, tpe or random (${tuner} decides trial lengths itself), got --tuner ${tuner}.`,
      { field: 'pruner' },
    );
  const trials = parseWholeNumber(flags.trials, 'trials', 0);
  const startedAt = flags.startedAt === undefined ? Date.now() : Number(flags.startedAt);
  if (!Number.isFinite(startedAt))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--started-at must be milliseconds since 1970, got '${flags.startedAt}'.`,
      { field: 'started-at' },
    );
  const workers = parseWholeNumber(flags.workers, 'workers', 1);
  // --storage, else $HYPERTUNER_STORAGE (how join workers get it), else the project's SQLite file
  const storage = storageFlag(flags.storage);
  if (storage !== undefined) requireSharedStorage(storage, workers);
  return {
    dataset: oneOf(DATASETS, flags.dataset, 'dataset'),
    tuner,
    sampler,
    pruner,
    trials: trials === 0 ? undefined : trials,
    epochs: parseWholeNumber(flags.epochs, 'epochs', 1),
    finalEpochs: parseWholeNumber(flags.finalEpochs, 'final-epochs', 0),
    patience: parseWholeNumber(flags.patience, 'patience', 1),
    trainSize: parseWholeNumber(flags.trainSize, 'train-size', 10),
    valSize: parseWholeNumber(flags.valSize, 'val-size', 10),
    batchSize: parseWholeNumber(flags.batchSize, 'batch-size', 1),
    workers,
    seed: parseWholeNumber(flags.seed, 'seed', 0),
    budgetMs,
    startedAt,
    directory: flags.directory,
    storage,
    backend: flags.backend,
    overwrite: flags.overwrite === true,
    plain: flags.plain === true,
    json: flags.json === true,
  };
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
 * study, the data, the training and the time plan (never --overwrite: the main process has
 * done that), and the search data file the main process wrote.
 */
export function joinArguments(options: ExampleOptions, dataFile: string): string[] {
  return [
    'example',
    '--join',
    ...['--started-at', String(Math.round(options.startedAt)), '--data-file', dataFile],
    ...['--time-budget', String(options.budgetMs / 60_000)],
    ...['--final-epochs', String(options.finalEpochs), '--patience', String(options.patience)],
    ...['--dataset', options.dataset, '--tuner', options.tuner, '--sampler', options.sampler],
    ...['--pruner', options.pruner, '--trials', String(options.trials ?? 0)],
    ...['--epochs', String(options.epochs)],
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
      '--pruner <name>',
      `with --tuner bayesian, tpe or random: ${PRUNERS.join(', ')} (asha: stop trials behind the others after an epoch)`,
      'none',
    )
    .option(
      '--trials <n>',
      "the study's total number of trials; 0: as many as the time budget allows (hyperband: its brackets decide)",
      '0',
    )
    .option('--epochs <n>', 'epochs per trial (Hyperband: the most epochs of a trial)', '4')
    .option(
      '--final-epochs <n>',
      'epochs the final training (on all training images but a held-out slice) is planned for; it goes on while time is left, up to twice as many (0: use the best checkpoint)',
      '10',
    )
    .option(
      '--patience <n>',
      'the final training stops after this many epochs without a better held-out accuracy, and keeps its best epoch',
      '3',
    )
    .option('--train-size <n>', 'training images used by each trial', '12000')
    .option('--val-size <n>', 'other training images used for validation during the search', '5000')
    .option('--batch-size <n>', 'batch size', '128')
    .addOption(
      new Option(
        '--workers <n>',
        'trials run at once, each in its own process with its own backend',
      ).default(String(availableParallelism()), `${availableParallelism()}, the number of cores`),
    )
    .option(
      '--time-budget <minutes>',
      'the whole run: search until what is left is what the final training needs (planned from the speed the trials measured), then train the best within it',
      '10',
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
    .option(
      '--json',
      'one JSON line of results on stdout (benchmarks read it); the text goes to stderr',
    )
    .addOption(new Option('--join', 'run trials of the study another example opened').hideHelp())
    .addOption(new Option('--started-at <ms>', 'when the run started').hideHelp())
    .addOption(new Option('--data-file <path>', 'with --join: the search data').hideHelp());
}
