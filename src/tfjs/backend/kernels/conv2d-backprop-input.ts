/**
 * Conv2DBackpropInput for the WASM backend. The stock kernel is a naive loop; here
 * dx = col2im(dy · Wᵀ), with the product on the fast BatchMatMul.
 */
import { Conv2DBackpropInput } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { planConv2D } from './conv2d-geometry.js';
import { col2im } from './im2col.js';
import { callKernel, heapOf, release, viewAs, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

const conv2DBackpropInput: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  if (dy === undefined || filter === undefined) {
    throw new Error('Conv2DBackpropInput needs inputs dy and filter.');
  }
  const inputShape = attrs?.['inputShape'] as number[] | undefined;
  if (inputShape === undefined) throw new Error('Conv2DBackpropInput needs attr inputShape.');
  const plan = planConv2D(inputShape, filter.shape, attrs);
  const rows = plan.batch * plan.outHeight * plan.outWidth;
  const k = plan.filterHeight * plan.filterWidth * plan.inChannels;
  const dCols = callKernel(
    'BatchMatMul',
    backend,
    { a: viewAs(dy, [rows, plan.outChannels]), b: viewAs(filter, [k, plan.outChannels]) },
    { transposeB: true },
  );
  if (plan.pointwise) return { dataId: dCols.dataId, shape: [...plan.inShape], dtype: 'float32' };
  const dx = backend.makeOutput([...plan.inShape], 'float32');
  const { heap, at: dxAt } = heapOf(backend, dx);
  heap.fill(0, dxAt, dxAt + plan.batch * plan.inHeight * plan.inWidth * plan.inChannels);
  col2im(heap, heapOf(backend, dCols).at, dxAt, plan);
  release(backend, dCols);
  return dx;
};

/** Kernel config of the fast WASM Conv2DBackpropInput. */
export const conv2DBackpropInputConfig: KernelConfig = wasmKernelConfig(
  Conv2DBackpropInput,
  conv2DBackpropInput,
);
