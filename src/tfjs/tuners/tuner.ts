/**
 * `Tuner`: Keras Tuner's tuner for TensorFlow.js models on top of hypertuner's search loop.
 * Any oracle decides the trials; the tuner builds and trains models, reports every epoch to
 * the study (for pruning and the dashboard), keeps the best epoch's checkpoint of each trial
 * under `directory/projectName/trial_NNNN/` (or in the `artifacts` store, which every worker
 * can reach), and gives back the best hyperparameters and models.
 */
import { engine } from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Oracle } from '../../oracles/index.js';
import { HyperParameters, HypertunerError, isHypertunerError } from '../../space/index.js';
import { openArtifactStore } from '../../storage/index.js';
import type { ArtifactStore } from '../../storage/index.js';
import type { Objective, Trial } from '../../trials/index.js';
import type { OptimizeResult } from '../../tuner/index.js';
import { Study } from '../../tuner/index.js';
import type { BackendChoice } from '../backend/index.js';
import type { HyperModelLike, TunerInput } from '../hyper-model.js';
import { toHyperModel } from '../hyper-model.js';
import { filesAt, hasSavedModel, loadWeightsInto } from '../model-io/index.js';
import type { ModelLocation } from '../model-io/index.js';
import { TUNER_BACKENDS, ensureBackend } from './backend-choice.js';
import { runModelTrial } from './model-trial.js';
import type { TrialEnvironment } from './model-trial.js';
import type { SampleFidelity } from './training-subset.js';
import {
  checkpointDir,
  ensureProjectDir,
  projectStorageUrl,
  removeTrialFolders,
} from './project-paths.js';
import { withSeededMathRandom } from './seeded-random.js';
import type { SearchOptions, TunerOptions } from './tuner-types.js';
import { TUNER_OPTION_NAMES } from './tuner-types.js';
import { mergeCallbacks, verboseCallbacks } from './verbose-callbacks.js';
import { hyperParametersOf } from './replay-hyperparameters.js';

/** A tuner's options plus the oracle (or a function making it when first needed). */
export interface TunerConstructorOptions extends TunerOptions {
  readonly oracle: Oracle | (() => Oracle);
}

function check(condition: boolean, field: string, message: string): void {
  if (!condition) throw new HypertunerError('OPTIONS_INVALID', `${field} ${message}`, { field });
}

/**
 * Throws `OPTIONS_INVALID` naming the first option of `options` that is not in `known` (a
 * misspelt option in plain JavaScript, which TypeScript would have caught).
 */
export function checkKnownOptions(
  options: object,
  known: readonly string[],
  tunerName: string,
): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const [first] = unknown;
  throw new HypertunerError(
    'OPTIONS_INVALID',
    `${tunerName}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${known.join(', ')}.`,
    { field: first as string },
  );
}

export class Tuner {
  readonly hypermodel: HyperModelLike;
  readonly directory: string;
  readonly projectName: string;
  readonly options: TunerConstructorOptions;
  #oracle: Oracle | undefined;
  #study: Promise<Study> | undefined;
  #backend: BackendChoice | undefined;
  /** The artifact store of checkpoints (`artifacts` option) and whether the tuner opened it. */
  #artifacts: Promise<{ store: ArtifactStore; owned: boolean } | undefined> | undefined;
  /**
   * Whether `overwrite` has wiped the study, and the artifact store, already: it applies once,
   * when the tuner first opens them; reopening after `close()` keeps what was stored since.
   */
  #studyOverwritten = false;
  #artifactsOverwritten = false;
  readonly #checkpointed = new Map<number, number>();

  constructor(options: TunerConstructorOptions) {
    if (new.target === Tuner)
      checkKnownOptions(options, [...TUNER_OPTION_NAMES, 'oracle'], 'Tuner');
    const hypermodel = options.hypermodel as unknown;
    check(
      typeof hypermodel === 'function' ||
        (typeof hypermodel === 'object' &&
          hypermodel !== null &&
          typeof (hypermodel as HyperModelLike).build === 'function'),
      'hypermodel',
      'must be a build(hp) function or an object with a build(hp) method.',
    );
    this.directory = options.directory ?? '.';
    this.projectName = options.projectName ?? 'untitled_project';
    check(
      typeof this.directory === 'string' && this.directory.length > 0,
      'directory',
      'must be a non-empty path.',
    );
    check(
      typeof this.projectName === 'string' && /^[^/\\]+$/.test(this.projectName),
      'projectName',
      `must be a non-empty name without slashes, got ${JSON.stringify(options.projectName)}.`,
    );
    check(
      options.checkpoints === undefined ||
        options.checkpoints === 'every-trial' ||
        options.checkpoints === 'study-best',
      'checkpoints',
      `must be 'every-trial' or 'study-best', got ${JSON.stringify(options.checkpoints)}.`,
    );
    if (options.seed !== undefined)
      check(Number.isInteger(options.seed), 'seed', `must be an integer, got ${options.seed}.`);
    const artifacts = options.artifacts as unknown;
    check(
      artifacts === undefined ||
        (typeof artifacts === 'string' && artifacts.trim().length > 0) ||
        (typeof artifacts === 'object' &&
          artifacts !== null &&
          typeof (artifacts as ArtifactStore).put === 'function'),
      'artifacts',
      `must be 'database', a directory or storage URL, or an ArtifactStore.`,
    );
    check(
      options.backend === undefined || TUNER_BACKENDS.includes(options.backend),
      'backend',
      `must be one of ${TUNER_BACKENDS.map((b) => `'${b}'`).join(', ')}; got ${JSON.stringify(options.backend)}.`,
    );
    check(
      options.maxModelSize === undefined ||
        (Number.isInteger(options.maxModelSize) && options.maxModelSize >= 1),
      'maxModelSize',
      `must be a whole number of parameters >= 1, got ${String(options.maxModelSize)}.`,
    );
    const preset = options.hyperparameters as unknown;
    check(
      preset === undefined || preset instanceof HyperParameters,
      'hyperparameters',
      'must be a HyperParameters object (new HyperParameters(), then hp.Float(...), hp.Fixed(...)).',
    );
    this.hypermodel = toHyperModel(options.hypermodel);
    this.options = options;
  }

  /** The oracle deciding the trials (made when first needed). */
  get oracle(): Oracle {
    this.#oracle ??=
      typeof this.options.oracle === 'function' ? this.options.oracle() : this.options.oracle;
    return this.#oracle;
  }

  /** The backend training ran on, once `search` (or a summary) chose it. */
  get backend(): BackendChoice | undefined {
    return this.#backend;
  }

  /** The study (opened, or created, on first use; `overwrite` applies then, and only then). */
  study(): Promise<Study> {
    this.#study ??= this.#openStudy();
    return this.#study;
  }

  async #openStudy(): Promise<Study> {
    const { storage } = this.options;
    const overwrite = this.options.overwrite === true && !this.#studyOverwritten;
    if (overwrite) await removeTrialFolders(this.directory, this.projectName);
    if (storage === undefined) await ensureProjectDir(this.directory, this.projectName);
    try {
      const study = await Study.open({
        storage: storage ?? projectStorageUrl(this.directory, this.projectName),
        name: this.projectName,
        objective: this.options.objective ?? 'val_loss',
        oracle: this.oracle,
        overwrite,
        seed: this.options.seed ?? 0,
        ...(this.options.constraints === undefined
          ? {}
          : { constraints: this.options.constraints }),
        ...(this.options.hyperparameters === undefined
          ? {}
          : { hyperparameters: this.options.hyperparameters }),
        ...(this.options.tuneNewEntries === undefined
          ? {}
          : { tuneNewEntries: this.options.tuneNewEntries }),
        ...(this.options.allowNewEntries === undefined
          ? {}
          : { allowNewEntries: this.options.allowNewEntries }),
      });
      this.#studyOverwritten ||= overwrite;
      return study;
    } catch (error) {
      this.#study = undefined;
      throw error;
    }
  }

  /** The store checkpoints go to, or undefined for the project directory (opened on first use). */
  #artifactStore(): Promise<{ store: ArtifactStore; owned: boolean } | undefined> {
    this.#artifacts ??= this.#openArtifactStore().catch((error: unknown) => {
      this.#artifacts = undefined;
      throw error;
    });
    return this.#artifacts;
  }

  async #openArtifactStore(): Promise<{ store: ArtifactStore; owned: boolean } | undefined> {
    const { artifacts } = this.options;
    if (artifacts === undefined) return undefined;
    const study = await this.study(); // first: `overwrite` applies
    const opened =
      typeof artifacts === 'string'
        ? {
            store: await openArtifactStore(
              artifacts.trim() === 'database' ? study.storage : artifacts,
            ),
            owned: true,
          }
        : { store: artifacts, owned: false };
    if (this.options.overwrite === true && !this.#artifactsOverwritten) {
      // as the trial folders are deleted: a new study's trial 0 must not find the old one's
      const trials = new Set((await opened.store.list(study.name)).map((a) => a.trialNumber));
      for (const n of trials) await opened.store.remove(study.name, n);
      this.#artifactsOverwritten = true;
    }
    return opened;
  }

  /** Where trial `trialNumber`'s best-epoch checkpoint is: its folder or its artifacts. */
  async checkpointLocation(trialNumber: number): Promise<ModelLocation> {
    const opened = await this.#artifactStore();
    if (opened === undefined) return this.checkpointDir(trialNumber);
    const studyName = (await this.study()).name;
    return { store: opened.store, studyName, trialNumber, prefix: 'checkpoint' };
  }

  async #objective(study: Study): Promise<Objective> {
    const objective = study.objectives[0];
    if (objective === undefined)
      throw new HypertunerError('OBJECTIVE_INVALID', 'The study has no objective.', {
        field: 'objective',
      });
    return objective;
  }

  async #prepare(): Promise<Study> {
    const first = this.#backend === undefined;
    this.#backend = await ensureBackend(this.options.backend ?? 'auto');
    if (first) this.options.callbacks?.onBackend?.(this.#backend);
    const study = await this.study();
    if (study.space.size === 0 || this.options.hyperparameters !== undefined) {
      // Keras Tuner builds once with default values so the space is known before the first
      // trial. A build that throws for them is no reason to stop: the trials will say what
      // failed, with their hyperparameters. A search-space mistake (SPACE_...) stops at once.
      const hp = new HyperParameters({ space: study.space, ...study.spacePolicy });
      engine().startScope();
      try {
        const model = await withSeededMathRandom(this.options.seed ?? 0, () =>
          this.hypermodel.build(hp),
        );
        model.optimizer?.dispose();
        model.dispose();
      } catch (error) {
        if (isHypertunerError(error) && error.code.startsWith('SPACE_')) throw error;
      } finally {
        engine().endScope();
      }
      await study.mergeSpace(hp.space);
    }
    return study;
  }

  /**
   * Searches: runs trials until `maxTrials` (counting earlier runs of the project), the space
   * is used up, `nTrials` of this call, or the time limit. `x`, `y` and the options are those
   * of `model.fit`; the hypermodel's `fit`, if any, receives them.
   */
  async search(x: TunerInput, y: TunerInput, options: SearchOptions = {}): Promise<OptimizeResult> {
    check(
      options.epochs === undefined || (Number.isInteger(options.epochs) && options.epochs >= 1),
      'epochs',
      `must be a whole number >= 1, got ${options.epochs}.`,
    );
    check(
      options.batchSize === undefined ||
        (Number.isInteger(options.batchSize) && options.batchSize >= 1),
      'batchSize',
      `must be a whole number >= 1, got ${options.batchSize}.`,
    );
    check(
      options.validationSplit === undefined ||
        (typeof options.validationSplit === 'number' &&
          options.validationSplit > 0 &&
          options.validationSplit < 1),
      'validationSplit',
      `must be a fraction strictly between 0 and 1, got ${options.validationSplit}.`,
    );
    check(
      options.verbose === undefined || [0, 1, 2].includes(options.verbose),
      'verbose',
      `must be 0 (silent), 1 (a line per trial) or 2 (also a line per epoch), got ${JSON.stringify(options.verbose)}.`,
    );
    check(
      options.validationData === undefined || options.validationSplit === undefined,
      'validationSplit',
      'cannot be given with validationData.',
    );
    const study = await this.#prepare();
    let current: Trial | undefined;
    const level = options.verbose ?? 0;
    const callbacks = mergeCallbacks([
      { onTrialStart: (trial) => void (current = trial) },
      verboseCallbacks(level),
      this.options.callbacks ?? {},
    ]);
    if (level > 0 && this.#backend !== undefined)
      verboseCallbacks(level).onBackend?.(this.#backend);
    const opened = await this.#artifactStore();
    const samples = this.sampleFidelity();
    const env: TrialEnvironment = {
      hypermodel: this.hypermodel,
      objective: await this.#objective(study),
      checkpointAt: (trialNumber) =>
        opened === undefined
          ? this.checkpointDir(trialNumber)
          : { store: opened.store, studyName: study.name, trialNumber, prefix: 'checkpoint' },
      x,
      y,
      search: options,
      callbacks,
      currentTrial: () => current,
      checkpointed: this.#checkpointed,
      maxModelSize: this.options.maxModelSize,
      trainedSamples: new Map(),
      checkpoints: this.options.checkpoints ?? 'every-trial',
      studyBest: async () => (await study.getBestTrials(1))[0]?.values?.[0],
      ...(samples === undefined ? {} : { samples }),
    };
    const o = this.options;
    return study.optimize((context) => runModelTrial(context, env), {
      ...(o.maxTrials === undefined ? {} : { maxTrials: o.maxTrials }),
      ...(options.nTrials === undefined ? {} : { nTrials: options.nTrials }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(o.executionsPerTrial === undefined ? {} : { executionsPerTrial: o.executionsPerTrial }),
      ...(o.maxRetriesPerTrial === undefined ? {} : { maxRetriesPerTrial: o.maxRetriesPerTrial }),
      ...(o.maxConsecutiveFailedTrials === undefined
        ? {}
        : { maxConsecutiveFailedTrials: o.maxConsecutiveFailedTrials }),
      ...(o.pruner === undefined ? {} : { pruner: o.pruner }),
      callbacks,
    });
  }

  /**
   * Hyperband over training-set size: how a trial's resource maps to its training examples
   * (see `HyperbandTunerOptions.fidelity`); undefined for every other tuner.
   */
  protected sampleFidelity(): SampleFidelity | undefined {
    return undefined;
  }

  /** The best `n` COMPLETED trials, best first. */
  async getBestTrials(n = 1): Promise<Trial[]> {
    return (await this.study()).getBestTrials(n);
  }

  /** The hyperparameters of the best `n` trials, ready for `hypermodel.build(hp)`. */
  async getBestHyperparameters(n = 1): Promise<HyperParameters[]> {
    const study = await this.study();
    return (await study.getBestTrials(n)).map((t) => hyperParametersOf(study.space, t.params));
  }

  /** The folder of a trial's best-epoch checkpoint (when no `artifacts` store is given). */
  checkpointDir(trialNumber: number): string {
    return checkpointDir(this.directory, this.projectName, trialNumber);
  }

  /**
   * The model of a trial with the weights of its best epoch: built (and compiled) by the
   * hypermodel from the trial's hyperparameters, then loaded from its checkpoint. The caller
   * disposes it.
   */
  async loadModel(trial: Trial | number): Promise<LayersModel> {
    const study = await this.study();
    const found =
      typeof trial === 'number' ? (await study.trials()).find((t) => t.number === trial) : trial;
    if (found === undefined)
      throw new HypertunerError('TRIAL_NOT_FOUND', `The project has no trial ${String(trial)}.`, {
        field: 'trial',
      });
    const dir = await this.checkpointLocation(found.number);
    if (!(await hasSavedModel(dir))) {
      throw new HypertunerError(
        'CHECKPOINT_MISSING',
        `Trial ${found.number} has no checkpoint in ${filesAt(dir).where} (it reported no epoch with the objective).`,
        { field: 'trial' },
      );
    }
    if (this.#backend === undefined)
      this.#backend = await ensureBackend(this.options.backend ?? 'auto');
    const hp = hyperParametersOf(study.space, found.params);
    const model = await withSeededMathRandom(this.options.seed ?? 0, () =>
      this.hypermodel.build(hp),
    );
    try {
      await loadWeightsInto(model, dir);
    } catch (error) {
      model.optimizer?.dispose();
      model.dispose();
      throw error;
    }
    return model;
  }

  /** The models of the best `n` trials, each with its best epoch's weights. The caller disposes them. */
  async getBestModels(n = 1): Promise<LayersModel[]> {
    const models: LayersModel[] = [];
    try {
      for (const trial of await this.getBestTrials(n)) models.push(await this.loadModel(trial));
    } catch (error) {
      // a later checkpoint is missing: the models loaded so far are nobody's to dispose
      for (const model of models) {
        model.optimizer?.dispose();
        model.dispose();
      }
      throw error;
    }
    return models;
  }

  /** Keras Tuner's results summary of the best `n` trials. */
  async resultsSummary(n = 10): Promise<string> {
    return (await this.study()).resultsSummary(n);
  }

  /** Keras Tuner's search space summary (the hypermodel is built once to learn the space). */
  async searchSpaceSummary(): Promise<string> {
    return (await this.#prepare()).searchSpaceSummary();
  }

  /**
   * Closes the artifact store when the tuner opened it (from a string), then the study's storage
   * when the tuner opened it from a URL.
   */
  async close(): Promise<void> {
    const artifacts = this.#artifacts;
    this.#artifacts = undefined;
    const opened = await artifacts?.catch(() => undefined);
    try {
      if (opened?.owned === true) await opened.store.close();
    } finally {
      const pending = this.#study;
      this.#study = undefined;
      if (pending !== undefined) await (await pending).close();
    }
  }
}
