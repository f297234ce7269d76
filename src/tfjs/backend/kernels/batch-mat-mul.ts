/**
 * BatchMatMul for the WASM backend that never hands a transposed operand to the stock kernel.
 *
 * The stock kernel multiplies plain operands at ~25 GFLOP/s but falls to 0.6-2 GFLOP/s when
 * `transposeA` or `transposeB` is set, which is every Dense gradient, and repacks B (~6 ns an
 * element) for every new B, i.e. every weight matrix after each optimizer step. With
 * hypertuner's SIMD module the product runs there (../simd/gemm.ts: no transposed copies, cheap
 * packing); without it, a transposed operand goes through the WASM Transpose kernel first,
 * which costs O(size) and keeps the product on the stock fast path.
 */
import { BatchMatMul, broadcast_util } from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdMatMul } from '../simd/gemm.js';
import { simdFunctions } from '../simd/simd-module.js';
import { release, sizeOf, transposeLastTwo, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

/**
 * Throws tfjs's own error (the CPU backend's message, naming the operands as given) when the
 * batch dimensions do not broadcast or the inner sizes of op(a) and op(b) differ. Checked before
 * any operand is transposed, so an error never names a transposed copy.
 */
export function checkMatMulShapes(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): void {
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  const innerA = transposeA ? a.shape[rankA - 2] : a.shape[rankA - 1];
  const innerB = transposeB ? b.shape[rankB - 1] : b.shape[rankB - 2];
  broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (innerA !== innerB) {
    throw new Error(
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ` +
        `${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} ` +
        `must match.`,
    );
  }
}

/**
 * Multiplies `a` by `b` (with optional transposes): with the SIMD module where it runs, else
 * with only the untransposed stock kernel.
 */
export function fastMatMul(
  stock: WasmKernelFunc,
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  checkMatMulShapes(a, b, transposeA, transposeB);
  const simd = simdFunctions(backend);
  const product = simd && simdMatMul(simd, backend, a, b, transposeA, transposeB);
  if (product !== undefined) return product;
  const plain = (x: TensorInfo, y: TensorInfo): TensorInfo =>
    stock({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } });
  if (!transposeA && !transposeB) return plain(a, b);
  if (transposeA && transposeB) {
    // aᵀbᵀ = (ba)ᵀ: transpose one product instead of two operands when that is smaller.
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const outSize = (a.shape[rankA - 1] ?? 1) * (b.shape[rankB - 2] ?? 1);
    const batch = Math.max(sizeOf(a.shape.slice(0, -2)), sizeOf(b.shape.slice(0, -2)));
    if (outSize * batch < sizeOf(a.shape) + sizeOf(b.shape)) {
      const ba = plain(b, a);
      try {
        return transposeLastTwo(backend, ba);
      } finally {
        release(backend, ba);
      }
    }
  }
  const at = transposeA ? transposeLastTwo(backend, a) : a;
  let bt = b;
  try {
    if (transposeB) bt = transposeLastTwo(backend, b);
    return plain(at, bt);
  } finally {
    if (at !== a) release(backend, at);
    if (bt !== b) release(backend, bt);
  }
}

/** Wraps the stock WASM BatchMatMul kernel config into the fast one. */
export function makeBatchMatMulConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs;
    if (a === undefined || b === undefined) throw new Error('BatchMatMul needs inputs a and b.');
    return fastMatMul(
      stockFunc,
      backend,
      a,
      b,
      attrs?.['transposeA'] === true,
      attrs?.['transposeB'] === true,
    );
  };
  return wasmKernelConfig(BatchMatMul, kernelFunc, stock);
}
