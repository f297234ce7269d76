/**
 * Data-parallel dense training on two threads: each batch is split in two, this thread and a
 * helper thread (parallel-worker.ts, its own dense trainer on its own memory) compute the
 * gradients of their halves, this thread adds the helper's to its own, takes the Adam step and
 * hands the new parameters back. The result is the one-thread training's, up to the order in
 * which float32 gradients are summed. The training data go to the helper once, in a
 * SharedArrayBuffer (without a copy when they are in one already).
 *
 * Two threads are not always faster (small models, where the step is short next to the
 * hand-over; a machine whose other core is busy): the runner measures samples per second both
 * ways as it trains (ModeChooser) and trains on the faster, measuring again from time to time.
 */
import { Worker } from 'node:worker_threads';
import type { LayersModel } from '@tensorflow/tfjs';
import type { FitArrays } from '../fit-data.js';
import { copyRow, evaluateRows, labelsAreIndices, metricValues } from './batch-rows.js';
import type { BatchRunner } from './batch-runner.js';
import { DenseTrainer } from './dense-trainer.js';
import type { DensePlan } from './from-model.js';
import { loadIntoTrainer, storeFromTrainer } from './from-model.js';
import { ModeChooser } from './mode-chooser.js';
import { CTRL } from './parallel-protocol.js';
import { plural } from '../../../plural.js';
import type { ParallelSetup } from './parallel-protocol.js';

/** How long a step may wait for the helper before the training fails. */
const HELPER_TIMEOUT_MS = 120_000;

/** `values` in a SharedArrayBuffer of floats (itself when it already is one, whole). */
function sharedFloats(values: ArrayLike<number>): SharedArrayBuffer {
  if (
    values instanceof Float32Array &&
    values.buffer instanceof SharedArrayBuffer &&
    values.byteOffset === 0 &&
    values.byteLength === values.buffer.byteLength
  )
    return values.buffer;
  const buffer = new SharedArrayBuffer(values.length * 4);
  new Float32Array(buffer).set(values);
  return buffer;
}

function startHelper(setup: ParallelSetup): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return new Worker(new URL('./parallel-worker.js', here), { workerData: setup });
  // from source: worker threads do not inherit the loader hooks that run TypeScript
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const file = new URL('./parallel-worker.ts', here).href;
  const source = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(file)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    workerData: setup,
  });
}

/** A runner training `model` (planned by `plan`) on this thread and one helper. */
export async function parallelDenseRunner(
  model: LayersModel,
  plan: DensePlan,
  data: FitArrays,
  batchSize: number,
): Promise<BatchRunner> {
  const trainer = new DenseTrainer({ layers: plan.layers, batchSize, adam: plan.adam });
  const count = trainer.paramCount;
  const setup: ParallelSetup = {
    layers: plan.layers,
    adam: plan.adam,
    batchSize: Math.floor(batchSize / 2) + 1,
    control: new SharedArrayBuffer(CTRL.size * 4),
    score: new SharedArrayBuffer(16),
    order: new SharedArrayBuffer(batchSize * 4),
    params: new SharedArrayBuffer(count * 4),
    grads: new SharedArrayBuffer(count * 4),
    data: {
      count: data.count,
      x: sharedFloats(data.x),
      y: sharedFloats(data.y),
      xShape: data.xShape,
      yShape: data.yShape,
      oneHot: data.oneHot,
    },
  };
  const ctrl = new Int32Array(setup.control);
  const score = new Float64Array(setup.score);
  const order = new Uint32Array(setup.order);
  const params = new Float32Array(setup.params);
  const grads = new Float32Array(setup.grads);
  const helper = startHelper(setup);
  let failure = '';
  helper.on('message', (m: unknown) => void (failure = String(m)));
  helper.on('error', (e: Error) => void (failure = e.stack ?? e.message));
  // the helper is ready once its trainer is made (or it failed); wait without blocking
  await new Promise<void>((resolve, reject) => {
    const poll = (): void => {
      if (Atomics.load(ctrl, CTRL.ready) === 1) resolve();
      else if (failure !== '') reject(new Error(`dense training helper: ${failure}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
  if (Atomics.load(ctrl, CTRL.failed) === 1) {
    await helper.terminate();
    throw new Error(`dense training helper: ${failure}`);
  }
  const indices = labelsAreIndices(data, trainer.classes);
  const names = model.metricsNames;
  const publish = (): void => {
    params.set(trainer.heap.subarray(trainer.paramsBase, trainer.paramsBase + count));
  };
  const waitForHelper = (step: number): void => {
    const since = Date.now();
    while (Atomics.load(ctrl, CTRL.done) !== step) {
      Atomics.wait(ctrl, CTRL.done, Atomics.load(ctrl, CTRL.done), 1000);
      if (Atomics.load(ctrl, CTRL.failed) === 1 || Date.now() - since > HELPER_TIMEOUT_MS)
        throw new Error(`dense training helper stopped: ${failure || 'no answer'}`);
    }
  };
  let steps = 0;
  const chooser = new ModeChooser();
  return {
    beginEpoch() {
      loadIntoTrainer(model, plan, trainer);
      publish();
      steps = 0;
    },
    trainBatch(sampleOrder, start, end) {
      const started = performance.now();
      const mode = chooser.next();
      const rows = end - start;
      const theirs = mode === 0 ? Math.floor(rows / 2) : 0;
      const ours = rows - theirs;
      let step = -1;
      if (theirs > 0) {
        order.set(sampleOrder.subarray(start + ours, end));
        Atomics.store(ctrl, CTRL.rows, theirs);
        Atomics.store(ctrl, CTRL.meanOver, rows);
        step = Atomics.add(ctrl, CTRL.command, 1) + 1;
        Atomics.notify(ctrl, CTRL.command);
      }
      for (let r = 0; r < ours; r++)
        copyRow(trainer, data, sampleOrder[start + r] as number, r, indices);
      const mine = trainer.computeGradients(ours, rows);
      let loss = mine.loss;
      let correct = mine.correct;
      if (step >= 0) {
        waitForHelper(step);
        const h = trainer.heap;
        const g = trainer.gradsBase;
        for (let i = 0; i < count; i++) h[g + i] = (h[g + i] as number) + (grads[i] as number);
        loss += score[0] as number;
        correct += score[1] as number;
      }
      trainer.applyGradients();
      publish();
      steps++;
      chooser.record(mode, rows, performance.now() - started);
      return Promise.resolve(metricValues(names, { loss, correct }, rows));
    },
    endEpoch() {
      storeFromTrainer(trainer, plan, model, steps);
      steps = 0;
    },
    evaluate: (set) => evaluateRows(trainer, set, names),
    describe() {
      const [two, one] = [chooser.rate(0), chooser.rate(1)].map((r) => Math.round(r * 1000));
      return `dense trainer on ${plural(chooser.best === 0 ? 2 : 1, 'thread')} (measured ${two} samples/s on 2 threads, ${one} on 1)`;
    },
    async dispose() {
      Atomics.store(ctrl, CTRL.stop, 1);
      Atomics.add(ctrl, CTRL.command, 1);
      Atomics.notify(ctrl, CTRL.command);
      await helper.terminate();
    },
  };
}
