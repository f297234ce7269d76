/**
 * _FusedMatMul (matmul + bias + activation) for the WASM backend.
 *
 * The stock kernel is slow with transposed operands and gives wrong results when a transpose
 * is combined with a bias or an activation, and with a bias on batched (rank-3, batch > 1)
 * operands. With hypertuner's SIMD module the product is ours (see batch-mat-mul.ts), then the
 * Add and activation kernels run on it. Without it, transposed operands are materialised first,
 * so the stock kernel only ever sees plain operands; a bias on a batched product, or one that
 * is not rank 1 (which the stock kernel rejects), goes through separate BatchMatMul, Add and
 * activation kernels.
 */
import { _FusedMatMul } from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdMatMul } from '../simd/gemm.js';
import { simdFunctions } from '../simd/simd-module.js';
import { checkMatMulShapes } from './batch-mat-mul.js';
import {
  callKernel,
  release,
  sizeOf,
  transposeLastTwo,
  wasmKernelConfig,
} from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

/** Applies `activation` with the registered WASM kernels; the caller frees the result. */
function activate(
  backend: BackendWasm,
  x: TensorInfo,
  activation: string,
  alpha: number,
  preluWeights: TensorInfo | undefined,
): TensorInfo {
  switch (activation) {
    case 'relu':
      return callKernel('Relu', backend, { x });
    case 'relu6':
      return callKernel('Relu6', backend, { x });
    case 'elu':
      return callKernel('Elu', backend, { x });
    case 'sigmoid':
      return callKernel('Sigmoid', backend, { x });
    case 'leakyrelu':
      return callKernel('LeakyRelu', backend, { x }, { alpha });
    case 'prelu':
      if (preluWeights === undefined) throw new Error('prelu activation needs its weights.');
      return callKernel('Prelu', backend, { x, alpha: preluWeights });
    default:
      throw new Error(`Activation '${activation}' is not supported by _FusedMatMul on wasm.`);
  }
}

/** `product` + `bias`, then `activation`; frees the intermediates, including `product`. */
export function addBiasAndActivate(
  backend: BackendWasm,
  product: TensorInfo,
  bias: TensorInfo | undefined,
  activation: string,
  alpha: number,
  preluWeights: TensorInfo | undefined,
): TensorInfo {
  let out = product;
  try {
    if (bias !== undefined) {
      const sum = callKernel('Add', backend, { a: out, b: bias });
      release(backend, out);
      out = sum;
    }
    if (activation === 'linear') return out;
    const activated = activate(backend, out, activation, alpha, preluWeights);
    release(backend, out);
    return activated;
  } catch (error) {
    release(backend, out);
    throw error;
  }
}

/** Wraps the stock WASM _FusedMatMul kernel config into the fast, correct one. */
export function makeFusedMatMulConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs;
    if (a === undefined || b === undefined) throw new Error('_FusedMatMul needs inputs a and b.');
    const transposeA = attrs?.['transposeA'] === true;
    const transposeB = attrs?.['transposeB'] === true;
    const activation = (attrs?.['activation'] as string | undefined) ?? 'linear';
    const alpha = (attrs?.['leakyreluAlpha'] as number | undefined) ?? 0.2;
    checkMatMulShapes(a, b, transposeA, transposeB);
    const batch = Math.max(sizeOf(a.shape.slice(0, -2)), sizeOf(b.shape.slice(0, -2)));
    const simd = simdFunctions(backend);
    const simdProduct = simd && simdMatMul(simd, backend, a, b, transposeA, transposeB);
    if (simdProduct !== undefined) {
      return addBiasAndActivate(
        backend,
        simdProduct,
        bias,
        activation,
        alpha,
        preluActivationWeights,
      );
    }
    const at = transposeA ? transposeLastTwo(backend, a) : a;
    let bt = b;
    try {
      if (transposeB) bt = transposeLastTwo(backend, b);
      if (bias === undefined || (bias.shape.length === 1 && batch === 1)) {
        return stockFunc({
          inputs: { a: at, b: bt, bias, preluActivationWeights },
          backend,
          attrs: { ...attrs, transposeA: false, transposeB: false, leakyreluAlpha: alpha },
        });
      }
      const product = callKernel('BatchMatMul', backend, { a: at, b: bt });
      return addBiasAndActivate(backend, product, bias, activation, alpha, preluActivationWeights);
    } finally {
      if (at !== a) release(backend, at);
      if (bt !== b) release(backend, bt);
    }
  };
  return wasmKernelConfig(_FusedMatMul, kernelFunc, stock);
}
