/**
 * What every process of the example sets up the same way: the backend, the data and its
 * search subsets, the article's hypermodel and the tuner on the study; and the search call.
 */
import type { ImageDataset } from '../../datasets/index.js';
import type { HyperParameters, OptimizeResult } from '../../index.js';
import { HypertunerError, TpeOracle } from '../../index.js';
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
import { articleMlp } from './hypermodel.js';
import type { ExampleOptions } from './options.js';
import { inMemoryStudy, projectNameOf } from './options.js';

export interface Experiment {
  readonly tfjs: typeof Tfjs;
  readonly backend: BackendChoice;
  readonly data: ImageDataset;
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

  const data = await loadDataset(options.dataset);
  say(
    `Data: ${data.name}, ${data.train.count} training + ${data.test.count} test images of ${data.train.shape.join('x')}, source ${data.source} (${data.dir}).`,
  );
  if (data.fallbackReason !== undefined)
    say(`  (the full dataset was not found: ${data.fallbackReason})`);
  const { fit, validation } = searchSubsets(
    data.train,
    options.trainSize,
    options.valSize,
    options.seed,
  );
  say(
    `Search: ${fit.count} training images, ${validation.count} other training images for validation, ${options.epochs} epoch(s) per trial, batch ${options.batchSize}.`,
  );

  const hypermodel = articleMlp(
    tfjs.tf,
    data.train.shape,
    data.classNames.length,
    options.tuner === 'grid',
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
    ...(how.callbacks === undefined ? {} : { callbacks: how.callbacks }),
    ...(options.storage === undefined ? {} : { storage: options.storage }),
  };
  const maxTrials = options.trials;
  let tuner: Tuner;
  switch (options.tuner) {
    case 'random':
      tuner = new tfjs.RandomSearch({ ...common, maxTrials });
      break;
    case 'grid':
      tuner = new tfjs.GridSearch({ ...common, maxTrials });
      break;
    case 'hyperband':
      tuner = new tfjs.Hyperband({
        ...common,
        maxEpochs: options.epochs,
        factor: 3,
        ...(options.sampler === 'tpe'
          ? { sampler: new TpeOracle({ seed: options.seed, multivariate: true }) }
          : {}),
      });
      break;
    case 'bayesian':
      tuner = new tfjs.BayesianOptimization({ ...common, maxTrials });
      break;
  }
  return {
    tfjs,
    backend,
    data,
    train: tfjs.imageSplitToArrays(fit),
    validation: tfjs.imageSplitToArrays(validation),
    hypermodel,
    tuner,
    options,
  };
}

/** Runs trials of the study (with the other processes sharing it) until done or `timeoutMs`. */
export function searchTrials(experiment: Experiment, timeoutMs: number): Promise<OptimizeResult> {
  const { tuner, train, validation, options } = experiment;
  return tuner.search(train.x, train.y, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    validationData: [validation.x, validation.y],
    timeoutMs,
  });
}
