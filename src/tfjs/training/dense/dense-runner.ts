/**
 * The dense trainer as `fastFit`'s batch runner: batches are copied from the fit arrays into
 * the trainer's memory, trained there, and the model's variables are brought up to date at the
 * end of every epoch (before its callbacks see the model). With `threads` 2, each batch is
 * split between this thread and a helper (parallel-runner.ts).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { FitArrays } from '../fit-data.js';
import { copyRow, evaluateRows, labelsAreIndices, metricValues } from './batch-rows.js';
import type { BatchRunner } from './batch-runner.js';
import { DenseTrainer, denseTrainerAvailable } from './dense-trainer.js';
import { densePlan, loadIntoTrainer, storeFromTrainer } from './from-model.js';
import { parallelDenseRunner } from './parallel-runner.js';

let available: boolean | undefined;
let enabled = true;

/** Turns the dense trainer off (or back on): `fastFit` then trains every model through tfjs. */
export function setDenseTrainerEnabled(on: boolean): void {
  enabled = on;
}

/** Whether the dense trainer may run here (turned on, and WebAssembly SIMD available). */
export function denseTrainerUsable(): boolean {
  available ??= denseTrainerAvailable();
  return enabled && available;
}

/**
 * The loss and metrics of `model` on `set` computed by the dense trainer (in chunks of 1024
 * rows), keyed as the model names them, or undefined when the trainer does not take the model.
 */
export function denseEvaluate(model: LayersModel, set: FitArrays): number[] | undefined {
  if (!denseTrainerUsable()) return undefined;
  const plan = densePlan(model);
  if (typeof plan === 'string') return undefined;
  if (set.xShape.reduce((a, b) => a * b, 1) !== plan.layers[0]?.inputs) return undefined;
  const trainer = new DenseTrainer({ layers: plan.layers, batchSize: 1, adam: plan.adam });
  loadIntoTrainer(model, plan, trainer);
  return evaluateRows(trainer, set, model.metricsNames);
}

/**
 * A runner training `model` with the dense trainer on `threads` threads (1 or 2), or a sentence
 * saying why it cannot (the model's shape, its optimizer, or an engine without WebAssembly SIMD).
 */
export async function denseRunner(
  model: LayersModel,
  data: FitArrays,
  batchSize: number,
  threads = 1,
): Promise<BatchRunner | string> {
  if (!enabled) return 'turned off';
  if (!denseTrainerUsable()) return 'no WebAssembly SIMD';
  const plan = densePlan(model);
  if (typeof plan === 'string') return plan;
  const inputs = data.xShape.reduce((a, b) => a * b, 1);
  if (inputs !== plan.layers[0]?.inputs) return 'inputs of another size';
  if (threads > 1 && batchSize > 1) return parallelDenseRunner(model, plan, data, batchSize);
  const trainer = new DenseTrainer({ layers: plan.layers, batchSize, adam: plan.adam });
  const names = model.metricsNames;
  const indices = labelsAreIndices(data, trainer.classes);
  let steps = 0;
  return {
    beginEpoch() {
      loadIntoTrainer(model, plan, trainer);
      steps = 0;
    },
    trainBatch(order, start, end) {
      for (let r = 0; r < end - start; r++)
        copyRow(trainer, data, order[start + r] as number, r, indices);
      const score = trainer.trainBatch(end - start);
      steps++;
      return Promise.resolve(metricValues(names, score, end - start));
    },
    endEpoch() {
      storeFromTrainer(trainer, plan, model, steps);
      steps = 0;
    },
    evaluate: (set) => evaluateRows(trainer, set, names),
  };
}
