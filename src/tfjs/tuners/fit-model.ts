/**
 * The default training of a trial, and what a custom `HyperModel.fit` calls to train the same
 * way: the fast batch loop (`fastFit`) on typed arrays, with the tuner's callbacks and any tfjs
 * callbacks (`tf.callbacks.earlyStopping`), which get the model as in `model.fit`.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { FitArgs, TunerFitCallback, TunerFitParams, TunerInput } from '../hyper-model.js';
import type { FastFitCallbacks, FastFitHistory, FitLogs } from '../training/index.js';
import { fastFit } from '../training/index.js';

/** Calls each callback's hook in order, awaiting each. */
export function combineCallbacks(callbacks: readonly TunerFitCallback[]): FastFitCallbacks {
  return {
    onTrainBegin: async () => {
      for (const c of callbacks) await c.onTrainBegin?.();
    },
    onEpochBegin: async (epoch: number) => {
      for (const c of callbacks) await c.onEpochBegin?.(epoch);
    },
    onBatchEnd: async (batch: number, logs: FitLogs) => {
      for (const c of callbacks) await c.onBatchEnd?.(batch, logs);
    },
    onEpochEnd: async (epoch: number, logs: FitLogs) => {
      for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
    },
    onTrainEnd: async (logs: FitLogs | undefined) => {
      for (const c of callbacks) await c.onTrainEnd?.(logs);
    },
  };
}

/** How many examples `x` holds for `model`'s input (a tensor's first dimension, or a flat array's length over one example's size). */
export function exampleCount(model: LayersModel, x: TunerInput): number {
  if (!ArrayBuffer.isView(x)) return x.shape[0] ?? 0;
  const size = (model.inputs[0]?.shape.slice(1) ?? []).reduce<number>((a, b) => a * (b ?? 1), 1);
  return Math.floor(x.length / size);
}

/**
 * Gives each tfjs callback (`tf.callbacks.earlyStopping`, a subclass of `tf.Callback`) the model
 * and the training parameters, as `model.fit` does before training: `EarlyStopping` stops
 * training through `this.model.stopTraining`.
 */
export function bindCallbacks(
  callbacks: readonly TunerFitCallback[],
  model: LayersModel,
  x: TunerInput,
  args: FitArgs,
): void {
  const samples = exampleCount(model, x);
  const metrics = model.metricsNames;
  const params: TunerFitParams = {
    epochs: args.epochs,
    initialEpoch: args.initialEpoch,
    samples,
    steps: Math.ceil(samples / args.batchSize),
    batchSize: args.batchSize,
    verbose: args.verbose,
    doValidation: args.validationData !== undefined,
    metrics:
      args.validationData === undefined ? metrics : [...metrics, ...metrics.map((m) => `val_${m}`)],
  };
  for (const callback of callbacks) {
    callback.setParams?.(params);
    callback.setModel?.(model);
  }
}

/**
 * Trains `model` on `x`, `y` as the tuner would: `epochs`, `batchSize`, `validationData`,
 * `callbacks` (keep the tuner's, which `fitArgs` carries), shuffled with `seed`.
 * In a custom `fit`: `return fitModel(model, x, y, {...fitArgs, batchSize: hp.Choice('batch_size', [32, 64])})`.
 */
export function fitModel(
  model: LayersModel,
  x: TunerInput,
  y: TunerInput,
  args: Partial<FitArgs> = {},
): Promise<FastFitHistory> {
  const full: FitArgs = {
    epochs: args.epochs ?? 1,
    initialEpoch: args.initialEpoch ?? 0,
    batchSize: args.batchSize ?? 32,
    validationData: args.validationData,
    callbacks: args.callbacks ?? [],
    seed: args.seed ?? 0,
    shuffle: args.shuffle ?? true,
    verbose: args.verbose ?? 0,
  };
  bindCallbacks(full.callbacks, model, x, full);
  return fastFit(model, x, y, {
    epochs: full.epochs,
    initialEpoch: full.initialEpoch,
    batchSize: full.batchSize,
    shuffle: full.shuffle,
    seed: full.seed,
    ...(full.validationData === undefined ? {} : { validationData: full.validationData }),
    callbacks: combineCallbacks(full.callbacks),
  });
}
