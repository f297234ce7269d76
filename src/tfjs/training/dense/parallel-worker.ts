/**
 * The helper thread of a data-parallel dense training: for each step the main thread asks of
 * it, takes the current parameters, computes the gradient of its share of the batch and hands
 * it back (see parallel-runner.ts). Loads no TensorFlow.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FitArrays } from '../fit-data.js';
import { copyRow, labelsAreIndices } from './batch-rows.js';
import { DenseTrainer } from './dense-trainer.js';
import { CTRL } from './parallel-protocol.js';
import type { ParallelSetup } from './parallel-protocol.js';

const setup = workerData as ParallelSetup;
const ctrl = new Int32Array(setup.control);
const score = new Float64Array(setup.score);
const order = new Uint32Array(setup.order);
const params = new Float32Array(setup.params);
const grads = new Float32Array(setup.grads);
const data: FitArrays = {
  count: setup.data.count,
  x: new Float32Array(setup.data.x),
  y: new Float32Array(setup.data.y),
  xShape: setup.data.xShape,
  yShape: setup.data.yShape,
  oneHot: setup.data.oneHot,
};

function serve(): void {
  const trainer = new DenseTrainer({
    layers: setup.layers,
    batchSize: setup.batchSize,
    evalBatchSize: 1,
    adam: setup.adam,
  });
  const indices = labelsAreIndices(data, trainer.classes);
  const base = trainer.paramsBase;
  const gradsBase = trainer.gradsBase;
  const count = trainer.paramCount;
  let seen = Atomics.load(ctrl, CTRL.command);
  Atomics.store(ctrl, CTRL.ready, 1);
  Atomics.notify(ctrl, CTRL.ready);
  for (;;) {
    Atomics.wait(ctrl, CTRL.command, seen);
    if (Atomics.load(ctrl, CTRL.stop) === 1) return;
    seen = Atomics.load(ctrl, CTRL.command);
    const rows = Atomics.load(ctrl, CTRL.rows);
    const meanOver = Atomics.load(ctrl, CTRL.meanOver);
    const h = trainer.heap;
    h.set(params.subarray(0, count), base);
    for (let r = 0; r < rows; r++) copyRow(trainer, data, order[r] as number, r, indices);
    const result = trainer.computeGradients(rows, meanOver);
    grads.set(trainer.heap.subarray(gradsBase, gradsBase + count));
    score[0] = result.loss;
    score[1] = result.correct;
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
  }
}

try {
  serve();
} catch (error) {
  parentPort?.postMessage(error instanceof Error ? (error.stack ?? error.message) : String(error));
  Atomics.store(ctrl, CTRL.failed, 1);
  Atomics.store(ctrl, CTRL.ready, 1);
  Atomics.store(ctrl, CTRL.done, Atomics.load(ctrl, CTRL.command));
  Atomics.notify(ctrl, CTRL.ready);
  Atomics.notify(ctrl, CTRL.done);
}
