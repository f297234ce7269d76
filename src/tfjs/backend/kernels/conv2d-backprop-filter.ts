/**
 * Conv2DBackpropFilter for the WASM backend, which has none: without it a Conv2D layer cannot
 * be trained there. dW = im2col(x)ᵀ · dy: the column matrix is written already transposed, so
 * the product is one plain (fast) BatchMatMul.
 */
import { Conv2DBackpropFilter } from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { planConv2D } from './conv2d-geometry.js';
import { im2colTransposed } from './im2col.js';
import { callKernel, heapOf, release, viewAs, wasmKernelConfig } from './wasm-kernel-utils.js';
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
  const dy2d = viewAs(dy, [rows, plan.outChannels]);
  let out: TensorInfo;
  if (plan.pointwise) {
    out = callKernel(
      'BatchMatMul',
      backend,
      { a: viewAs(x, [rows, k]), b: dy2d },
      { transposeA: true },
    );
  } else {
    const colsT = backend.makeOutput([k, rows], 'float32');
    const { heap, at } = heapOf(backend, colsT);
    im2colTransposed(heap, heapOf(backend, x).at, at, plan);
    out = callKernel('BatchMatMul', backend, { a: colsT, b: dy2d });
    release(backend, colsT);
  }
  return { dataId: out.dataId, shape: [...plan.filterShape], dtype: 'float32' };
};

/** Kernel config of the WASM Conv2DBackpropFilter. */
export const conv2DBackpropFilterConfig: KernelConfig = wasmKernelConfig(
  Conv2DBackpropFilter,
  conv2DBackpropFilter,
);
