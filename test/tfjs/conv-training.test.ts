import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { randomValues, relativeError } from './numeric-helpers.js';

function buildCnn(seed: number, activation: 'tanh' | 'relu'): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [8, 8, 2],
      filters: 3,
      kernelSize: 3,
      activation,
      kernelInitializer: init(1),
      biasInitializer: init(4),
    }),
  );
  model.add(
    tf.layers.conv2d({
      filters: 4,
      kernelSize: 2,
      strides: 2,
      padding: 'same',
      activation,
      kernelInitializer: init(2),
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(3) }));
  return model;
}

const X = randomValues(4 * 8 * 8 * 2, 11);
const LABELS = [0, 2, 1, 2];

function lossOf(model: tf.LayersModel): tf.Scalar {
  const x = tf.tensor4d(X, [4, 8, 8, 2]);
  const y = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3);
  const p = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(y, tf.log(tf.clipByValue(p, 1e-7, 1))) as tf.Scalar;
}

/** The input batch (NHWC) a model's loss and gradients are taken on. */
interface InputBatch {
  readonly values: Float32Array;
  readonly shape: [number, number, number, number];
}

/**
 * On `backend`: the softmax cross-entropy loss of `build()` on `input` and LABELS, then its
 * gradient for each trainable weight, in order. With `expectNoLeak`, also expects the loss and
 * gradient pass to leave no buffer or tensor behind once its results are disposed.
 */
async function lossAndGradsOn(
  backend: 'cpu' | 'wasm',
  build: () => tf.LayersModel,
  input: InputBatch,
  expectNoLeak: boolean,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = build();
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(input.values, input.shape);
  const y = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3);
  const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  const tensors = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
    weights,
  );
  const out = [Float32Array.from(await value.data())];
  for (const w of weights) out.push(Float32Array.from(await grads[w.name]!.data()));
  tf.dispose([value, ...Object.values(grads)]);
  if (expectNoLeak) {
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
    expect(tf.memory().numTensors).toBe(tensors);
  }
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

/**
 * Expects the loss and gradients of `build()` on wasm to equal the CPU backend's within 1e-4
 * relative, one by one; returns the CPU backend's (loss first).
 */
async function expectLossAndGradsEqualCpu(
  build: () => tf.LayersModel,
  input: InputBatch,
  expectNoLeak: boolean,
): Promise<Float32Array[]> {
  const cpu = await lossAndGradsOn('cpu', build, input, expectNoLeak);
  const wasm = await lossAndGradsOn('wasm', build, input, expectNoLeak);
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((g, i) =>
    expect(relativeError(g, cpu[i]!), i === 0 ? 'loss' : `weight ${i - 1}`).toBeLessThan(1e-4),
  );
  return cpu;
}

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  const choice = await selectBackend({ prefer: 'wasm' });
  expect(choice.fastKernels).toBe(true);
});

describe('Conv2D training on the wasm backend', () => {
  it('gradients match central finite differences', async () => {
    await tf.setBackend('wasm');
    const model = buildCnn(5, 'tanh');
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => lossOf(model), weights);
    const eps = 1e-2;
    let checked = 0;
    for (const w of weights) {
      const g = grads[w.name];
      expect(g, w.name).toBeDefined();
      const gValues = (await g!.data()) as Float32Array;
      const original = (await w.data()) as Float32Array;
      // Directional derivatives along a few seeded directions, plus single coordinates.
      for (let d = 0; d < 3; d++) {
        const dir = randomValues(original.length, 100 + d + checked);
        const shifted = (sign: number) =>
          tf.tidy(() => {
            w.assign(
              tf.tensor(
                original.map((v, i) => v + sign * eps * (dir[i] as number)),
                w.shape,
              ),
            );
            return lossOf(model).dataSync()[0] as number;
          });
        const fd = (shifted(1) - shifted(-1)) / (2 * eps);
        w.assign(tf.tensor(original, w.shape));
        let analytic = 0;
        for (let i = 0; i < dir.length; i++)
          analytic += (gValues[i] as number) * (dir[i] as number);
        expect(Math.abs(fd - analytic), `${w.name} direction ${d}`).toBeLessThan(
          2e-3 + 1e-2 * Math.abs(analytic),
        );
        checked++;
      }
    }
    tf.dispose(Object.values(grads));
    expect(checked).toBeGreaterThanOrEqual(3 * 6);
    model.dispose();
  });

  it('gradients equal the CPU backend', async () => {
    const gradsOn = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const model = buildCnn(9, 'relu');
      const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => lossOf(model), weights);
      const out = await Promise.all(
        weights.map(async (w) => Float32Array.from(await grads[w.name]!.data())),
      );
      tf.dispose([value, ...Object.values(grads)]);
      model.dispose();
      return out;
    };
    const cpu = await gradsOn('cpu');
    const wasm = await gradsOn('wasm');
    expect(wasm.length).toBe(cpu.length);
    wasm.forEach((g, i) => expect(relativeError(g, cpu[i]!), `weight ${i}`).toBeLessThan(1e-4));
  });

  it("with uneven strides and 'same' padding: loss and gradients equal the CPU backend", async () => {
    const build = (): tf.LayersModel => {
      const init = (s: number) => tf.initializers.glorotUniform({ seed: 20 + s });
      const model = tf.sequential();
      model.add(
        tf.layers.conv2d({
          inputShape: [6, 6, 2],
          filters: 3,
          kernelSize: 2,
          strides: [2, 3],
          padding: 'same',
          activation: 'tanh',
          kernelInitializer: init(1),
          biasInitializer: init(2),
        }),
      );
      model.add(
        tf.layers.conv2d({
          filters: 2,
          kernelSize: [2, 1],
          strides: [1, 2],
          padding: 'same',
          kernelInitializer: init(3),
          biasInitializer: init(4),
        }),
      );
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(5) }));
      return model;
    };
    const input: InputBatch = { values: X.subarray(0, 4 * 6 * 6 * 2), shape: [4, 6, 6, 2] };
    await expectLossAndGradsEqualCpu(build, input, false);
  });

  it("depthwise and separable layers with 'same' padding and strides: loss and gradients equal the CPU backend", async () => {
    // Strides [2, 3] with a 2x2 filter and 3 with 2x1 are what stock wasm computes wrong; stride
    // 2 with a 3x3 filter it computes right (stock path); no depthwise gradient is stock.
    const build = (): tf.LayersModel => {
      const init = (s: number) => tf.initializers.glorotUniform({ seed: 40 + s });
      const model = tf.sequential();
      model.add(
        tf.layers.depthwiseConv2d({
          inputShape: [8, 9, 2],
          kernelSize: 2,
          depthMultiplier: 2,
          strides: [2, 3],
          padding: 'same',
          activation: 'tanh',
          depthwiseInitializer: init(1),
          biasInitializer: init(2),
        }),
      );
      model.add(
        tf.layers.separableConv2d({
          filters: 3,
          kernelSize: [2, 1],
          strides: 3,
          padding: 'same',
          depthMultiplier: 1,
          activation: 'relu',
          depthwiseInitializer: init(3),
          pointwiseInitializer: init(4),
          biasInitializer: init(5),
        }),
      );
      model.add(
        tf.layers.depthwiseConv2d({
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          depthwiseInitializer: init(6),
          biasInitializer: init(7),
        }),
      );
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(8) }));
      return model;
    };
    const input: InputBatch = { values: randomValues(4 * 8 * 9 * 2, 17), shape: [4, 8, 9, 2] };
    const cpu = await expectLossAndGradsEqualCpu(build, input, true);
    // Loss, then per layer: depthwise kernel and bias; separable depthwise, pointwise and
    // bias; depthwise kernel and bias; dense kernel and bias.
    expect(cpu.length).toBe(1 + 2 + 3 + 2 + 2);
  });

  it('loss falls over a few training steps', async () => {
    await tf.setBackend('wasm');
    const model = buildCnn(3, 'relu');
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(X, [4, 8, 8, 2]);
    const y = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) losses.push((await model.trainOnBatch(x, y)) as number);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
    tf.dispose([x, y]);
    model.dispose();
  });
});
