/** Copying training samples into the dense trainer's input and target rows. */
import type { FitArrays } from '../fit-data.js';
import type { DenseTrainer } from './dense-trainer.js';

/** Whether `data`'s labels are class indices (one-hot encoded as they are copied). */
export function labelsAreIndices(data: FitArrays, classes: number): boolean {
  return data.oneHot || (data.yShape.length === 1 && data.yShape[0] === 1 && classes > 1);
}

/** Copies sample `i` of `data` into the trainer's row `row` (inputs, one-hot or dense targets). */
export function copyRow(
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

/** The model's metrics (`loss`, `acc`/`accuracy`, in `names`' order) from sums over `rows` rows. */
export function metricValues(
  names: readonly string[],
  sums: { readonly loss: number; readonly correct: number },
  rows: number,
): number[] {
  const n = Math.max(rows, 1);
  return names.map((name) => (name === 'loss' ? sums.loss / n : sums.correct / n));
}

/** The model's metrics over all of `set`, evaluated by `trainer` in chunks of its largest batch. */
export function evaluateRows(
  trainer: DenseTrainer,
  set: FitArrays,
  names: readonly string[],
): number[] {
  const indices = labelsAreIndices(set, trainer.classes);
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
  return metricValues(names, { loss, correct }, set.count);
}
