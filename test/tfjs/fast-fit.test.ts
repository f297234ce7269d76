import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { evaluateModel, predictClasses } from '../../src/tfjs/data/index.js';
import { fastFit, fuseAdam } from '../../src/tfjs/training/index.js';
import type { FitLogs } from '../../src/tfjs/training/index.js';
import { randomValues, relativeError } from './numeric-helpers.js';

const N = 200;
const FEATURES = 12;
const CLASSES = 3;
const X = randomValues(N * FEATURES, 7);
/** Learnable labels: the class is which of three feature sums is largest. */
const Y = Int32Array.from({ length: N }, (_, n) => {
  const sums = [0, 1, 2].map((c) => {
    let s = 0;
    for (let f = c * 4; f < c * 4 + 4; f++) s += X[n * FEATURES + f] as number;
    return s;
  });
  return sums.indexOf(Math.max(...sums));
});

function buildMlp(optimizer: 'sgd' | 'adam'): tf.LayersModel {
  const model = tf.sequential();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  model.add(
    tf.layers.dense({
      inputShape: [FEATURES],
      units: 16,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(2) }));
  model.compile({
    optimizer: optimizer === 'sgd' ? tf.train.sgd(0.3) : tf.train.adam(0.02),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});

describe('fastFit', () => {
  it('trains an MLP: loss falls, Keras-style logs, no leaked tensors', async () => {
    const model = buildMlp('sgd');
    const before = tf.memory().numTensors;
    const epochLogs: FitLogs[] = [];
    let batches = 0;
    const history = await fastFit(model, X, Y, {
      epochs: 8,
      batchSize: 32,
      seed: 1,
      validationData: [X.subarray(0, 50 * FEATURES), Y.subarray(0, 50)],
      callbacks: {
        onBatchEnd: () => void batches++,
        onEpochEnd: (_epoch, logs) => void epochLogs.push(logs),
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(batches).toBe(8 * Math.ceil(N / 32));
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const key of ['loss', 'acc', 'accuracy', 'val_loss', 'val_acc', 'val_accuracy']) {
      expect(history.history[key], key).toHaveLength(8);
    }
    const loss = history.history['loss']!;
    expect(loss[7]!).toBeLessThan(0.7 * loss[0]!);
    expect(history.history['acc']![7]!).toBeGreaterThan(0.6);
    expect(epochLogs[7]).toEqual(
      Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[7]])),
    );
    model.dispose();
  });

  it('is deterministic for a seed and resumes at initialEpoch with the same batches', async () => {
    const run = async (epochs: number, initialEpoch: number, weights?: tf.Tensor[]) => {
      const model = buildMlp('sgd');
      if (weights !== undefined) model.setWeights(weights);
      const h = await fastFit(model, X, Y, { epochs, initialEpoch, batchSize: 50, seed: 42 });
      return { model, loss: h.history['loss']! };
    };
    const a = await run(3, 0);
    const b = await run(3, 0);
    expect(b.loss).toEqual(a.loss);
    const first = await run(2, 0);
    const resumed = await run(3, 2, first.model.getWeights());
    expect(resumed.loss[0]).toBeCloseTo(a.loss[2]!, 5);
    for (const m of [a, b, first, resumed]) m.model.dispose();
  });

  it('takes tensors and dense one-hot targets, and leaks nothing after optimizer setup', async () => {
    const model = buildMlp('adam');
    const x = tf.tensor2d(X, [N, FEATURES]);
    const y = tf.oneHot(tf.tensor1d(Y, 'int32'), CLASSES);
    await fastFit(model, x, y, { epochs: 1, batchSize: 64 }); // creates Adam's moments
    const before = tf.memory().numTensors;
    const h = await fastFit(model, x, y, {
      epochs: 4,
      batchSize: 64,
      initialEpoch: 1,
      shuffle: false,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.epoch).toEqual([1, 2, 3]);
    expect(h.history['loss']![2]!).toBeLessThan(h.history['loss']![0]!);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('stops when a callback sets model.stopTraining', async () => {
    const model = buildMlp('sgd');
    const h = await fastFit(model, X, Y, {
      epochs: 10,
      callbacks: { onEpochEnd: (epoch) => void (model.stopTraining = epoch >= 1) },
    });
    expect(h.epoch).toEqual([0, 1]);
    model.dispose();
  });

  it('rejects labels that fit neither shape', async () => {
    const model = buildMlp('sgd');
    await expect(fastFit(model, X, new Float32Array(7))).rejects.toThrow(/class indices/);
    await expect(fastFit(model, X, Y, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    model.dispose();
  });
});

describe('labels: sparse losses, one-unit outputs', () => {
  const dense = (units: number, activation: 'softmax' | 'sigmoid' | 'linear', inputs = 3) =>
    tf.sequential({
      layers: [
        tf.layers.dense({
          units,
          inputShape: [inputs],
          activation,
          name: 'out',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        }),
      ],
    });

  it('takes class indices with a sparse loss given as a string, an array or an object', async () => {
    const n = 12;
    const x = randomValues(n * 3, 5);
    const y = Int32Array.from({ length: n }, (_, i) => i % 4);
    const loss = 'sparseCategoricalCrossentropy';
    for (const form of [loss, [loss], { out: loss }]) {
      const stock = dense(4, 'softmax');
      stock.compile({ optimizer: tf.train.sgd(0.5), loss: form, metrics: ['accuracy'] });
      const xs = tf.tensor2d(x, [n, 3]);
      const ys = tf.tensor2d(Float32Array.from(y), [n, 1]);
      const expected = await stock.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false });
      const model = dense(4, 'softmax');
      model.compile({ optimizer: tf.train.sgd(0.5), loss: form, metrics: ['accuracy'] });
      const h = await fastFit(model, x, y, { epochs: 2, batchSize: 4, shuffle: false });
      const got = Float32Array.from(h.history['loss']!);
      const want = Float32Array.from(expected.history['loss'] as number[]);
      expect(relativeError(got, want), JSON.stringify(form)).toBeLessThan(1e-5);
      const evaluated = evaluateModel(model, x, y)['loss']!;
      const reference = tf.tidy(() => (model.evaluate(xs, ys) as tf.Scalar[])[0]!.dataSync()[0]!);
      expect(evaluated, JSON.stringify(form)).toBeCloseTo(reference, 5);
      tf.dispose([xs, ys]);
      stock.dispose();
      model.dispose();
    }
  });

  it('evaluateModel keeps float targets of a one-unit output (regression) as they are', () => {
    const model = dense(1, 'linear', 2);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = randomValues(8 * 2, 9);
    const y = randomValues(8, 11); // fractional targets in [-1, 1)
    const xs = tf.tensor2d(x, [8, 2]);
    const ys = tf.tensor2d(y, [8, 1]);
    const reference = tf.tidy(() => (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!);
    const before = tf.memory().numTensors;
    expect(evaluateModel(model, x, y, { batchSize: 3 })['loss']).toBeCloseTo(reference, 5);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => evaluateModel(dense(4, 'softmax', 2), x, Float32Array.from(y))).toThrow(
      /y\[0\] = .* is not a class index in \[0, 4\)/,
    );
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('evaluateModel one-hot encodes class indices for categoricalCrossentropy, batch by batch', () => {
    const model = dense(4, 'softmax', 3);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = randomValues(10 * 3, 21);
    const labels = Int32Array.from({ length: 10 }, (_, i) => (i * 7) % 4);
    const reference = tf.tidy(() =>
      (
        model.evaluate(
          tf.tensor2d(x, [10, 3]),
          tf.oneHot(tf.tensor1d(labels, 'int32'), 4),
        ) as tf.Scalar[]
      ).map((s) => s.dataSync()[0]!),
    );
    const before = tf.memory().numTensors;
    const metrics = evaluateModel(model, x, labels, { batchSize: 4 }); // batches of 4, 4 and 2
    expect(metrics['loss']).toBeCloseTo(reference[0]!, 5);
    expect(metrics['accuracy']).toBeCloseTo(reference[1]!, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('predictClasses thresholds a one-unit sigmoid output at 0.5, arg-max otherwise', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 1,
          inputShape: [1],
          activation: 'sigmoid',
          kernelInitializer: 'ones',
          biasInitializer: 'zeros',
        }),
      ],
    });
    expect(Array.from(predictClasses(model, new Float32Array([-3, -0.1, 0.1, 3])))).toEqual([
      0, 0, 1, 1,
    ]);
    const softmax = dense(4, 'softmax');
    const x = randomValues(6 * 3, 13);
    const expected = tf.tidy(() =>
      (softmax.predict(tf.tensor2d(x, [6, 3])) as tf.Tensor).argMax(-1).dataSync(),
    );
    expect(Array.from(predictClasses(softmax, x))).toEqual(Array.from(expected));
    model.dispose();
    softmax.dispose();
  });
});

describe('fused Adam', () => {
  /** Variables, and per-step gradients, for a few layer-like shapes. */
  const SHAPES = [[40, 17], [17], [17, 3], [3]];
  function run(fused: boolean, steps: number, lr: number): Float32Array[] {
    const vars = SHAPES.map((s, i) =>
      tf.variable(
        tf.tensor(
          randomValues(
            s.reduce((a, b) => a * b, 1),
            100 + i,
          ),
          s,
        ),
      ),
    );
    const optimizer = tf.train.adam(lr, 0.85, 0.99, 1e-6);
    if (fused) expect(fuseAdam(optimizer)).toBe(true);
    for (let step = 0; step < steps; step++) {
      const grads = SHAPES.map((s, i) => {
        const g = randomValues(
          s.reduce((a, b) => a * b, 1),
          1000 * step + i,
        );
        // Some exact zeros and a wide range of magnitudes.
        return tf.tensor(
          g.map((v, k) => (k % 7 === 0 ? 0 : v * 10 ** ((k % 5) - 3))),
          s,
        );
      });
      optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
      tf.dispose(grads);
    }
    const out = vars.map((v) => Float32Array.from(v.dataSync()));
    tf.dispose(vars);
    optimizer.dispose();
    return out;
  }
  it('equals tf.train.adam over several steps within 1e-5 (wasm and cpu)', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const stock = run(false, 6, 0.05);
      const fused = run(true, 6, 0.05);
      fused.forEach((values, i) => expect(relativeError(values, stock[i]!)).toBeLessThan(1e-5));
    }
    await tf.setBackend('wasm');
  });

  it('keeps state compatible: weights, iterations, and a stock continuation', async () => {
    await tf.setBackend('wasm');
    const fusedModel = buildMlp('adam');
    const stockModel = buildMlp('adam');
    expect(fuseAdam(fusedModel.optimizer)).toBe(true);
    const x = tf.tensor(X, [N, FEATURES]);
    const y = tf.oneHot(tf.tensor1d(Y, 'int32'), CLASSES);
    for (let i = 0; i < 4; i++) {
      await fusedModel.trainOnBatch(x, y);
      await stockModel.trainOnBatch(x, y);
    }
    const a = await fusedModel.optimizer.getWeights();
    const b = await stockModel.optimizer.getWeights();
    // Layer names differ between the two models; the slots (iter, then m and v) do not.
    const slot = (name: string) => name.replace(/^.*\//, '');
    expect(a.map((w) => slot(w.name))).toEqual(b.map((w) => slot(w.name)));
    a.forEach((w, i) =>
      expect(
        relativeError(w.tensor.dataSync() as Float32Array, b[i]!.tensor.dataSync() as Float32Array),
      ).toBeLessThan(1e-5),
    );
    const wa = fusedModel.getWeights();
    const wb = stockModel.getWeights();
    wa.forEach((w, i) =>
      expect(
        relativeError(w.dataSync() as Float32Array, wb[i]!.dataSync() as Float32Array),
      ).toBeLessThan(1e-5),
    );
    const before = tf.memory().numTensors;
    await fusedModel.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    fusedModel.dispose();
    stockModel.dispose();
  });

  it('leaves other optimizers alone', () => {
    expect(fuseAdam(tf.train.sgd(0.1))).toBe(false);
    expect(fuseAdam(undefined)).toBe(false);
  });
});
