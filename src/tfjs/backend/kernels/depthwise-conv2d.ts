/**
 * DepthwiseConv2dNative and FusedDepthwiseConv2D forward for the WASM backend, for the
 * configurations the stock kernels (XNNPACK) get wrong, and the two depthwise gradient kernels,
 * which stock WASM lacks (so a depthwise or separable layer could not train there).
 *
 * The stock forward kernels are right for 'valid' and explicit padding, and for 'same' when the
 * stride is no wider than the filter. With 'same' and a stride wider than the filter in either
 * dimension (strides [2, 3] or 3 with a 2x2 filter, 2 with a 1x3 one) they give wrong values
 * (often all zeros). With numeric padding, tfjs's output shape uses the filter height, stride
 * and dilation for both dimensions, while the stock kernel computes its own: whenever those
 * differ (non-square filter, stride or dilation) it gives wrong values or writes out of bounds,
 * which leaves the WASM module unusable. Those two run here, as a direct loop
 * (depthwise-loops.ts), then (FusedDepthwiseConv2D) the bias and activation kernels, into
 * tfjs's own output shape (`computeConv2DInfo`), as on the CPU backend; everything else goes to
 * the stock kernel, which is faster.
 */
import {
  backend_util,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  FusedDepthwiseConv2D,
} from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import {
  depthwiseBackpropFilter,
  depthwiseBackpropInput,
  depthwiseForward,
  depthwiseGeometry,
} from './depthwise-loops.js';
import { makeCorrectedConvForwardConfig } from './corrected-conv-forward.js';
import type { ConvForwardCorrection } from './corrected-conv-forward.js';
import { checkFloat32, heapOf, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** tfjs's geometry of a channels-last depthwise convolution from kernel attributes. */
function depthwiseInfo(
  kernel: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: NamedAttrMap | undefined,
): backend_util.Conv2DInfo {
  const dataFormat = (attrs?.['dataFormat'] as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
  }
  if (inShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernel} on wasm takes rank-4 input and filter shapes.`);
  }
  return backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs?.['strides'] as number | [number, number],
    (attrs?.['dilations'] as number | [number, number] | undefined) ?? 1,
    attrs?.['pad'] as Pad,
    attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
}

/** The geometry of a forward depthwise convolution, or undefined when the stock kernel is right. */
function planIfStockWrong(
  kernel: string,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap | undefined,
): backend_util.Conv2DInfo | undefined {
  const dataFormat = (attrs?.['dataFormat'] as string | undefined) ?? 'NHWC';
  const pad = attrs?.['pad'] as Pad;
  // NCHW: the stock kernel reports it is not supported.
  if (dataFormat !== 'NHWC' || x.shape.length !== 4) return undefined;
  if (pad === 'valid' || typeof pad === 'object') return undefined;
  const info = depthwiseInfo(kernel, x.shape, filter.shape, attrs);
  if (typeof pad === 'number') return info;
  const strideWiderThanFilter =
    info.strideHeight > info.filterHeight || info.strideWidth > info.filterWidth;
  return strideWiderThanFilter ? info : undefined;
}

/** x ⊛ filter (depthwise), shaped [batch, outH, outW, inC * chMul]. */
const convolve: ConvForwardCorrection['convolve'] = (backend, x, filter, info) => {
  const out = backend.makeOutput([...info.outShape], 'float32');
  // All views after the allocation, which may have grown (and so replaced) the heap.
  const { heap, at } = heapOf(backend, out);
  const xAt = heapOf(backend, x).at;
  depthwiseForward(heap, xAt, heapOf(backend, filter).at, at, depthwiseGeometry(info));
  return out;
};

/** The depthwise correction: the direct loop where the stock kernel is wrong. */
const DEPTHWISE_CORRECTION: ConvForwardCorrection = { planIfStockWrong, convolve };

/** Wraps the stock WASM DepthwiseConv2dNative kernel config into the correct one. */
export function makeDepthwiseConv2dConfig(stock: KernelConfig): KernelConfig {
  return makeCorrectedConvForwardConfig(DepthwiseConv2dNative, stock, DEPTHWISE_CORRECTION, false);
}

/** Wraps the stock WASM FusedDepthwiseConv2D kernel config into the correct one. */
export function makeFusedDepthwiseConv2DConfig(stock: KernelConfig): KernelConfig {
  return makeCorrectedConvForwardConfig(FusedDepthwiseConv2D, stock, DEPTHWISE_CORRECTION, true);
}

const backpropFilter: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) {
    throw new Error('DepthwiseConv2dNativeBackpropFilter needs inputs x and dy.');
  }
  const filterShape = attrs?.['filterShape'] as number[] | undefined;
  if (filterShape === undefined) {
    throw new Error('DepthwiseConv2dNativeBackpropFilter needs attr filterShape.');
  }
  checkFloat32(DepthwiseConv2dNativeBackpropFilter, x, dy);
  const info = depthwiseInfo(DepthwiseConv2dNativeBackpropFilter, x.shape, filterShape, attrs);
  const out = backend.makeOutput([...info.filterShape], 'float32');
  const { heap, at } = heapOf(backend, out);
  depthwiseBackpropFilter(
    heap,
    heapOf(backend, x).at,
    heapOf(backend, dy).at,
    at,
    depthwiseGeometry(info),
  );
  return out;
};

const backpropInput: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  if (dy === undefined || filter === undefined) {
    throw new Error('DepthwiseConv2dNativeBackpropInput needs inputs dy and filter.');
  }
  const inputShape = attrs?.['inputShape'] as number[] | undefined;
  if (inputShape === undefined) {
    throw new Error('DepthwiseConv2dNativeBackpropInput needs attr inputShape.');
  }
  checkFloat32(DepthwiseConv2dNativeBackpropInput, dy, filter);
  const info = depthwiseInfo(DepthwiseConv2dNativeBackpropInput, inputShape, filter.shape, attrs);
  const out = backend.makeOutput([...info.inShape], 'float32');
  const { heap, at } = heapOf(backend, out);
  depthwiseBackpropInput(
    heap,
    heapOf(backend, dy).at,
    heapOf(backend, filter).at,
    at,
    depthwiseGeometry(info),
  );
  return out;
};

/** Kernel config of the WASM DepthwiseConv2dNativeBackpropFilter (missing on stock WASM). */
export const depthwiseConv2dBackpropFilterConfig: KernelConfig = wasmKernelConfig(
  DepthwiseConv2dNativeBackpropFilter,
  backpropFilter,
);

/** Kernel config of the WASM DepthwiseConv2dNativeBackpropInput (missing on stock WASM). */
export const depthwiseConv2dBackpropInputConfig: KernelConfig = wasmKernelConfig(
  DepthwiseConv2dNativeBackpropInput,
  backpropInput,
);
