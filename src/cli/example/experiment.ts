/**
 * What every process of the example sets up the same way: the backend, the data and its
 * search subsets, the article's hypermodel and the tuner on the study; and the search call.
 */
import type { ImageDataset } from '../../datasets/index.js';
import type { HyperParameters, OptimizeResult } from '../../index.js';
import { HypertunerError, SuccessiveHalvingPruner, TpeOracle } from '../../index.js';
import { importPeer } from '../../peers.js';
import type * as Tfjs from '../../tfjs/index.js';
import type {
  BackendChoice,
  ExampleArrays,
  LayersModel,
  Tuner,
  TunerBackend,
  TunerCallbacks,
} from '../../tfjs/index.js';
import { loadDataset, searchSubsets } from './data.js';
import { ARTICLE_EXPERIMENT_SPACES } from '../../tfjs/applications/article-experiments.js';
import { articleMlp } from './hypermodel.js';
import type { ExampleOptions } from './options.js';
import { SAMPLE_SHARES, inMemoryStudy, projectNameOf } from './options.js';
import { plural } from '../../plural.js';
import { readSearchData } from './shared-data.js';
import type { SearchData } from './shared-data.js';

/** The study's trial budget without --trials: none that a time budget reaches. */
const NO_TRIAL_LIMIT = 1_000_000;

export interface Experiment {
  readonly tfjs: typeof Tfjs;
  readonly backend: BackendChoice;
  /** The whole dataset (the main process only; worker processes read the search's subsets). */
  readonly data: ImageDataset | undefined;
  /** The search's subsets and what the plan needs to know of the dataset. */
  readonly search: SearchData;
  readonly train: ExampleArrays;
  readonly validation: ExampleArrays;
  readonly hypermodel: (hp: HyperParameters) => LayersModel;
  readonly tuner: Tuner;
  readonly options: ExampleOptions;
}

export interface OpenExperimentOptions {
  /** Where to say what was chosen (nothing when absent). */
  readonly say?: (text: string) => void;
  readonly callbacks?: TunerCallbacks;
  /** Read the search's subsets from this file (written by the main process) instead of the dataset. */
  readonly dataFile?: string;
}

/** What identifies the search's subsets: the dataset, the seed and the sizes. */
export function searchDataKey(options: ExampleOptions): string {
  return `${options.dataset}:seed ${options.seed}:train ${options.trainSize}:validation ${options.valSize}`;
}

/** The whole dataset and the search's subsets of it. */
async function loadSearchData(
  options: ExampleOptions,
): Promise<{ data: ImageDataset; search: SearchData }> {
  const data = await loadDataset(options.dataset);
  const { fit, validation } = searchSubsets(
    data.train,
    options.trainSize,
    options.valSize,
    options.seed,
  );
  return {
    data,
    search: {
      name: data.name,
      classNames: data.classNames,
      source: data.source,
      dir: data.dir,
      trainCount: data.train.count,
      testCount: data.test.count,
      fit,
      validation,
      key: searchDataKey(options),
    },
  };
}

export async function openExperiment(
  options: ExampleOptions,
  how: OpenExperimentOptions = {},
): Promise<Experiment> {
  const say = how.say ?? ((): void => undefined);
  // loaded here, so that the other commands never load TensorFlow.js (PEER_MISSING without it)
  const tfjs = await importPeer('@tensorflow/tfjs', () => import('../../tfjs/index.js'));
  const backends: readonly string[] = [...tfjs.BACKEND_PREFERENCES, 'current'];
  if (!backends.includes(options.backend)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--backend must be one of ${backends.join(', ')}, got '${options.backend}'.`,
      { field: 'backend' },
    );
  }
  const backend = await tfjs.ensureBackend(options.backend as TunerBackend);
  say(`Backend: ${backend.description}${backend.name === 'tensorflow' ? ' (tfjs-node)' : ''}.`);

  const { data, search } =
    how.dataFile === undefined
      ? await loadSearchData(options)
      : { data: undefined, search: await readSearchData(how.dataFile, searchDataKey(options)) };
  const { fit, validation } = search;
  say(
    `Data: ${search.name}, ${search.trainCount} training + ${search.testCount} test images of ${fit.shape.join('x')}, source ${search.source} (${search.dir}).`,
  );
  if (data?.fallbackReason !== undefined)
    say(`  (the full dataset was not found: ${data.fallbackReason})`);
  const bySamples = options.tuner === 'hyperband' && options.fidelity === 'samples';
  say(
    `Search: ${fit.count} training images${bySamples ? ` (Hyperband's rounds train on 1/9, 1/3 or all of them)` : ''}, ${validation.count} other training images for validation (never the test set), ${plural(options.epochs, 'epoch')} per trial, batch ${options.batchSize}.`,
  );

  const hypermodel = articleMlp(tfjs, fit.shape, search.classNames.length, options);
  say(
    `Search space: the article's experiment ${options.experiment}, ${ARTICLE_EXPERIMENT_SPACES[options.experiment]}${options.tuneLearningRate ? ", and Adam's learning rate (log, 1e-4 to 1e-2)" : ", Adam at Keras's default learning rate 1e-3"}.`,
  );
  const common = {
    hypermodel,
    objective: 'val_accuracy',
    directory: options.directory,
    projectName: projectNameOf(options),
    seed: options.seed,
    // a study in memory starts afresh each run: so do its project folder's checkpoints
    overwrite: options.overwrite || inMemoryStudy(options),
    backend: 'current' as const,
    // the final training retrains the best from scratch: only a new best's checkpoint is kept
    checkpoints: options.finalEpochs > 0 ? ('study-best' as const) : ('every-trial' as const),
    ...(how.callbacks === undefined ? {} : { callbacks: how.callbacks }),
    ...(options.storage === undefined ? {} : { storage: options.storage }),
    ...(options.pruner === 'asha'
      ? {
          pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3, firstStep: 0 }),
        }
      : {}),
  };
  // without --trials the time budget decides (the tuners' own default is Keras Tuner's 10);
  // Hyperband's brackets decide its number of trials
  const counted = { ...common, maxTrials: options.trials ?? NO_TRIAL_LIMIT };
  let tuner: Tuner;
  switch (options.tuner) {
    case 'random':
      tuner = new tfjs.RandomSearch(counted);
      break;
    case 'grid':
      tuner = new tfjs.GridSearch(counted);
      break;
    case 'hyperband':
      tuner = new tfjs.Hyperband({
        ...common,
        // over training images, the resource is ninths of them (rounds of 1/9, 1/3 and all)
        maxEpochs: bySamples ? SAMPLE_SHARES : options.epochs,
        factor: 3,
        fidelity: options.fidelity,
        // compared with other tuners: the same budget, --trials x --epochs epochs; without
        // --trials the time budget decides: brackets go on as long as it lasts
        ...(options.compareMember && options.trials !== undefined
          ? { maxEpochsTotal: options.trials * options.epochs }
          : options.trials === undefined
            ? { hyperbandIterations: 100 }
            : {}),
        ...(options.sampler === 'tpe'
          ? { sampler: new TpeOracle({ seed: options.seed, multivariate: true }) }
          : {}),
      });
      break;
    case 'bayesian':
      tuner = new tfjs.BayesianOptimization(counted);
      break;
    case 'tpe':
      tuner = new tfjs.Tuner({
        ...counted,
        oracle: new TpeOracle({ seed: options.seed, multivariate: true }),
      });
      break;
  }
  return {
    tfjs,
    backend,
    data,
    search,
    train: tfjs.imageSplitToArrays(fit),
    validation: tfjs.imageSplitToArrays(validation),
    hypermodel,
    tuner,
    options,
  };
}

/** When this process's search stops: starting trials, and training them. */
export interface SearchStops {
  /** Aborted when no more trial should start. */
  readonly signal: AbortSignal;
  /** A running trial stops training (at the end of its batch) once this returns true. */
  readonly cutTraining: () => boolean;
}

/** Runs trials of the study (with the other processes sharing it) until done or stopped. */
export function searchTrials(experiment: Experiment, stops: SearchStops): Promise<OptimizeResult> {
  const { tuner, train, validation, options } = experiment;
  const cut = {
    setModel(model: LayersModel) {
      this.model = model;
    },
    model: undefined as LayersModel | undefined,
    onBatchEnd() {
      if (this.model !== undefined && stops.cutTraining()) this.model.stopTraining = true;
    },
  };
  return tuner.search(train.x, train.y, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    validationData: [validation.x, validation.y],
    signal: stops.signal,
    callbacks: [cut],
  });
}
