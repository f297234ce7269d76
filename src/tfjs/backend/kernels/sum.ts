/**
 * Sum for the WASM backend with a fast path for reducing leading axes of a float32 tensor
 * (every bias gradient: sum over batch and space). The stock kernel transposes the reduced
 * axes to the end first; here columns are summed in one pass, in float64 like the CPU backend.
 * Any other reduction goes to the stock kernel.
 */
import { Sum, util } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { heapOf, sizeOf, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

/** Wraps the stock WASM Sum kernel config. */
export function makeSumConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'];
    if (x === undefined) throw new Error('Sum needs input x.');
    const rank = x.shape.length;
    const axes = util
      .parseAxisParam((attrs?.['axis'] as number | number[] | undefined) ?? [], x.shape)
      .sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return stockFunc(args);
    const rows = sizeOf(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const cols = sizeOf(kept);
    const keepDims = attrs?.['keepDims'] === true;
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    const { heap, at: outAt } = heapOf(backend, out);
    const xAt = heapOf(backend, x).at;
    const acc = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const base = xAt + r * cols;
      for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + (heap[base + c] as number);
    }
    heap.set(acc, outAt);
    return out;
  };
  return wasmKernelConfig(Sum, kernelFunc, stock);
}
