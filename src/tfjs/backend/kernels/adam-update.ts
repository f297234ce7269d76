/**
 * One Adam step for one variable in a single pass over the WASM heap.
 *
 * `tf.train.adam` runs ~15 elementwise kernels per variable per step (each a pass over memory
 * plus the engine's dispatch cost). This kernel reads the variable `x`, its gradient `g` and
 * the moments `m`, `v` once and writes the new values into three fresh outputs [x', m', v'],
 * which the optimizer assigns (never overwriting a buffer another tensor may share):
 *
 *   m' = β1·m + (1-β1)·g,  v' = β2·v + (1-β2)·g²,
 *   x' = x - lr · (m' / (1-β1ᵗ)) / (sqrt(v' / (1-β2ᵗ)) + ε)
 *
 * With hypertuner's SIMD module (see ../simd) four values at a time in float32, as the stock
 * elementwise kernels compute; otherwise in JavaScript, in float64 arithmetic, with the scalars
 * rounded to float32 as the stock optimizer's are.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addressOf, simdFunctions } from '../simd/simd-module.js';
import type { SimdFunctions } from '../simd/simd-module.js';
import { heapOf, sizeOf, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelArgs } from './wasm-kernel-utils.js';

/** Name of the fused Adam kernel (ours; TensorFlow.js has none). */
export const ADAM_UPDATE = 'HypertunerAdamUpdate';

/** Attributes of {@link ADAM_UPDATE}. */
export interface AdamUpdateAttrs {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1 - β1ᵗ for this step. */
  readonly biasCorrection1: number;
  /** 1 - β2ᵗ for this step. */
  readonly biasCorrection2: number;
}

/**
 * Writes one Adam step of `n` values from the arrays at `heap[xAt]`, `[gAt]`, `[mAt]`, `[vAt]`
 * into `heap[xOut]`, `[mOut]`, `[vOut]` (the JavaScript path).
 */
export function adamStep(
  heap: Float32Array,
  n: number,
  at: { x: number; g: number; m: number; v: number; xOut: number; mOut: number; vOut: number },
  attrs: AdamUpdateAttrs,
): void {
  const f = Math.fround;
  const b1 = f(attrs.beta1);
  const c1 = f(1 - attrs.beta1);
  const b2 = f(attrs.beta2);
  const c2 = f(1 - attrs.beta2);
  const eps = f(attrs.epsilon);
  const step = -f(attrs.learningRate);
  const k1 = 1 / f(attrs.biasCorrection1);
  const k2 = 1 / f(attrs.biasCorrection2);
  const { x, g, m, v, xOut, mOut, vOut } = at;
  for (let i = 0; i < n; i++) {
    const gi = heap[g + i] as number;
    const mi = b1 * (heap[m + i] as number) + c1 * gi;
    const vi = b2 * (heap[v + i] as number) + c2 * (gi * gi);
    heap[mOut + i] = mi;
    heap[vOut + i] = vi;
    heap[xOut + i] = (heap[x + i] as number) + (step * (mi * k1)) / (Math.sqrt(vi * k2) + eps);
  }
}

/** The step with the SIMD module: tensors by byte address, four values at a time. */
function simdStep(
  simd: SimdFunctions,
  backend: BackendWasm,
  n: number,
  tensors: readonly TensorInfo[],
  attrs: AdamUpdateAttrs,
): void {
  const [x, g, m, v, xOut, mOut, vOut] = tensors.map((t) => addressOf(backend, t)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const { beta1, beta2 } = attrs;
  const k1 = 1 / Math.fround(attrs.biasCorrection1);
  const k2 = 1 / Math.fround(attrs.biasCorrection2);
  simd.adam(
    x,
    g,
    m,
    v,
    xOut,
    mOut,
    vOut,
    n,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    attrs.epsilon,
    -attrs.learningRate,
    k1,
    k2,
  );
}

function adamUpdate({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo[] {
  const { x, g, m, v } = inputs;
  if (x === undefined || g === undefined || m === undefined || v === undefined) {
    throw new Error(`${ADAM_UPDATE} needs inputs x, g, m and v.`);
  }
  const n = sizeOf(x.shape);
  for (const t of [g, m, v]) {
    if (sizeOf(t.shape) !== n) throw new Error(`${ADAM_UPDATE}: inputs differ in size.`);
  }
  const xOut = backend.makeOutput([...x.shape], 'float32');
  const mOut = backend.makeOutput([...x.shape], 'float32');
  const vOut = backend.makeOutput([...x.shape], 'float32');
  const simd = simdFunctions(backend);
  const config = attrs as unknown as AdamUpdateAttrs;
  if (simd !== undefined) {
    simdStep(simd, backend, n, [x, g, m, v, xOut, mOut, vOut], config);
    return [xOut, mOut, vOut];
  }
  // Views are taken after every allocation: a growing heap detaches earlier ones.
  const { heap, at: xAt } = heapOf(backend, x);
  const offset = (t: TensorInfo) => heapOf(backend, t).at;
  adamStep(
    heap,
    n,
    {
      x: xAt,
      g: offset(g),
      m: offset(m),
      v: offset(v),
      xOut: offset(xOut),
      mOut: offset(mOut),
      vOut: offset(vOut),
    },
    config,
  );
  return [xOut, mOut, vOut];
}

/** Kernel config of the fused Adam update on the WASM backend. */
export const adamUpdateConfig: KernelConfig = wasmKernelConfig(ADAM_UPDATE, adamUpdate);
