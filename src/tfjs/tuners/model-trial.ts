/**
 * One trial of a Keras-style tuner: build the model from the trial's hyperparameters (seeded),
 * train it (the hypermodel's `fit` or {@link fitModel}), report each epoch to the study, keep
 * the best epoch (weights and optimizer state) in memory and write it as the trial's checkpoint
 * when the trial ends (see TunerOptions.checkpoints), stop at the end of the epoch the
 * pruner says so (the trial ends PRUNED with its last value), and dispose everything the trial
 * created. A Hyperband promoted trial first loads its parent's checkpoint; over training-set
 * size (`TrialEnvironment.samples`) every Hyperband trial trains from scratch on its subset.
 */
import { engine, memory } from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { deriveSeed } from '../../math/random.js';
import { readHyperbandAttrs } from '../../oracles/index.js';
import type { HyperbandTrialAttrs } from '../../oracles/index.js';
import type { Objective, Trial } from '../../trials/index.js';
import { isBetter } from '../../trials/index.js';
import type { TrialContext } from '../../tuner/index.js';
import { FailedTrialError, FatalError, TrialPrunedError } from '../../tuner/index.js';
import { HypertunerError, isHypertunerError } from '../../space/index.js';
import type { FitArgs, HyperModelLike, TunerFitCallback, TunerInput } from '../hyper-model.js';
import { filesAt, hasSavedModel, loadWeightsInto } from '../model-io/index.js';
import type { ModelLocation } from '../model-io/index.js';
import { BestEpochSnapshot } from './best-epoch-snapshot.js';
import { EpochTracker, withMetricAliases } from './epoch-tracker.js';
import { exampleCount, fitModel } from './fit-model.js';
import { trialMetrics } from './fit-result.js';
import { loadOptimizerState } from './optimizer-state.js';
import { TRAINING_STREAM, withSeededMathRandom } from './seeded-random.js';
import type { CheckpointPolicy, EpochInfo, SearchOptions, TunerCallbacks } from './tuner-types.js';
import { trainingSubset } from './training-subset.js';
import type { SampleFidelity } from './training-subset.js';
import { splitValidation } from './validation-split.js';

/** What every trial of one `search` call shares. */
export interface TrialEnvironment {
  readonly hypermodel: HyperModelLike;
  readonly objective: Objective;
  /** Where a trial's best-epoch checkpoint goes: its folder, or its place in an artifact store. */
  readonly checkpointAt: (trialNumber: number) => ModelLocation;
  readonly x: TunerInput;
  readonly y: TunerInput;
  readonly search: SearchOptions;
  readonly callbacks: TunerCallbacks;
  /** The trial being run (with its oracleAttrs), as the loop started it. */
  readonly currentTrial: () => Trial | undefined;
  /** Best objective value checkpointed per trial number (over its executions). */
  readonly checkpointed: Map<number, number>;
  /** Models with more parameters are not trained (see `TunerOptions.maxModelSize`). */
  readonly maxModelSize: number | undefined;
  /** Examples trained per trial number, over its executions (user attribute `trained_samples`). */
  readonly trainedSamples: Map<number, number>;
  /** Which trials' checkpoints are written (see TunerOptions.checkpoints). */
  readonly checkpoints: CheckpointPolicy;
  /** The best objective value of the study's COMPLETED trials (undefined: none yet). */
  readonly studyBest: () => Promise<number | undefined>;
  /**
   * Hyperband over training-set size: a trial's resource is a share of the training examples
   * (see training-subset.ts), not its epochs; undefined: over epochs.
   */
  readonly samples?: SampleFidelity;
}

function dispose(model: LayersModel | undefined): void {
  if (model === undefined) return;
  try {
    model.optimizer?.dispose();
  } catch {
    // disposed already
  }
  try {
    model.dispose();
  } catch {
    // disposed already (e.g. by a custom fit)
  }
}

/**
 * A Hyperband promoted trial continues its parent: the weights of the parent's best epoch and
 * its optimizer's state at that epoch (when saved), training from `initialEpoch`. When the
 * parent's checkpoint is missing (deleted, or on another machine's disk: see the tuner's
 * `artifacts` option) the trial trains from
 * scratch, from epoch 0. Returns the epoch training starts at; the trial's user attributes
 * say what happened (`initial_epoch`, `optimizer_restored`).
 */
async function continueParent(
  model: LayersModel,
  attrs: HyperbandTrialAttrs | undefined,
  env: TrialEnvironment,
  context: TrialContext,
): Promise<number> {
  if (attrs === undefined || attrs.parentTrial === null) return 0;
  const parent = env.checkpointAt(attrs.parentTrial);
  let initialEpoch = 0;
  let optimizerRestored = false;
  if (await hasSavedModel(parent)) {
    await loadWeightsInto(model, parent);
    optimizerRestored = await loadOptimizerState(model, parent);
    initialEpoch = attrs.initialEpoch;
  }
  if (context.execution === 0) {
    await context.setUserAttr('initial_epoch', initialEpoch);
    await context.setUserAttr('optimizer_restored', optimizerRestored);
  }
  return initialEpoch;
}

/**
 * A Hyperband trial over training-set size starts from fresh weights, promoted or not; its
 * `initial_epoch` attribute says so (Hyperband's epoch count then charges a promoted trial all
 * it trains, not what its parent had not).
 */
async function startOver(context: TrialContext): Promise<number> {
  if (context.execution === 0) await context.setUserAttr('initial_epoch', 0);
  return 0;
}

/** The hyperparameters of a trial as they read in an error message. */
function describeParams(context: TrialContext): string {
  return JSON.stringify(context.params);
}

/**
 * Builds the trial's model: a build that throws fails the trial naming its hyperparameters; an
 * uncompiled model, or one over `maxModelSize`, is refused before training.
 */
async function buildModel(context: TrialContext, env: TrialEnvironment): Promise<LayersModel> {
  let model: LayersModel;
  try {
    model = await withSeededMathRandom(context.seed, () => env.hypermodel.build(context.hp));
  } catch (error) {
    if (error instanceof FatalError || isHypertunerError(error)) throw error;
    // the user's own stack stays readable at the end of the trial's error text
    const original =
      error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    const wrapped = new Error(
      `build() threw for hyperparameters ${describeParams(context)}: ${original}`,
      { cause: error },
    );
    wrapped.stack = `Error: ${wrapped.message}`;
    throw wrapped;
  }
  // compile() sets the optimizer (a Sequential model keeps its losses on an inner model)
  const compiled = (model as { optimizer?: unknown }).optimizer != null;
  if (!compiled) {
    dispose(model);
    throw new HypertunerError(
      'MODEL_NOT_COMPILED',
      `build() returned a model that is not compiled (hyperparameters ${describeParams(context)}); call model.compile({ optimizer, loss, metrics }) before returning it.`,
      { field: 'hypermodel' },
    );
  }
  const size = model.countParams();
  if (env.maxModelSize !== undefined && size > env.maxModelSize) {
    dispose(model);
    throw new FailedTrialError(
      `${size} parameters > maxModelSize (${env.maxModelSize}): the model is not trained.`,
      { countsAsFailure: false },
    );
  }
  return model;
}

/**
 * Writes the kept best epoch as the trial's checkpoint, when it beats what earlier executions
 * wrote and, with the `study-best` policy, the study's best trial; records where, and which epoch.
 */
async function writeCheckpoint(
  snapshot: BestEpochSnapshot,
  model: LayersModel,
  env: TrialEnvironment,
  context: TrialContext,
): Promise<void> {
  const value = snapshot.value;
  if (snapshot.epoch < 0 || value === undefined) return;
  const saved = env.checkpointed.get(context.number);
  if (saved !== undefined && !isBetter(value, saved, env.objective.direction)) return;
  if (env.checkpoints === 'study-best') {
    const best = await env.studyBest();
    if (best !== undefined && !isBetter(value, best, env.objective.direction)) return;
  }
  const saveTo = env.checkpointAt(context.number);
  await snapshot.write(model, saveTo);
  env.checkpointed.set(context.number, value);
  await context.setUserAttr(
    'checkpoint',
    typeof saveTo === 'string' ? saveTo : filesAt(saveTo).where,
  );
  await context.setUserAttr('best_epoch', snapshot.epoch);
}

/** Runs one execution of a trial; returns the metrics of its best epoch. */
export async function runModelTrial(
  context: TrialContext,
  env: TrialEnvironment,
): Promise<Record<string, number>> {
  const { objective, search, callbacks } = env;
  // execution 0 starts a trial or a retry of it: a failed attempt's checkpoint is no score to beat
  if (context.execution === 0) env.checkpointed.delete(context.number);
  const attrs = readHyperbandAttrs(env.currentTrial()?.oracleAttrs ?? {});
  const tensorsBefore = memory().numTensors;
  engine().startScope();
  let model: LayersModel | undefined;
  const snapshot = new BestEpochSnapshot();
  try {
    model = await buildModel(context, env);
    const built = model;
    // over training-set size a trial trains search()'s epochs from scratch: its round says how
    // many examples, not how long
    const samples = attrs === undefined ? undefined : env.samples;
    const initialEpoch =
      samples !== undefined
        ? await startOver(context)
        : await continueParent(built, attrs, env, context);
    const epochs = (samples === undefined ? attrs?.epochs : undefined) ?? search.epochs ?? 1;
    const batchSize = search.batchSize ?? 32;
    let { x, y } = env;
    let validationData = search.validationData;
    if (validationData === undefined && search.validationSplit !== undefined) {
      ({ x, y, validationData } = splitValidation(built, x, y, search.validationSplit));
    }
    if (samples !== undefined && attrs !== undefined) {
      // the validation examples stay the same whatever the subset: the rounds' scores compare
      const subset = trainingSubset(built, x, y, attrs.epochs, samples);
      ({ x, y } = subset);
      if (context.execution === 0) await context.setUserAttr('training_set_size', subset.size);
    }
    const info = (epoch: number): EpochInfo => ({
      trial: context.number,
      execution: context.execution,
      epoch,
      epochs,
      batches: Math.ceil(exampleCount(built, x) / batchSize),
    });
    const tracker = new EpochTracker(objective);
    let prunedAt: number | undefined;
    // examples trained over the trial's executions: with its duration, its speed
    let trainedSamples = env.trainedSamples.get(context.number) ?? 0;
    if (context.execution === 0) trainedSamples = 0;
    let currentEpoch = initialEpoch;
    const tunerCallback: TunerFitCallback = {
      onEpochBegin: (epoch) => {
        currentEpoch = epoch;
        callbacks.onEpochBegin?.(info(epoch));
      },
      onBatchEnd: (batch, logs) => {
        trainedSamples += logs?.['size'] ?? 0;
        callbacks.onBatchEnd?.({ ...info(currentEpoch), batch, logs: logs ?? {} });
      },
      onEpochEnd: async (epoch, rawLogs) => {
        const logs = withMetricAliases(rawLogs);
        const best = tracker.observe(epoch, logs);
        const value = tracker.bestValue;
        const saved = env.checkpointed.get(context.number);
        if (
          best &&
          value !== undefined &&
          (saved === undefined || isBetter(value, saved, objective.direction))
        ) {
          // kept in memory; written once, when the trial ends
          await snapshot.take(built, epoch, value);
        }
        callbacks.onEpochEnd?.({ ...info(epoch), logs, best });
        if (await context.report(epoch, logs)) {
          prunedAt = epoch;
          built.stopTraining = true;
        }
      },
    };
    const fitArgs: FitArgs = {
      epochs,
      initialEpoch,
      batchSize,
      validationData,
      callbacks: [tunerCallback, ...(search.callbacks ?? [])],
      seed: context.seed,
      shuffle: search.shuffle ?? true,
      verbose: search.verbose ?? 0,
    };
    // Dropout masks (and any other draw without a seed) come from Math.random while training.
    const result = await withSeededMathRandom(deriveSeed(context.seed, TRAINING_STREAM), () =>
      env.hypermodel.fit === undefined
        ? fitModel(built, x, y, fitArgs)
        : env.hypermodel.fit(context.hp, built, x, y, fitArgs),
    );
    env.trainedSamples.set(context.number, trainedSamples);
    await context.setUserAttr('trained_samples', trainedSamples);
    await writeCheckpoint(snapshot, built, env, context);
    if (prunedAt !== undefined) throw new TrialPrunedError(prunedAt);
    return trialMetrics(result, tracker);
  } finally {
    snapshot.dispose();
    dispose(model);
    engine().endScope();
    const leaked = memory().numTensors - tensorsBefore;
    if (leaked > 0) await context.setUserAttr('leaked_tensors', leaked).catch(() => undefined);
  }
}
