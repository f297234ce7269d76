/**
 * The dense trainer as `fastFit`'s batch runner: batches are copied from the fit arrays into
 * the trainer's memory, trained there, and the model's variables are brought up to date at the
 * end of every epoch (before its callbacks see the model).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { FitArrays } from '../fit-data.js';
import { DenseTrainer, denseTrainerAvailable } from './dense-trainer.js';
import type { BatchScore } from './dense-trainer.js';
import { densePlan, loadIntoTrainer, storeFromTrainer } from './from-model.js';
import type { DensePlan } from './from-model.js';

/** What `fastFit` asks of whatever trains its batches. */
export interface BatchRunner {
  /** Before an epoch's first batch. */
  beginEpoch(): void;
  /** One step on the samples `order[start..end)`; the values of the model's metrics before it. */
  trainBatch(order: Uint32Array, start: number, end: number): Promise<number[]>;
  /** After an epoch's last batch (or a stop): the model holds what was trained. */
  endEpoch(): void;
  /** Means of the model's metrics over `data`, in its metrics' order. */
  evaluate(data: FitArrays): number[];
}

let available: boolean | undefined;
let enabled = true;

/** Turns the dense trainer off (or back on): `fastFit` then trains every model through tfjs. */
export function setDenseTrainerEnabled(on: boolean): void {
  enabled = on;
}

/** Copies sample `i` of `data` into the trainer's row `row` (inputs and one-hot or dense targets). */
function copyRow(
  trainer: DenseTrainer,
  data: FitArrays,
  i: number,
  row: number,
  indices: boolean,
): void {
  const h = trainer.heap;
  const size = trainer.inputSize;
  const at = trainer.inputAt(row);
  const xs = data.x;
  if (xs instanceof Float32Array) h.set(xs.subarray(i * size, (i + 1) * size), at);
  else for (let k = 0; k < size; k++) h[at + k] = xs[i * size + k] as number;
  const classes = trainer.classes;
  const y = trainer.targetAt(row);
  if (indices) {
    const label = data.y[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new Error(`fastFit: label ${label} is not a class index in [0, ${classes}).`);
    h.fill(0, y, y + classes);
    h[y + label] = 1;
  } else {
    for (let c = 0; c < classes; c++) h[y + c] = data.y[i * classes + c] as number;
  }
}

/** Values of `names` (loss, acc/accuracy) from a score of `rows` rows. */
function values(names: readonly string[], score: BatchScore, rows: number): number[] {
  return names.map((n) => (n === 'loss' ? score.loss / rows : score.correct / rows));
}

/**
 * A runner training `model` with the dense trainer, or a sentence saying why it cannot
 * (the model's shape, its optimizer, or an engine without WebAssembly SIMD).
 */
export function denseRunner(
  model: LayersModel,
  data: FitArrays,
  batchSize: number,
): BatchRunner | string {
  if (!enabled) return 'turned off';
  available ??= denseTrainerAvailable();
  if (!available) return 'no WebAssembly SIMD';
  const plan: DensePlan | string = densePlan(model);
  if (typeof plan === 'string') return plan;
  const trainer = new DenseTrainer({ layers: plan.layers, batchSize, adam: plan.adam });
  const names = model.metricsNames;
  const indicesOf = (d: FitArrays): boolean =>
    d.oneHot || (d.yShape.length === 1 && d.yShape[0] === 1 && trainer.classes > 1);
  if (data.xShape.reduce((a, b) => a * b, 1) !== trainer.inputSize) return 'inputs of another size';
  let steps = 0;
  return {
    beginEpoch() {
      loadIntoTrainer(model, plan, trainer);
      steps = 0;
    },
    trainBatch(order, start, end) {
      const indices = indicesOf(data);
      for (let r = 0; r < end - start; r++)
        copyRow(trainer, data, order[start + r] as number, r, indices);
      const score = trainer.trainBatch(end - start);
      steps++;
      return Promise.resolve(values(names, score, end - start));
    },
    endEpoch() {
      storeFromTrainer(trainer, plan, model, steps);
      steps = 0;
    },
    evaluate(set) {
      const indices = indicesOf(set);
      const chunk = trainer.evalBatchSize;
      let loss = 0;
      let correct = 0;
      for (let start = 0; start < set.count; start += chunk) {
        const rows = Math.min(chunk, set.count - start);
        for (let r = 0; r < rows; r++) copyRow(trainer, set, start + r, r, indices);
        const score = trainer.evaluate(rows);
        loss += score.loss;
        correct += score.correct;
      }
      return values(names, { loss, correct }, Math.max(set.count, 1));
    },
  };
}
