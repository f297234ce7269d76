/**
 * `fastFit`: Keras-style epoch training of a compiled LayersModel without `model.fit`'s
 * per-batch gather over the whole dataset. Samples are shuffled by a seeded order, batches are
 * assembled in typed arrays and fed to `trainOnBatch`. A `tf.train.adam` optimizer is switched
 * to the fused update (see `fuseAdam`) when the backend has the kernel.
 */
import { dispose, tidy } from '@tensorflow/tfjs';
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import type { BatchRunner } from './dense/batch-runner.js';
import { denseRunner } from './dense/dense-runner.js';
import { BatchAssembler, toFitArrays } from './fit-data.js';
import type { FitArrays, FitInput } from './fit-data.js';
import { fuseAdam } from './fused-adam.js';
import { epochOrder } from './shuffle.js';

/** Loss and metrics by name, as Keras logs them (`loss`, `acc`, `val_loss`, ...). */
export type FitLogs = Readonly<Record<string, number>>;

/** Hooks called during {@link fastFit}; they may be async, and are awaited. */
export interface FastFitCallbacks {
  readonly onTrainBegin?: () => void | Promise<void>;
  readonly onEpochBegin?: (epoch: number) => void | Promise<void>;
  /** `logs` holds the batch's `size`, `loss` and metrics. */
  readonly onBatchEnd?: (batch: number, logs: FitLogs) => void | Promise<void>;
  /** `logs` holds the epoch means, plus `val_*` when there is validation data. */
  readonly onEpochEnd?: (epoch: number, logs: FitLogs) => void | Promise<void>;
  readonly onTrainEnd?: (logs: FitLogs | undefined) => void | Promise<void>;
}

/** Options of {@link fastFit}. */
export interface FastFitOptions {
  /** Index one past the last epoch to run (as in Keras); default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Shuffle the samples every epoch; default true. */
  readonly shuffle?: boolean;
  /** Seed of the sample order; each epoch's order depends only on (seed, epoch). Default 0. */
  readonly seed?: number;
  /** First epoch to run, for resuming; default 0. */
  readonly initialEpoch?: number;
  /** Features and labels evaluated after each epoch, logged as `val_*`. */
  readonly validationData?: readonly [FitInput, FitInput];
  readonly callbacks?: FastFitCallbacks;
  /**
   * Threads training at once (default 1). With 2, a model the dense trainer takes is trained
   * data-parallel: each batch split between this thread and a helper thread, their gradients
   * summed before the Adam step (the same training, up to float32 rounding); other models
   * train on one thread.
   */
  readonly threads?: number;
  /**
   * Give the event loop a turn after this many milliseconds of training (default 50), so
   * timers and I/O of the caller keep running; 0 yields after every batch.
   */
  readonly yieldEveryMs?: number;
}

let lastEngine: FitEngine | undefined;
let lastDescription = '';

/** How the last {@link fastFit} of this thread trained (for tests and benchmarks to check). */
export function lastFitEngine(): FitEngine | undefined {
  return lastEngine;
}

/** The last {@link fastFit}'s training, as a sentence part (e.g. `dense trainer on 2 threads ...`). */
export function lastFitDescription(): string {
  return lastDescription;
}

/** What {@link fastFit} returns, shaped like tfjs' `History`. */
export interface FastFitHistory {
  readonly epoch: readonly number[];
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** How the model was trained: `dense trainer ...` (with the threads it chose) or `tfjs (...)`. */
  readonly trainedWith: string;
}

const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

/** Log names of the model's outputs, plus `accuracy` beside `acc` (and the reverse). */
function withAliases(names: readonly string[], means: readonly number[], prefix = ''): FitLogs {
  const logs: Record<string, number> = {};
  names.forEach((name, i) => {
    const value = means[i] ?? Number.NaN;
    logs[prefix + name] = value;
    if (name === 'acc') logs[`${prefix}accuracy`] ??= value;
    if (name === 'accuracy') logs[`${prefix}acc`] ??= value;
  });
  return logs;
}

function evaluateOn(
  model: LayersModel,
  data: FitArrays,
  batchSize: number,
  width: number,
): number[] {
  const sums = new Array<number>(width).fill(0);
  const order = new Uint32Array(data.count);
  epochOrder(order, 0, 0, false);
  const assembler = new BatchAssembler(data, batchSize);
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(start + batchSize, data.count);
    const [xb, yb] = assembler.batch(order, start, end);
    const values = tidy(() => {
      const out = model.evaluate(xb, yb, { batchSize: end - start }) as Scalar | Scalar[];
      return (Array.isArray(out) ? out : [out]).map((s) => s.dataSync()[0] ?? Number.NaN);
    });
    dispose([xb, yb]);
    values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * (end - start)));
  }
  return sums.map((s) => s / data.count);
}

/** Batches through tfjs: assembled tensors fed to `trainOnBatch`, evaluation with `evaluate`. */
function tfjsRunner(model: LayersModel, data: FitArrays, batchSize: number): BatchRunner {
  fuseAdam(model.optimizer);
  const assembler = new BatchAssembler(data, batchSize);
  const width = model.metricsNames.length;
  return {
    beginEpoch: () => undefined,
    async trainBatch(order, start, end) {
      const [xb, yb] = assembler.batch(order, start, end);
      let out: number | number[];
      try {
        out = await model.trainOnBatch(xb, yb);
      } finally {
        dispose([xb, yb] as Tensor[]);
      }
      return Array.isArray(out) ? out : [out];
    },
    endEpoch: () => undefined,
    evaluate: (set) => evaluateOn(model, set, EVAL_BATCH, width),
  };
}

/** Rows evaluated at once on validation data (large: one product per layer per chunk). */
const EVAL_BATCH = 1024;

/** How `fastFit` trains: `dense` (hypertuner's dense trainer) or `tfjs` (trainOnBatch). */
export type FitEngine = 'dense' | 'tfjs';

/**
 * The runner for `model`: hypertuner's dense trainer when the model is a stack of dense layers
 * it takes (see dense/from-model.ts), else tfjs. Says which, and why not dense.
 */
async function chooseRunner(
  model: LayersModel,
  data: FitArrays,
  batchSize: number,
  threads: number,
): Promise<{ runner: BatchRunner; engine: FitEngine; why?: string }> {
  const dense = await denseRunner(model, data, batchSize, threads);
  if (typeof dense !== 'string') return { runner: dense, engine: 'dense' };
  return { runner: tfjsRunner(model, data, batchSize), engine: 'tfjs', why: dense };
}

/**
 * Trains a compiled single-input, single-output model for `epochs` epochs and returns the
 * per-epoch logs. A stack of Dense layers (after an optional Flatten) ending in softmax, with
 * cross-entropy and `tf.train.adam`, trains on hypertuner's dense trainer (its own WebAssembly
 * memory, no tfjs kernels; the model's weights and optimizer state are written back after each
 * epoch); any other model trains with `trainOnBatch`. Every tensor it creates is disposed before it returns (optimizer state the
 * first step creates, such as Adam's moments, belongs to the optimizer). Honours
 * `model.stopTraining` (set by a callback) after each batch.
 */
export async function fastFit(
  model: LayersModel,
  x: FitInput,
  y: FitInput,
  options: FastFitOptions = {},
): Promise<FastFitHistory> {
  const { epochs = 1, batchSize = 32, shuffle = true, seed = 0, initialEpoch = 0 } = options;
  const { callbacks = {}, yieldEveryMs = 50 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`fastFit: batchSize must be a positive integer; got ${batchSize}.`);
  }
  const data = toFitArrays(model, x, y);
  const validation =
    options.validationData === undefined
      ? undefined
      : toFitArrays(model, options.validationData[0], options.validationData[1]);
  const { runner, engine, why } = await chooseRunner(model, data, batchSize, options.threads ?? 1);
  lastEngine = engine;
  lastDescription =
    engine === 'dense' ? 'dense trainer' : `tfjs (not the dense trainer: ${why ?? ''})`;
  const names = model.metricsNames;
  const order = new Uint32Array(data.count);
  const history: Record<string, number[]> = {};
  const epochList: number[] = [];
  let lastLogs: FitLogs | undefined;
  let lastYield = performance.now();
  try {
    model.stopTraining = false;
    await callbacks.onTrainBegin?.();
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin?.(epoch);
      epochOrder(order, seed, epoch, shuffle);
      runner.beginEpoch();
      const sums = new Array<number>(names.length).fill(0);
      let batchIndex = 0;
      for (let start = 0; start < data.count && !model.stopTraining; start += batchSize) {
        const end = Math.min(start + batchSize, data.count);
        let values: number[];
        try {
          values = await runner.trainBatch(order, start, end);
        } catch (error) {
          runner.endEpoch();
          throw error;
        }
        values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * (end - start)));
        if (callbacks.onBatchEnd !== undefined) {
          await callbacks.onBatchEnd(batchIndex, {
            size: end - start,
            ...withAliases(names, values),
          });
        }
        batchIndex++;
        if (performance.now() - lastYield >= yieldEveryMs) {
          await nextTurn();
          lastYield = performance.now();
        }
      }
      runner.endEpoch();
      const seen = Math.min(batchIndex * batchSize, data.count);
      let logs = withAliases(
        names,
        sums.map((s) => s / Math.max(seen, 1)),
      );
      if (validation !== undefined) {
        const means = runner.evaluate(validation);
        logs = { ...logs, ...withAliases(names, means, 'val_') };
      }
      epochList.push(epoch);
      for (const [key, value] of Object.entries(logs)) (history[key] ??= []).push(value);
      lastLogs = logs;
      await callbacks.onEpochEnd?.(epoch, logs);
    }
  } finally {
    if (runner.describe !== undefined) lastDescription = runner.describe();
    await runner.dispose?.();
  }
  await callbacks.onTrainEnd?.(lastLogs);
  return { epoch: epochList, history, trainedWith: lastDescription };
}
