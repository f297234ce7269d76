/**
 * Identity and same-dtype Cast for the WASM backend without a copy.
 *
 * The stock kernels copy their input. The engine clones every tensor it saves for the backward
 * pass (`saveTensorsForBackwardMode` → Identity), so a training step copied each activation
 * once more: ~40 copies per step, 36 ms of a small CNN's step. As on the CPU backend, the
 * output here shares the input's buffer and bumps its reference count; no WASM kernel writes
 * into its inputs, and `Variable.assign` swaps buffers rather than overwriting them, so sharing
 * is safe.
 */
import { Cast, Identity } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

/** Wraps the stock WASM Identity: shares the buffer of any non-string tensor. */
export function makeIdentityConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  return wasmKernelConfig(
    Identity,
    (args) => {
      const x = args.inputs['x'];
      if (x === undefined) throw new Error('Identity needs input x.');
      if (x.dtype === 'string') return stockFunc(args);
      args.backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
    stock,
  );
}

/** Wraps the stock WASM Cast: a cast to the tensor's own dtype shares its buffer. */
export function makeCastConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  return wasmKernelConfig(
    Cast,
    (args) => {
      const x = args.inputs['x'];
      if (x === undefined) throw new Error('Cast needs input x.');
      if (x.dtype === 'string' || args.attrs?.['dtype'] !== x.dtype) return stockFunc(args);
      args.backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
    stock,
  );
}
