/**
 * The default training of a trial, and what a custom `HyperModel.fit` calls to train the same
 * way: the fast batch loop (`fastFit`) on typed arrays, with the tuner's callbacks.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { FitArgs, TunerFitCallback, TunerInput } from '../hyper-model.js';
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
  return fastFit(model, x, y, {
    epochs: args.epochs ?? 1,
    initialEpoch: args.initialEpoch ?? 0,
    batchSize: args.batchSize ?? 32,
    shuffle: args.shuffle ?? true,
    seed: args.seed ?? 0,
    ...(args.validationData === undefined ? {} : { validationData: args.validationData }),
    callbacks: combineCallbacks(args.callbacks ?? []),
  });
}
