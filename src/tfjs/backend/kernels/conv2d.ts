/**
 * Conv2D and FusedConv2D forward for the WASM backend, for the configurations the stock kernels
 * get wrong. The stock kernels (XNNPACK) are right for 'valid' padding and for 'same' with
 * stride 1; with 'same' and a stride above 1 they give wrong values for many shapes (all zeros
 * for strides [2, 3]), and with numeric or explicit padding wrong values, or a write past the
 * output. Those configurations run here as im2col, one product with the fast BatchMatMul, then
 * (FusedConv2D) the bias and activation kernels; the output shape and padding are tfjs's own
 * (`computeConv2DInfo`), as on the CPU backend. Everything else goes to the stock kernel.
 */
import { backend_util, Conv2D, FusedConv2D } from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { convGeometryOf } from './conv2d-geometry.js';
import { makeCorrectedConvForwardConfig } from './corrected-conv-forward.js';
import type { ConvForwardCorrection } from './corrected-conv-forward.js';
import { im2col } from './im2col.js';
import { callKernel, heapOf, release, sizeOf, viewAs } from './wasm-kernel-utils.js';

/** The geometry of an NHWC convolution, or undefined when the stock kernel computes it right. */
function planIfStockWrong(
  x: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap | undefined,
): backend_util.Conv2DInfo | undefined {
  const dataFormat = (attrs?.['dataFormat'] as string | undefined) ?? 'NHWC';
  const pad = attrs?.['pad'] as 'valid' | 'same' | number | backend_util.ExplicitPadding;
  // NCHW: the stock kernel reports it is not supported.
  if (dataFormat !== 'NHWC' || pad === 'valid' || x.shape.length !== 4) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs?.['strides'] as number | [number, number],
    (attrs?.['dilations'] as number | [number, number] | undefined) ?? 1,
    pad,
    attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  if (pad === 'same' && info.strideHeight === 1 && info.strideWidth === 1) return undefined;
  return info;
}

/** x ⊛ filter by im2col and one matrix product, shaped [batch, outH, outW, outC]. */
const convolve: ConvForwardCorrection['convolve'] = (backend, x, filter, info) => {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = backend.makeOutput([rows, k], 'float32');
  try {
    // Both views after the allocation, which may have grown (and so replaced) the heap.
    const { heap, at: colsAt } = heapOf(backend, cols);
    const xAt = heapOf(backend, x).at;
    if (sizeOf(x.shape) > 0) {
      im2col(heap, xAt, colsAt, convGeometryOf(info));
    } else {
      heap.fill(0, colsAt, colsAt + rows * k);
    }
    const product = callKernel('BatchMatMul', backend, {
      a: cols,
      b: viewAs(filter, [k, info.outChannels]),
    });
    return viewAs(product, info.outShape);
  } finally {
    release(backend, cols);
  }
};

/** Conv2D's correction: im2col and one product where the stock kernel is wrong. */
const CONV2D_CORRECTION: ConvForwardCorrection = {
  planIfStockWrong: (_kernelName, x, filter, attrs) => planIfStockWrong(x, filter, attrs),
  convolve,
};

/** Wraps the stock WASM Conv2D kernel config into the correct one. */
export function makeConv2DConfig(stock: KernelConfig): KernelConfig {
  return makeCorrectedConvForwardConfig(Conv2D, stock, CONV2D_CORRECTION, false);
}

/** Wraps the stock WASM FusedConv2D kernel config into the correct one. */
export function makeFusedConv2DConfig(stock: KernelConfig): KernelConfig {
  return makeCorrectedConvForwardConfig(FusedConv2D, stock, CONV2D_CORRECTION, true);
}
