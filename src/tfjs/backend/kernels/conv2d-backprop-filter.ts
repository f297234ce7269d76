/**
 * Conv2DBackpropFilter for the WASM backend, which has none: without it a Conv2D layer cannot
 * be trained there. dW = im2col(x)ᵀ · dy, computed with the fast BatchMatMul.
 */
import { Conv2DBackpropFilter } from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { planConv2D } from './conv2d-geometry.js';
import { im2col } from './im2col.js';
import { callKernel, heapOf, release, transposeLastTwo, viewAs, WASM } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

const conv2DBackpropFilter: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) {
    throw new Error('Conv2DBackpropFilter needs inputs x and dy.');
  }
  const filterShape = attrs?.['filterShape'] as number[] | undefined;
  if (filterShape === undefined) throw new Error('Conv2DBackpropFilter needs attr filterShape.');
  const plan = planConv2D(x.shape, filterShape, attrs);
  const rows = plan.batch * plan.outHeight * plan.outWidth;
  const k = plan.filterHeight * plan.filterWidth * plan.inChannels;
  let cols: TensorInfo;
  if (plan.pointwise) {
    cols = viewAs(x, [rows, k]);
  } else {
    cols = backend.makeOutput([rows, k], 'float32');
    const { heap, at: colsAt } = heapOf(backend, cols);
    im2col(heap, heapOf(backend, x).at, colsAt, plan);
  }
  const dy2d = viewAs(dy, [rows, plan.outChannels]);
  let out: TensorInfo;
  if (k <= plan.outChannels) {
    out = callKernel('BatchMatMul', backend, { a: cols, b: dy2d }, { transposeA: true });
  } else {
    // Transpose the smaller of the two operands: dWᵀ = dyᵀ · cols, then transpose back.
    const outT = callKernel('BatchMatMul', backend, { a: dy2d, b: cols }, { transposeA: true });
    out = transposeLastTwo(backend, outT);
    release(backend, outT);
  }
  if (!plan.pointwise) release(backend, cols);
  return { dataId: out.dataId, shape: [...plan.filterShape], dtype: 'float32' };
};

/** Kernel config of the WASM Conv2DBackpropFilter. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
