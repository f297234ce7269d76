/**
 * The flags of `hypertuner example`, checked once into {@link ExampleOptions}, and the argument
 * list that starts a worker process on the same study with the same options.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import type { ArticleExperiment } from '../../tfjs/applications/article-experiments.js';
import { ARTICLE_EXPERIMENTS } from '../../tfjs/applications/article-experiments.js';
import { parseWholeNumber } from '../parse.js';
import { isInProcessStorage, requireSharedStorage, storageFlag } from '../storage-flag.js';

export const DATASETS = ['fashion-mnist', 'cifar10', 'mnist'] as const;
export const TUNERS = ['bayesian', 'random', 'grid', 'hyperband', 'tpe'] as const;
/** The article's experiments (see HyperMLP): 1 widths and activations, 2 depth and width, 3 depth. */
export const EXPERIMENTS = ARTICLE_EXPERIMENTS;
export type ExperimentNumber = ArticleExperiment;
/** The trials of each run of a --compare without --trials. */
export const COMPARE_TRIALS = 15;
/** Pruners of the tuners that run whole trials (Hyperband stops trials by its own rounds). */
export const PRUNERS = ['none', 'asha'] as const;
/** How Hyperband draws new configurations: at random, or from a TPE model of the trials so far. */
export const SAMPLERS = ['random', 'tpe'] as const;
/**
 * What Hyperband's rounds give a trial more of: epochs (Keras Tuner's: up to --epochs, a promoted
 * trial continuing its parent), or training images (`samples`: --epochs epochs on a share of
 * --train-size, see SAMPLE_SHARES).
 */
export const FIDELITIES = ['epochs', 'samples'] as const;
/**
 * Hyperband over training images: its maxEpochs, so that with factor 3 the rounds train on a
 * ninth, a third and all of --train-size.
 */
export const SAMPLE_SHARES = 9;
export type DatasetName = (typeof DATASETS)[number];
export type TunerName = (typeof TUNERS)[number];
export type SamplerName = (typeof SAMPLERS)[number];
export type PrunerName = (typeof PRUNERS)[number];
export type FidelityName = (typeof FIDELITIES)[number];

/**
 * The example's default method: the one with the best median test accuracy when
 * `npm run bench:methods` ran each candidate for 10 minutes on 3 seeds in the race's space
 * (see bench/README.md). `epochs` is the default of --epochs with it; other tuners train
 * {@link TRIAL_EPOCHS} epochs per trial.
 */
export const DEFAULT_METHOD = {
  tuner: 'hyperband',
  sampler: 'tpe',
  fidelity: 'epochs',
  epochs: 9,
} as const satisfies {
  tuner: TunerName;
  sampler: SamplerName;
  fidelity: FidelityName;
  epochs: number;
};
/** Default --epochs of every other method: epochs per trial (Hyperband over samples too). */
export const TRIAL_EPOCHS = 4;

/** The flags as commander hands them over (strings). */
export interface ExampleFlags {
  readonly dataset: string;
  readonly tuner: string;
  /** Undefined: tpe with Hyperband (random, unused, with the other tuners). */
  readonly sampler?: string;
  readonly fidelity: string;
  readonly pruner: string;
  readonly trials: string;
  /** Undefined: the default method's epochs with it, else {@link TRIAL_EPOCHS}. */
  readonly epochs?: string;
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
  readonly experiment: string;
  readonly tuneLearningRate?: boolean;
  readonly compare?: string;
  readonly seeds: string;
  /** Hidden: one run of a --compare, in its own process (prints its result as JSON). */
  readonly compareMember?: boolean;
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
  /** What Hyperband's rounds grow: epochs, or training images (`epochs` for the other tuners). */
  readonly fidelity: FidelityName;
  readonly pruner: PrunerName;
  /**
   * The study's total number of trials; undefined: as many as the time budget allows (never
   * with --compare: its runs have 15 each unless --trials says).
   */
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
  /** Which of the article's search spaces. */
  readonly experiment: ExperimentNumber;
  /** Tune Adam's learning rate too (the article keeps Keras's 1e-3). */
  readonly tuneLearningRate: boolean;
  /** With --compare: the tuners to compare (at least two), else undefined. */
  readonly compare: readonly TunerName[] | undefined;
  /** With --compare: runs of each tuner, seeds `seed`, `seed + 1`, ... */
  readonly seeds: number;
  /** This process is one run of a --compare (see compare-member.ts). */
  readonly compareMember: boolean;
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

/** --epochs when not given: the default method's with its tuner and fidelity, else per trial. */
function defaultEpochs(
  tuner: TunerName,
  fidelity: FidelityName,
  compare: readonly TunerName[] | undefined,
): number {
  const defaultMethod =
    compare === undefined && tuner === DEFAULT_METHOD.tuner && fidelity === DEFAULT_METHOD.fidelity;
  return defaultMethod ? DEFAULT_METHOD.epochs : TRIAL_EPOCHS;
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
  const compare = flags.compare === undefined ? undefined : parseCompareList(flags.compare);
  const hyperband = (compare ?? [tuner]).includes('hyperband');
  // Hyperband draws from a TPE model unless --sampler says otherwise (the default method's)
  const sampler =
    flags.sampler === undefined
      ? hyperband
        ? DEFAULT_METHOD.sampler
        : 'random'
      : oneOf(SAMPLERS, flags.sampler, 'sampler');
  if (sampler !== 'random' && !hyperband)
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--sampler ${sampler} needs --tuner hyperband (the other tuners choose configurations themselves), got --tuner ${tuner}.`,
      { field: 'sampler' },
    );
  const fidelity = oneOf(FIDELITIES, flags.fidelity, 'fidelity');
  if (fidelity !== 'epochs' && (compare !== undefined || tuner !== 'hyperband'))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      compare === undefined
        ? `--fidelity ${fidelity} needs --tuner hyperband (the other tuners train every trial alike), got --tuner ${tuner}.`
        : `--fidelity ${fidelity} does not go with --compare (its runs share a budget of epochs); run --tuner hyperband --fidelity ${fidelity} on its own.`,
      { field: 'fidelity' },
    );
  const pruner = oneOf(PRUNERS, flags.pruner, 'pruner');
  // (with --compare, --tuner is not used: the pruner goes to the compared tuners that take one)
  if (pruner !== 'none' && compare === undefined && (tuner === 'hyperband' || tuner === 'grid'))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--pruner ${pruner} needs --tuner bayesian, tpe or random (${tuner} decides trial lengths itself), got --tuner ${tuner}${tuner === DEFAULT_METHOD.tuner ? ' (the default)' : ''}.`,
      { field: 'pruner' },
    );
  const trials = parseWholeNumber(flags.trials, 'trials', 0);
  const compareMember = flags.compareMember === true;
  // a comparison's runs get the same number of trials each, not a time budget
  const counted = compare !== undefined || compareMember;
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
  // (--compare checks its storage itself: its runs are processes whatever --workers says)
  if (storage !== undefined && compare === undefined) requireSharedStorage(storage, workers);
  const experiment = Number(
    oneOf(
      EXPERIMENTS.map((e) => String(e)),
      flags.experiment,
      'experiment',
    ),
  ) as ExperimentNumber;
  return {
    dataset: oneOf(DATASETS, flags.dataset, 'dataset'),
    tuner,
    sampler,
    fidelity,
    pruner,
    trials: trials === 0 ? (counted ? COMPARE_TRIALS : undefined) : trials,
    epochs:
      flags.epochs === undefined
        ? defaultEpochs(tuner, fidelity, compare)
        : parseWholeNumber(flags.epochs, 'epochs', 1),
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
    experiment,
    tuneLearningRate: flags.tuneLearningRate === true,
    compare,
    seeds: parseWholeNumber(flags.seeds, 'seeds', 1),
    compareMember,
    json: flags.json === true,
  };
}

/** `--compare random,bayesian,...`: two or more different tuners (grid has no seed to vary). */
export function parseCompareList(text: string): TunerName[] {
  const allowed = TUNERS.filter((t) => t !== 'grid');
  const names = text.split(',').map((t) => t.trim());
  for (const name of names) oneOf(allowed, name, 'compare');
  if (names.length < 2 || new Set(names).size !== names.length)
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--compare needs two or more different tuners from ${allowed.join(', ')}, separated by commas; got '${text}'.`,
      { field: 'compare' },
    );
  return names as TunerName[];
}

/** Whether the study lives in this process only (`--storage memory:`): not resumable. */
export function inMemoryStudy(options: ExampleOptions): boolean {
  return options.storage !== undefined && isInProcessStorage(options.storage);
}

/**
 * The study's name: one per dataset and tuner (and Hyperband's sampler, when not random, its
 * fidelity, when not epochs, and the pruner, when there is one: a rerun with another never
 * resumes or re-scores it); a study kept in memory gets its own project folder (`-in-memory`),
 * so that its checkpoints and best model never overwrite those of a stored study of the same
 * name.
 */
export function projectNameOf(options: ExampleOptions): string {
  const sampler = options.sampler === 'random' ? '' : `-${options.sampler}`;
  const pruner = options.pruner === 'none' ? '' : `-${options.pruner}`;
  const fidelity = options.fidelity === 'epochs' ? '' : `-${options.fidelity}`;
  const lr = options.tuneLearningRate ? '-lr' : '';
  const seed = options.compareMember ? `-seed${options.seed}` : '';
  return `${options.dataset}-exp${options.experiment}${lr}-${options.tuner}${sampler}${fidelity}${pruner}${seed}${inMemoryStudy(options) ? '-in-memory' : ''}`;
}

/**
 * The options that decide the study, the data and the training, as arguments of another
 * process of this command (never --overwrite, --workers, --tuner or --seed: the caller adds
 * what it means).
 */
export function studyArguments(options: ExampleOptions): string[] {
  return [
    ...['--dataset', options.dataset, '--sampler', options.sampler],
    ...['--fidelity', options.fidelity],
    ...['--trials', String(options.trials ?? 0), '--epochs', String(options.epochs)],
    ...['--train-size', String(options.trainSize), '--val-size', String(options.valSize)],
    ...['--batch-size', String(options.batchSize)],
    ...['--directory', resolve(options.directory), '--backend', options.backend],
    ...['--experiment', String(options.experiment)],
    ...(options.tuneLearningRate ? ['--tune-learning-rate'] : []),
    '--plain',
  ];
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
    ...['--tuner', options.tuner, '--pruner', options.pruner, '--seed', String(options.seed)],
    ...studyArguments(options),
  ];
}

export function addExampleOptions(command: Command): Command {
  return command
    .option(
      '--experiment <n>',
      "the article's search space: 1 (three layers' widths and activations), 2 (depth and width), 3 (depth)",
      '2',
    )
    .option('--tune-learning-rate', "tune Adam's learning rate too (log scale, 1e-4 to 1e-2)")
    .option('--dataset <name>', `${DATASETS.join(', ')}`, 'fashion-mnist')
    .option(
      '--tuner <name>',
      `${TUNERS.join(', ')} (the default, hyperband with tpe sampling over up to ${DEFAULT_METHOD.epochs} epochs, won the 10-minute method comparison of bench:methods)`,
      DEFAULT_METHOD.tuner,
    )
    .option(
      '--sampler <name>',
      `with --tuner hyperband, how new configurations are drawn: ${SAMPLERS.join(', ')} (tpe: model-based, as BOHB) (default: ${DEFAULT_METHOD.sampler})`,
    )
    .option(
      '--fidelity <what>',
      `with --tuner hyperband, what its rounds give a trial more of: ${FIDELITIES.join(', ')} (epochs: up to --epochs, continuing the round before; samples: --epochs epochs, from scratch, on 1/9, 1/3 or all of --train-size)`,
      'epochs',
    )
    .option(
      '--pruner <name>',
      `with --tuner bayesian, tpe or random: ${PRUNERS.join(', ')} (asha: stop trials behind the others after an epoch)`,
      'none',
    )
    .option(
      '--trials <n>',
      "the study's total number of trials; 0: as many as the time budget allows (with --compare: 15 per run; hyperband: its brackets decide)",
      '0',
    )
    .option(
      '--epochs <n>',
      `epochs per trial (Hyperband over epochs: the most epochs of a trial) (default: ${DEFAULT_METHOD.epochs} with --tuner ${DEFAULT_METHOD.tuner} over ${DEFAULT_METHOD.fidelity}, else ${TRIAL_EPOCHS})`,
    )
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
        'trials run at once, each in its own process (with --compare: runs)',
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
    .option(
      '--compare <tuners>',
      'run each of these tuners (e.g. random,bayesian; also tpe, hyperband) --seeds times on the same data and budget, then print a table and a verdict and plot best-so-far curves',
    )
    .option(
      '--seeds <n>',
      'with --compare: runs of each tuner (seeds --seed, --seed + 1, ...)',
      '3',
    )
    .option('--overwrite', 'start the study again')
    .option('--plain', 'plain progress lines even on a terminal')
    .option(
      '--json',
      'one JSON line of results on stdout (benchmarks read it); the text goes to stderr',
    )
    .addOption(new Option('--join', 'run trials of the study another example opened').hideHelp())
    .addOption(new Option('--compare-member', 'one run of a --compare').hideHelp())
    .addOption(new Option('--started-at <ms>', 'when the run started').hideHelp())
    .addOption(new Option('--data-file <path>', 'with --join: the search data').hideHelp());
}
