/**
 * The activations the dense trainer computes itself, as TensorFlow.js defines them, with their
 * derivatives: forward over a row-major block (adding the bias), backward multiplying a
 * gradient block by f' read from the activation's output (or, for swish, its input).
 */

import {
  SELU_SCALE,
  SELU_SCALE_ALPHA,
  SIMD_ACTIVATIONS,
} from '../../backend/simd/activation-code.js';
import type { SimdActivation } from '../../backend/simd/activation-code.js';

/**
 * Activations of hidden layers the dense trainer takes (`softmax` only ends a network): those of
 * the SIMD passes, computed here in JavaScript for widths that are not a multiple of 4.
 */
export const DENSE_ACTIVATIONS = SIMD_ACTIVATIONS;
export type DenseActivation = SimdActivation;

/** Whether backward needs the activation's input (kept beside its output) rather than its output. */
export function needsInput(activation: DenseActivation): boolean {
  return activation === 'swish';
}

/**
 * z[r, j] += bias[j], then a[r, j] = f(z[r, j]), for `rows` rows of `n` values at float offsets
 * `z` and `a` of `h` (they may be equal); `bias` is -1 for no bias.
 */
export function activateRows(
  h: Float32Array,
  activation: DenseActivation,
  at: { readonly z: number; readonly a: number; readonly bias: number },
  rows: number,
  n: number,
): void {
  const { z, a, bias } = at;
  for (let r = 0; r < rows; r++) {
    const zr = z + r * n;
    const ar = a + r * n;
    if (bias >= 0)
      for (let j = 0; j < n; j++) h[zr + j] = (h[zr + j] as number) + (h[bias + j] as number);
    switch (activation) {
      case 'linear':
        if (ar !== zr) h.copyWithin(ar, zr, zr + n);
        break;
      case 'relu':
        for (let j = 0; j < n; j++) {
          const x = h[zr + j] as number;
          h[ar + j] = x > 0 ? x : 0;
        }
        break;
      case 'tanh':
        for (let j = 0; j < n; j++) h[ar + j] = Math.tanh(h[zr + j] as number);
        break;
      case 'sigmoid':
        for (let j = 0; j < n; j++) h[ar + j] = 1 / (1 + Math.exp(-(h[zr + j] as number)));
        break;
      case 'elu':
        for (let j = 0; j < n; j++) {
          const x = h[zr + j] as number;
          h[ar + j] = x > 0 ? x : Math.expm1(x);
        }
        break;
      case 'selu':
        for (let j = 0; j < n; j++) {
          const x = h[zr + j] as number;
          h[ar + j] = x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x);
        }
        break;
      case 'swish':
        for (let j = 0; j < n; j++) {
          const x = h[zr + j] as number;
          h[ar + j] = x / (1 + Math.exp(-x));
        }
        break;
      default: {
        const never: never = activation;
        throw new Error(`unknown activation ${String(never)}`);
      }
    }
  }
}

/**
 * g[i] *= f'(·) for `count` values at float offset `g`, reading the layer's output at `a` (or,
 * for swish, its input at `z`).
 */
export function multiplyByDerivative(
  h: Float32Array,
  activation: DenseActivation,
  at: { readonly g: number; readonly a: number; readonly z: number },
  count: number,
): void {
  const { g, a, z } = at;
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < count; i++) if (!((h[a + i] as number) > 0)) h[g + i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) {
        const y = h[a + i] as number;
        h[g + i] = (h[g + i] as number) * (1 - y * y);
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) {
        const y = h[a + i] as number;
        h[g + i] = (h[g + i] as number) * y * (1 - y);
      }
      return;
    case 'elu':
      for (let i = 0; i < count; i++) {
        const y = h[a + i] as number;
        if (y <= 0) h[g + i] = (h[g + i] as number) * (y + 1);
      }
      return;
    case 'selu':
      for (let i = 0; i < count; i++) {
        const y = h[a + i] as number;
        h[g + i] = (h[g + i] as number) * (y > 0 ? SELU_SCALE : y + SELU_SCALE_ALPHA);
      }
      return;
    case 'swish':
      for (let i = 0; i < count; i++) {
        const x = h[z + i] as number;
        const s = 1 / (1 + Math.exp(-x));
        h[g + i] = (h[g + i] as number) * (s + x * s * (1 - s));
      }
      return;
    default: {
      const never: never = activation;
      throw new Error(`unknown activation ${String(never)}`);
    }
  }
}

/**
 * Softmax of each row of `z` + bias into `p`, then the batch's cross-entropy terms against the
 * targets `y` (probabilities clipped to [1e-7, 1 - 1e-7] as tfjs' loss does), the count of rows
 * whose arg-max agrees, and, when `grad` ≥ 0, the gradient of the mean loss with respect to the
 * logits, (p - y) / `scale`, at `grad`. Returns the loss sum and the correct count.
 */
export function softmaxCrossEntropy(
  h: Float32Array,
  at: {
    readonly z: number;
    readonly bias: number;
    readonly p: number;
    readonly y: number;
    readonly grad: number;
  },
  rows: number,
  classes: number,
  scale: number,
): { loss: number; correct: number } {
  const { z, bias, p, y, grad } = at;
  const eps = 1e-7;
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const zr = z + r * classes;
    const pr = p + r * classes;
    const yr = y + r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = (h[zr + c] as number) + (bias >= 0 ? (h[bias + c] as number) : 0);
      h[pr + c] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp((h[pr + c] as number) - max);
      h[pr + c] = e;
      sum += e;
    }
    let bestP = -1;
    let bestPAt = 0;
    let bestY = -Infinity;
    let bestYAt = 0;
    for (let c = 0; c < classes; c++) {
      const q = (h[pr + c] as number) / sum;
      h[pr + c] = q;
      const t = h[yr + c] as number;
      if (t !== 0) loss -= t * Math.log(Math.min(Math.max(Math.fround(q), eps), 1 - eps));
      if (q > bestP) [bestP, bestPAt] = [q, c];
      if (t > bestY) [bestY, bestYAt] = [t, c];
      if (grad >= 0) h[grad + r * classes + c] = (q - t) / scale;
    }
    if (bestPAt === bestYAt) correct++;
  }
  return { loss, correct };
}
