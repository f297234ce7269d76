import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { evaluateModel } from '../../src/tfjs/data/index.js';
import { setDenseTrainerEnabled } from '../../src/tfjs/training/dense/dense-runner.js';
import { densePlan } from '../../src/tfjs/training/dense/from-model.js';
import { fastFit, lastFitEngine } from '../../src/tfjs/training/fast-fit.js';
import type { FitLogs } from '../../src/tfjs/training/index.js';
import { randomValues } from './numeric-helpers.js';

const N = 203; // a ragged last batch at 32 and at 64
const SHAPE = [4, 5, 1];
const FEATURES = 20;
const CLASSES = 4;
const X = randomValues(N * FEATURES, 3);
const Y = Int32Array.from({ length: N }, (_, n) => {
  let best = 0;
  for (let c = 1; c < CLASSES; c++)
    if ((X[n * FEATURES + c] as number) > (X[n * FEATURES + best] as number)) best = c;
  return best;
});

type Act = 'relu' | 'tanh' | 'elu' | 'selu' | 'swish' | 'sigmoid' | 'linear';

function build(activations: readonly Act[], units: readonly number[], lr = 0.01): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: SHAPE }));
  activations.forEach((activation, i) =>
    model.add(
      tf.layers.dense({
        units: units[i] as number,
        activation,
        useBias: i !== 1, // one layer without a bias
        kernelInitializer: tf.initializers.glorotUniform({ seed: 10 + i }),
        biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 20 + i }),
      }),
    ),
  );
  model.add(
    tf.layers.dense({
      units: CLASSES,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
    }),
  );
  model.compile({
    optimizer: tf.train.adam(lr),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

async function train(
  model: tf.LayersModel,
  dense: boolean,
  epochs: number,
  batchSize: number,
  initialEpoch = 0,
): Promise<FitLogs[]> {
  setDenseTrainerEnabled(dense);
  const logs: FitLogs[] = [];
  await fastFit(model, X, Y, {
    epochs,
    initialEpoch,
    batchSize,
    seed: 5,
    validationData: [X.subarray(0, 70 * FEATURES), Y.subarray(0, 70)],
    callbacks: { onEpochEnd: (_e, l) => void logs.push(l) },
  });
  expect(lastFitEngine()).toBe(dense ? 'dense' : 'tfjs');
  return logs;
}

function maxRelativeDifference(a: tf.LayersModel, b: tf.LayersModel): number {
  const wa = a.getWeights().map((w) => w.dataSync());
  const wb = b.getWeights().map((w) => w.dataSync());
  let worst = 0;
  wa.forEach((values, i) => {
    const other = wb[i] as typeof values;
    let scale = 1e-3;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    values.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (other[j] as number)) / scale)));
  });
  return worst;
}

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});
afterEach(() => setDenseTrainerEnabled(true));

describe('dense trainer', () => {
  it.each([
    [['relu', 'tanh'] as Act[], [24, 12]],
    [['elu', 'selu', 'swish'] as Act[], [16, 8, 12]],
    [['sigmoid', 'linear'] as Act[], [12, 36]],
    // widths that are not multiples of 4: the JavaScript passes instead of the SIMD ones
    [['tanh', 'swish', 'elu'] as Act[], [13, 7, 5]],
  ])('trains %j as tfjs does: same weights, losses and accuracies', async (activations, units) => {
    const ours = build(activations, units);
    const theirs = build(activations, units);
    const a = await train(ours, true, 3, 32);
    const b = await train(theirs, false, 3, 32);
    expect(maxRelativeDifference(ours, theirs)).toBeLessThan(2e-4);
    a.forEach((logs, e) => {
      for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) {
        expect(logs[key], `${key} epoch ${e}`).toBeCloseTo(b[e]?.[key] as number, 4);
      }
    });
    // the optimizer's state went back into the model: a tfjs epoch after ours goes on alike
    await train(ours, false, 4, 64, 3);
    await train(theirs, false, 4, 64, 3);
    expect(maxRelativeDifference(ours, theirs)).toBeLessThan(5e-4);
    expect((ours.optimizer as unknown as { iterations: number }).iterations).toBe(
      (theirs.optimizer as unknown as { iterations: number }).iterations,
    );
    for (const m of [ours, theirs]) {
      m.optimizer.dispose();
      m.dispose();
    }
  });

  it('trains on two threads as on one (data-parallel halves of each batch)', async () => {
    const one = build(['relu', 'tanh'], [24, 16]);
    const two = build(['relu', 'tanh'], [24, 16]);
    const logs: FitLogs[][] = [[], []];
    for (const [i, model] of [one, two].entries()) {
      await fastFit(model, X, Y, {
        epochs: 3,
        batchSize: 33, // odd: halves of 17 and 16, and a ragged last batch of 5
        seed: 2,
        threads: i + 1,
        validationData: [X.subarray(0, 70 * FEATURES), Y.subarray(0, 70)],
        callbacks: { onEpochEnd: (_e, l) => void logs[i]?.push(l) },
      });
      expect(lastFitEngine()).toBe('dense');
    }
    expect(maxRelativeDifference(one, two)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(one, build(['relu', 'tanh'], [24, 16]))).toBeGreaterThan(1e-2);
    // Adam's moments scale with the gradients (its steps do not): the halves' sum is the mean
    const [m1, m2] = await Promise.all([one, two].map((m) => m.optimizer.getWeights()));
    expect(m2?.length).toBe(m1?.length);
    m1?.forEach(({ name, tensor }, i) => {
      const a = tensor.dataSync();
      const b = (m2?.[i]?.tensor as tf.Tensor).dataSync();
      let scale = 1e-12;
      let diff = 0;
      a.forEach((v, j) => {
        scale = Math.max(scale, Math.abs(v));
        diff = Math.max(diff, Math.abs(v - (b[j] as number)));
      });
      expect(diff / scale, name).toBeLessThan(1e-4);
    });
    logs[0]?.forEach((l, e) => {
      for (const key of ['loss', 'acc', 'val_loss', 'val_acc'])
        expect(l[key], `${key} epoch ${e}`).toBeCloseTo(logs[1]?.[e]?.[key] as number, 5);
    });
    for (const m of [one, two]) m.dispose();
  });

  it('evaluates as tfjs does (evaluateModel), with class indices and with one-hot targets', async () => {
    const model = build(['relu', 'selu'], [16, 8]);
    await train(model, true, 2, 32);
    const oneHot = Float32Array.from({ length: N * CLASSES }, (_, i) =>
      Y[Math.floor(i / CLASSES)] === i % CLASSES ? 1 : 0,
    );
    for (const labels of [Y, oneHot]) {
      setDenseTrainerEnabled(true);
      const ours = evaluateModel(model, X, labels, { batchSize: 50 });
      setDenseTrainerEnabled(false);
      const theirs = evaluateModel(model, X, labels, { batchSize: 50 });
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const key of Object.keys(theirs))
        expect(ours[key], key).toBeCloseTo(theirs[key] as number, 5);
    }
    model.dispose();
  });

  it('learns: the loss falls and accuracy rises on a learnable task', async () => {
    const model = build(['relu'], [32], 0.02);
    const logs = await train(model, true, 12, 16);
    expect(logs[11]?.['loss']).toBeLessThan((logs[0]?.['loss'] as number) * 0.6);
    expect(logs[11]?.['val_acc']).toBeGreaterThan(0.8);
    model.dispose();
  });

  it('leaves to tfjs what it does not compute, saying why', () => {
    const withDropout = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 4, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    withDropout.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    expect(densePlan(withDropout)).toBe('a Dropout layer');
    const sgd = build(['relu'], [4]);
    sgd.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    expect(densePlan(sgd)).toBe('the optimizer is not tf.train.adam');
    const mse = build(['relu'], [4]);
    mse.compile({ optimizer: tf.train.adam(), loss: 'meanSquaredError' });
    expect(densePlan(mse)).toBe('the loss is not (sparse) categorical cross-entropy');
    const gelu = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 4, activation: 'relu6' }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    gelu.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy' });
    expect(densePlan(gelu)).toBe('the activation relu6');
    for (const m of [withDropout, sgd, mse, gelu]) m.dispose();
  });
});
