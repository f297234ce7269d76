/**
 * Options of the Keras-Tuner-style tuners (Keras Tuner's names in camelCase), of `search`,
 * and the tuner's callbacks.
 */
import type { Pruner } from '../../pruners/index.js';
import type { HyperParameters } from '../../space/index.js';
import type { ArtifactStore, Storage } from '../../storage/index.js';
import type { ObjectiveSpec } from '../../trials/index.js';
import type { ConstraintsFunction, SearchCallbacks } from '../../tuner/index.js';
import type { BackendChoice } from '../backend/index.js';
import type { HyperModelInput, TunerFitCallback, TunerInput } from '../hyper-model.js';
import type { TunerBackend } from './backend-choice.js';

/** Progress of training inside a trial. */
export interface EpochInfo {
  /** The trial's number. */
  readonly trial: number;
  /** Which execution of the trial (see `executionsPerTrial`). */
  readonly execution: number;
  readonly epoch: number;
  /** One past the last epoch. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly batches: number;
}

/** The search loop's hooks plus training progress and the backend in use. */
export interface TunerCallbacks extends SearchCallbacks {
  /** The backend chosen for training (once per search). */
  onBackend?(choice: BackendChoice): void;
  onEpochBegin?(info: EpochInfo): void;
  onBatchEnd?(
    info: EpochInfo & { readonly batch: number; readonly logs: Readonly<Record<string, number>> },
  ): void;
  onEpochEnd?(
    info: EpochInfo & { readonly logs: Readonly<Record<string, number>>; readonly best: boolean },
  ): void;
}

/** Options shared by every tuner. */
/** See {@link TunerOptions.checkpoints}. */
export type CheckpointPolicy = 'every-trial' | 'study-best';

export interface TunerOptions {
  /** A `build(hp)` function, or an object with `build` and optionally `fit`. */
  readonly hypermodel: HyperModelInput;
  /** Metric(s) to optimise, e.g. 'val_accuracy' (maximised, inferred) or {name, direction}. Default 'val_loss'. */
  readonly objective?: ObjectiveSpec | readonly ObjectiveSpec[];
  /** Total trials of the study (earlier runs count). */
  readonly maxTrials?: number;
  /**
   * Constraints: a function of each completed trial (its hyperparameters as `params`, its
   * metrics and objective values) returning numbers, each <= 0 when the trial is feasible
   * (e.g. `(t) => [t.metrics.params_count - 1e6]`); the best models are chosen among feasible
   * trials and the oracle steers towards them.
   */
  readonly constraints?: ConstraintsFunction;
  /** Trainings per trial, averaged (default 1). */
  readonly executionsPerTrial?: number;
  /** Folder of projects (default '.'). */
  readonly directory?: string;
  /** Project folder under `directory` and the study's name (default 'untitled_project'). */
  readonly projectName?: string;
  /** A storage URL or object instead of `directory/projectName/study.db` (e.g. 'postgres://...'). */
  readonly storage?: string | Storage;
  /**
   * Where each trial's best-epoch checkpoint (model, weights, optimizer state) goes, so that
   * `loadModel`, `getBestModels` and Hyperband's promoted trials find it from any machine.
   * Default: the project directory (`directory/projectName/trial_NNNN/checkpoint/`), on this
   * machine only. `'database'`: the study's own SQLite/PostgreSQL database (an `artifacts`
   * table; for small models), e.g. with `storage: 'postgres://...'`. Any other string: a
   * directory every worker reaches (`'file:/shared/checkpoints'`, a plain path) or a storage
   * URL (see `openArtifactStore`). Or an `ArtifactStore` object (left open by `close()`; a store
   * the tuner opened from a string is closed by it).
   */
  readonly artifacts?: string | ArtifactStore;
  /**
   * When a trial's checkpoint is written. The best epoch's weights and optimizer state are kept
   * in memory while the trial trains, and written once when it ends: for every trial
   * (`'every-trial'`, the default), or only for a trial that beats the study's best so far
   * (`'study-best'`: the least disk, when only the best model is wanted). Hyperband writes
   * every trial's: its promoted trials continue from them.
   */
  readonly checkpoints?: CheckpointPolicy;
  /** Start the project again: delete its study and checkpoints (default false: resume). */
  readonly overwrite?: boolean;
  /** Seeds the oracle, the weight initialisation and the shuffling (default 0). */
  readonly seed?: number;
  /** Re-runs of a trial after an unexpected error (default 0). */
  readonly maxRetriesPerTrial?: number;
  /** Stop the search after this many failed trials in a row (default 3). */
  readonly maxConsecutiveFailedTrials?: number;
  /** Stops unpromising trials from their per-epoch values. */
  readonly pruner?: Pruner;
  readonly callbacks?: TunerCallbacks;
  /** Which backend to train on (default 'auto': tfjs-node, else WASM, else CPU). */
  readonly backend?: TunerBackend;
  /**
   * Keras Tuner's pre-set `hyperparameters`: their definitions win over the hypermodel's
   * declarations of the same names (`hp.Fixed('lr', 1e-3)` fixes the learning rate the model
   * builder declares as a range; `hp.Float('lr', {min: 1e-3, max: 1e-2})` narrows it).
   */
  readonly hyperparameters?: HyperParameters;
  /** false: parameters not in `hyperparameters` keep their defaults, untuned (default true). */
  readonly tuneNewEntries?: boolean;
  /** false: declaring a parameter not in `hyperparameters` stops the search (SPACE_NEW_ENTRY_NOT_ALLOWED; default true). */
  readonly allowNewEntries?: boolean;
  /**
   * A built model with more parameters than this is not trained: its trial ends FAILED
   * ("N parameters > maxModelSize"), the oracle learns of it, and it does not count toward
   * `maxConsecutiveFailedTrials` (as in Keras Tuner).
   */
  readonly maxModelSize?: number;
}

/** Every option of `TunerOptions` (an unknown one, from plain JavaScript, is an error naming it). */
export const TUNER_OPTION_NAMES = Object.keys({
  hypermodel: true,
  objective: true,
  maxTrials: true,
  executionsPerTrial: true,
  directory: true,
  projectName: true,
  storage: true,
  artifacts: true,
  overwrite: true,
  seed: true,
  maxRetriesPerTrial: true,
  maxConsecutiveFailedTrials: true,
  pruner: true,
  callbacks: true,
  backend: true,
  hyperparameters: true,
  tuneNewEntries: true,
  allowNewEntries: true,
  maxModelSize: true,
  constraints: true,
  checkpoints: true,
} satisfies Record<keyof TunerOptions, true>);

/** Options of `tuner.search(x, y, options)`, as `model.fit` takes them. */
export interface SearchOptions {
  /** Epochs per trial (default 1). */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Held-out features and labels, evaluated after each epoch. */
  readonly validationData?: readonly [TunerInput, TunerInput];
  /** Hold out this fraction (strictly between 0 and 1) of the last examples of `x`, `y` instead (as Keras does). */
  readonly validationSplit?: number;
  /** Extra training callbacks, run after the tuner's own; tfjs ones too (`tf.callbacks.earlyStopping(...)`). */
  readonly callbacks?: readonly TunerFitCallback[];
  /** 0: silent (default); 1: a line per trial on stderr; 2: also a line per epoch. */
  readonly verbose?: 0 | 1 | 2;
  /** Shuffle the training examples every epoch (default true; seeded by the trial). */
  readonly shuffle?: boolean;
  /** Trials to run in this call (default: until maxTrials or the space is used up). */
  readonly nTrials?: number;
  /** Start no new trial after this many milliseconds. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}
