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
import { BatchMatMul } from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdMatMul } from '../simd/gemm.js';
import { simdFunctions } from '../simd/simd-module.js';
import { release, sizeOf, transposeLastTwo, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

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
      const out = transposeLastTwo(backend, ba);
      release(backend, ba);
      return out;
    }
  }
  const at = transposeA ? transposeLastTwo(backend, a) : a;
  const bt = transposeB ? transposeLastTwo(backend, b) : b;
  const out = plain(at, bt);
  if (at !== a) release(backend, at);
  if (bt !== b) release(backend, bt);
  return out;
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
