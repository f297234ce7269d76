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
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addBiasAndActivate } from './fused-mat-mul.js';
import { im2col } from './im2col.js';
import {
  callKernel,
  heapOf,
  release,
  sizeOf,
  viewAs,
  wasmKernelConfig,
} from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

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
function convolve(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = backend.makeOutput([rows, k], 'float32');
  try {
    // Both views after the allocation, which may have grown (and so replaced) the heap.
    const { heap, at: colsAt } = heapOf(backend, cols);
    const xAt = heapOf(backend, x).at;
    if (sizeOf(x.shape) > 0) {
      im2col(heap, xAt, colsAt, {
        batch: info.batchSize,
        inHeight: info.inHeight,
        inWidth: info.inWidth,
        inChannels: info.inChannels,
        outHeight: info.outHeight,
        outWidth: info.outWidth,
        filterHeight: info.filterHeight,
        filterWidth: info.filterWidth,
        strideHeight: info.strideHeight,
        strideWidth: info.strideWidth,
        dilationHeight: info.dilationHeight,
        dilationWidth: info.dilationWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
      });
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
}

function checkFloat32(kernel: string, ...inputs: TensorInfo[]): void {
  for (const t of inputs) {
    if (t.dtype !== 'float32') {
      throw new Error(`${kernel} on wasm takes float32 inputs; got ${t.dtype}.`);
    }
  }
}

/** Wraps the stock WASM Conv2D kernel config into the correct one. */
export function makeConv2DConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = (args) => {
    const { x, filter } = args.inputs;
    if (x === undefined || filter === undefined)
      throw new Error('Conv2D needs inputs x and filter.');
    const info = planIfStockWrong(x, filter, args.attrs);
    if (info === undefined) return stockFunc(args);
    checkFloat32(Conv2D, x, filter);
    return convolve(args.backend, x, filter, info);
  };
  return wasmKernelConfig(Conv2D, kernelFunc, stock);
}

/** Wraps the stock WASM FusedConv2D kernel config into the correct one. */
export function makeFusedConv2DConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    if (x === undefined || filter === undefined) {
      throw new Error('FusedConv2D needs inputs x and filter.');
    }
    const info = planIfStockWrong(x, filter, args.attrs);
    if (info === undefined) return stockFunc(args);
    checkFloat32(FusedConv2D, x, filter);
    const activation = (args.attrs?.['activation'] as string | undefined) ?? 'linear';
    const alpha = (args.attrs?.['leakyreluAlpha'] as number | undefined) ?? 0.2;
    const product = convolve(args.backend, x, filter, info);
    return addBiasAndActivate(
      args.backend,
      product,
      bias,
      activation,
      alpha,
      preluActivationWeights,
    );
  };
  return wasmKernelConfig(FusedConv2D, kernelFunc, stock);
}
