/**
 * The dense trainer's numerics, one piece at a time: its SIMD activations and their derivatives
 * against TensorFlow.js' definitions computed in float64 (and against its own JavaScript passes,
 * used for widths that are not a multiple of 4), and the gradients of a whole network against
 * central finite differences of a float64 forward pass and against `tf.grads`. Adam divides a
 * gradient by its own scale, so training to the same weights as tfjs (dense-trainer.test.ts)
 * would not notice a gradient off by a constant factor; these would.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SELU_SCALE, SELU_SCALE_ALPHA } from '../../src/tfjs/backend/simd/activation-code.js';
import { simdFunctionsOn, wasmApi } from '../../src/tfjs/backend/simd/simd-module.js';
import type { SimdFunctions } from '../../src/tfjs/backend/simd/simd-module.js';
import { activateRows, multiplyByDerivative } from '../../src/tfjs/training/dense/activations.js';
import type { DenseActivation } from '../../src/tfjs/training/dense/activations.js';
import { DenseTrainer } from '../../src/tfjs/training/dense/dense-trainer.js';
import type { DenseLayerSpec } from '../../src/tfjs/training/dense/dense-trainer.js';
import { randomValues } from './numeric-helpers.js';

type Hidden = Exclude<DenseActivation, 'linear'>;
const HIDDEN: readonly Hidden[] = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'swish'];

/** TensorFlow.js' activations, in float64. */
const F: Record<DenseActivation, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x)),
  swish: (x) => x / (1 + Math.exp(-x)),
};

/** Their derivatives, in closed form. */
const DF: Record<DenseActivation, (x: number) => number> = {
  linear: () => 1,
  relu: (x) => (x > 0 ? 1 : 0),
  tanh: (x) => 1 - Math.tanh(x) ** 2,
  sigmoid: (x) => F.sigmoid(x) * (1 - F.sigmoid(x)),
  elu: (x) => (x > 0 ? 1 : Math.exp(x)),
  selu: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE_ALPHA * Math.exp(x)),
  swish: (x) => F.sigmoid(x) * (1 + x * (1 - F.sigmoid(x))),
};

/** Inputs from deep in both tails (exp's clamp, underflow) to near 0, a multiple of 4 in count. */
const XS = Float32Array.from([
  -100,
  -88.5,
  -87,
  -60,
  -20,
  -9.5,
  -5,
  -3.25,
  -2,
  -1.5,
  -1,
  -0.75,
  -0.5,
  -0.3,
  -0.1,
  -0.01,
  -1e-3,
  -1e-5,
  0,
  1e-5,
  1e-3,
  0.01,
  0.1,
  0.3,
  0.5,
  0.75,
  1,
  1.5,
  2,
  3.25,
  5,
  9.5,
  20,
  60,
  87,
  88.5,
  100,
  0.4,
  2.5,
  -2.5,
  ...randomValues(80, 7).map((v) => v * 6),
]);

/** A bias per column of 4: two columns keep the inputs near 0 as they are. */
const BIAS = Float32Array.from([0, 0, 0.25, -0.5]);

let simd: SimdFunctions;
let heap: Float32Array;
const X_AT = 64; // float offsets in the test's memory
const A_AT = 1024;
const G_AT = 2048;
const B_AT = 3072;

beforeAll(() => {
  if (wasmApi === undefined) throw new Error('WebAssembly is needed');
  const memory = new wasmApi.Memory({ initial: 1 });
  const functions = simdFunctionsOn(memory);
  if (functions === undefined) throw new Error('WebAssembly SIMD is needed (Node >= 16.4)');
  simd = functions;
  heap = new Float32Array(memory.buffer);
});

/** f(x) error allowed: a few float32 ulps of the value, or of 1 near 0 (tanh's 2/(1+e)-1). */
const tolerance = (reference: number): number => 4e-7 * Math.max(Math.abs(reference), 1);

describe('dense trainer activations', () => {
  it.each(HIDDEN)('%s forward: SIMD and JavaScript agree with tfjs in float64', (act) => {
    const n = XS.length;
    for (const path of ['simd', 'js'] as const) {
      heap.set(XS, X_AT);
      heap.set(BIAS, B_AT); // added before the activation
      const rows = n / 4;
      if (path === 'simd') simd[`act_${act}`](X_AT * 4, B_AT * 4, A_AT * 4, rows, 4, 1);
      else activateRows(heap, act, { z: X_AT, a: A_AT, bias: B_AT }, rows, 4);
      for (let i = 0; i < n; i++) {
        const x = Math.fround((XS[i] as number) + (BIAS[i % 4] as number));
        expect(heap[X_AT + i], `${path} z at ${x}`).toBe(x);
        const want = F[act](x);
        const got = heap[A_AT + i] as number;
        expect(Math.abs(got - want), `${path} ${act}(${x}) = ${got}, not ${want}`).toBeLessThan(
          tolerance(want),
        );
      }
    }
  });

  it.each(HIDDEN)(
    "%s backward: SIMD and JavaScript multiply by f' (closed form and finite differences)",
    (act) => {
      const n = XS.length;
      const h = 1e-5;
      for (const path of ['simd', 'js'] as const) {
        heap.set(XS, X_AT);
        simd[`act_${act}`](X_AT * 4, 0, A_AT * 4, n / 4, 4, 0); // a = f(z), as forward leaves it
        const g = randomValues(n, 11).map((v) => v + 2); // gradients in [1, 3)
        heap.set(g, G_AT);
        if (path === 'simd') simd[`dact_${act}`](G_AT * 4, A_AT * 4, X_AT * 4, n);
        else multiplyByDerivative(heap, act, { g: G_AT, a: A_AT, z: X_AT }, n);
        for (let i = 0; i < n; i++) {
          const x = XS[i] as number;
          const closed = DF[act](x);
          const want = (g[i] as number) * closed;
          const got = heap[G_AT + i] as number;
          // f' read from f(x) in float32: its rounding, times f'' (at most ~1 here)
          expect(Math.abs(got - want), `${path} ${act}'(${x})`).toBeLessThan(
            3 * tolerance(want) + 3e-7 * (g[i] as number) * Math.max(1, Math.abs(F[act](x))),
          );
          if (Math.abs(x) > 1e-3) {
            const numeric = (F[act](x + h) - F[act](x - h)) / (2 * h);
            expect(Math.abs(numeric - closed), `finite difference of ${act} at ${x}`).toBeLessThan(
              1e-6 * Math.max(1, Math.abs(closed)),
            );
          }
        }
      }
    },
  );

  it('colSum sums the columns (bias gradients)', () => {
    const rows = 7;
    const n = 12;
    const d = randomValues(rows * n, 5);
    heap.set(d, X_AT);
    simd.colSum(X_AT * 4, A_AT * 4, rows, n);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += d[r * n + j] as number;
      expect(heap[A_AT + j]).toBeCloseTo(sum, 5);
    }
  });
});

/** A network's parameters, kernels [inputs × units] row-major and biases, in float32. */
interface Net {
  readonly layers: readonly DenseLayerSpec[];
  readonly kernels: Float32Array[];
  readonly biases: (Float32Array | undefined)[];
}

const INPUTS = 6;
const CLASSES = 3;
const ROWS = 9;

function network(act: DenseActivation, width: number): Net {
  const layers: DenseLayerSpec[] = [
    { inputs: INPUTS, units: width, activation: act, useBias: true },
    { inputs: width, units: width, activation: act, useBias: false },
    { inputs: width, units: CLASSES, activation: 'softmax', useBias: true },
  ];
  return {
    layers,
    kernels: layers.map((l, i) =>
      randomValues(l.inputs * l.units, 30 + i).map((v) => (v * 1.7) / Math.sqrt(l.inputs)),
    ),
    biases: layers.map((l, i) =>
      l.useBias ? randomValues(l.units, 40 + i).map((v) => v * 0.5) : undefined,
    ),
  };
}

const XB = randomValues(ROWS * INPUTS, 21).map((v) => v * 2);
const LABELS = Array.from({ length: ROWS }, (_, r) => (r * 7) % CLASSES);

/** The mean cross-entropy of the batch, in float64, with `kernels`/`biases` as given. */
function meanLoss(net: Net, kernels: Float64Array[], biases: (Float64Array | undefined)[]): number {
  let loss = 0;
  for (let r = 0; r < ROWS; r++) {
    let a = Array.from(XB.subarray(r * INPUTS, (r + 1) * INPUTS));
    net.layers.forEach((l, i) => {
      const k = kernels[i] as Float64Array;
      const b = biases[i];
      const z = Array.from({ length: l.units }, (_, j) => {
        let s = b === undefined ? 0 : (b[j] as number);
        for (let q = 0; q < l.inputs; q++) s += (a[q] as number) * (k[q * l.units + j] as number);
        return s;
      });
      a = l.activation === 'softmax' ? z : z.map(F[l.activation]);
    });
    const max = Math.max(...a);
    const sum = a.reduce((s, v) => s + Math.exp(v - max), 0);
    loss -= (a[LABELS[r] as number] as number) - max - Math.log(sum);
  }
  return loss / ROWS;
}

/** Central finite differences of {@link meanLoss} in every parameter. */
function numericGradients(net: Net): {
  kernels: Float64Array[];
  biases: (Float64Array | undefined)[];
} {
  const kernels = net.kernels.map((k) => Float64Array.from(k));
  const biases = net.biases.map((b) => (b === undefined ? undefined : Float64Array.from(b)));
  const h = 1e-6;
  const along = (values: Float64Array): Float64Array =>
    values.map((v, i) => {
      values[i] = v + h;
      const up = meanLoss(net, kernels, biases);
      values[i] = v - h;
      const down = meanLoss(net, kernels, biases);
      values[i] = v;
      return (up - down) / (2 * h);
    });
  return {
    kernels: kernels.map(along),
    biases: biases.map((b) => (b === undefined ? undefined : along(b))),
  };
}

/** The trainer's gradients of the batch's mean loss (split in parts summed, as threads do). */
function trainerGradients(net: Net, parts: readonly number[] = [ROWS]): Float32Array[] {
  const trainer = new DenseTrainer({
    layers: net.layers,
    batchSize: ROWS,
    adam: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  });
  const h = trainer.heap;
  net.layers.forEach((_, i) => {
    const at = trainer.paramsAt(i);
    h.set(net.kernels[i] as Float32Array, at.kernel);
    const b = net.biases[i];
    if (b !== undefined) h.set(b, at.bias);
  });
  const sum = new Float32Array(trainer.paramCount);
  let first = 0;
  for (const rows of parts) {
    h.set(XB.subarray(first * INPUTS, (first + rows) * INPUTS), trainer.inputAt(0));
    for (let r = 0; r < rows; r++) {
      h.fill(0, trainer.targetAt(r), trainer.targetAt(r) + CLASSES);
      h[trainer.targetAt(r) + (LABELS[first + r] as number)] = 1;
    }
    trainer.computeGradients(rows, ROWS);
    const grads = trainer.heap.subarray(trainer.gradsBase, trainer.gradsBase + trainer.paramCount);
    grads.forEach((g, i) => (sum[i] = (sum[i] as number) + g));
    first += rows;
  }
  // per layer: kernel gradient, then bias gradient (when the layer has a bias)
  return net.layers.flatMap((l, i) => {
    const at = trainer.paramsAt(i);
    const k = at.kernel - trainer.paramsBase;
    const kernel = sum.slice(k, k + l.inputs * l.units);
    if (at.bias < 0) return [kernel];
    const b = at.bias - trainer.paramsBase;
    return [kernel, sum.slice(b, b + l.units)];
  });
}

const TF_ACTIVATION: Record<DenseActivation, (z: tf.Tensor) => tf.Tensor> = {
  linear: (z) => z,
  relu: (z) => tf.relu(z),
  tanh: (z) => tf.tanh(z),
  sigmoid: (z) => tf.sigmoid(z),
  elu: (z) => tf.elu(z),
  selu: (z) => tf.selu(z),
  swish: (z) => tf.mul(z, tf.sigmoid(z)),
};

/** The same gradients from TensorFlow.js' automatic differentiation (float32). */
function tfjsGradients(net: Net): Float32Array[] {
  return tf.tidy(() => {
    const params: tf.Tensor[] = net.layers.flatMap((l, i) => {
      const kernel = tf.tensor2d(net.kernels[i] as Float32Array, [l.inputs, l.units]);
      const b = net.biases[i];
      return b === undefined ? [kernel] : [kernel, tf.tensor1d(b)];
    });
    const x = tf.tensor2d(XB, [ROWS, INPUTS]);
    const y = tf.oneHot(tf.tensor1d(LABELS, 'int32'), CLASSES);
    const loss = (...p: tf.Tensor[]): tf.Scalar => {
      let a: tf.Tensor = x;
      let at = 0;
      for (const l of net.layers) {
        let z: tf.Tensor = tf.matMul(a as tf.Tensor2D, p[at++] as tf.Tensor2D);
        if (l.useBias) z = tf.add(z, p[at++] as tf.Tensor);
        a = l.activation === 'softmax' ? z : TF_ACTIVATION[l.activation](z); // logits last
      }
      return tf.losses.softmaxCrossEntropy(y, a) as tf.Scalar;
    };
    return tf
      .grads(loss)(params)
      .map((g) => g.dataSync() as Float32Array);
  });
}

function flatten(net: Net, g: { kernels: Float64Array[]; biases: (Float64Array | undefined)[] }) {
  return net.layers.flatMap((_, i) => {
    const b = g.biases[i];
    return b === undefined ? [g.kernels[i] as Float64Array] : [g.kernels[i] as Float64Array, b];
  });
}

/** max |a - b| over max |b|, block by block. */
function worstRelative(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((block, i) => {
    const other = b[i] as ArrayLike<number>;
    expect(block.length).toBe(other.length);
    let scale = 1e-12;
    let diff = 0;
    for (let j = 0; j < block.length; j++) {
      scale = Math.max(scale, Math.abs(other[j] as number));
      diff = Math.max(diff, Math.abs((block[j] as number) - (other[j] as number)));
    }
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

describe('dense trainer gradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // width 8: the SIMD activation passes; width 5: the JavaScript ones
  it.each(HIDDEN.flatMap((act) => [8, 5].map((width) => [act, width] as const)))(
    '%s, width %i: as finite differences and tf.grads compute them',
    (act, width) => {
      const net = network(act, width);
      const ours = trainerGradients(net);
      const numeric = flatten(net, numericGradients(net));
      expect(worstRelative(ours, numeric)).toBeLessThan(2e-4);
      expect(worstRelative(ours, tfjsGradients(net))).toBeLessThan(2e-5);
      // not a vacuous comparison: the gradients are not all near 0
      expect(Math.max(...numeric.map((g) => Math.max(...Array.from(g, Math.abs))))).toBeGreaterThan(
        1e-2,
      );
    },
  );

  it('a batch split in parts (the two-thread mode) sums to the whole batch mean gradient', () => {
    const net = network('tanh', 8);
    const whole = trainerGradients(net);
    const split = trainerGradients(net, [5, 4]);
    expect(worstRelative(split, whole)).toBeLessThan(1e-5);
    expect(worstRelative(split, flatten(net, numericGradients(net)))).toBeLessThan(2e-4);
  });
});
