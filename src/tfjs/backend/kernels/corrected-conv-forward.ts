/**
 * The kernel config shared by the corrected forward convolutions (Conv2D, FusedConv2D,
 * DepthwiseConv2dNative, FusedDepthwiseConv2D on WASM): each keeps the stock kernel where it is
 * right and convolves itself where it is wrong, then (fused kernels) adds the bias and applies
 * the activation with the registered kernels.
 */
import type { backend_util, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addBiasAndActivate } from './fused-mat-mul.js';
import { checkFloat32, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

/** How one family of forward convolutions (plain or depthwise) is corrected. */
export interface ConvForwardCorrection {
  /** tfjs's geometry of `x ⊛ filter` when the stock kernel computes it wrong, else undefined. */
  planIfStockWrong(
    kernelName: string,
    x: TensorInfo,
    filter: TensorInfo,
    attrs: NamedAttrMap | undefined,
  ): backend_util.Conv2DInfo | undefined;
  /** x ⊛ filter computed here (float32 inputs), shaped `info.outShape`; the caller owns it. */
  convolve(
    backend: BackendWasm,
    x: TensorInfo,
    filter: TensorInfo,
    info: backend_util.Conv2DInfo,
  ): TensorInfo;
}

/**
 * Wraps the `stock` config of forward convolution `kernelName` so that the configurations it
 * gets wrong run through `correction`; `fused` kernels then add their `bias` input and apply
 * their `activation` attribute (default 'linear', leaky-ReLU alpha 0.2 as in tfjs).
 */
export function makeCorrectedConvForwardConfig(
  kernelName: string,
  stock: KernelConfig,
  correction: ConvForwardCorrection,
  fused: boolean,
): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    if (x === undefined || filter === undefined) {
      throw new Error(`${kernelName} needs inputs x and filter.`);
    }
    const info = correction.planIfStockWrong(kernelName, x, filter, args.attrs);
    if (info === undefined) return stockFunc(args);
    checkFloat32(kernelName, x, filter);
    const product = correction.convolve(args.backend, x, filter, info);
    if (!fused) return product;
    const activation = (args.attrs?.['activation'] as string | undefined) ?? 'linear';
    const alpha = (args.attrs?.['leakyreluAlpha'] as number | undefined) ?? 0.2;
    return addBiasAndActivate(
      args.backend,
      product,
      bias,
      activation,
      alpha,
      preluActivationWeights,
    );
  };
  return wasmKernelConfig(kernelName, kernelFunc, stock);
}
