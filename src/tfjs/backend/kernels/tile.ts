/**
 * Tile for the WASM backend as block copies. The stock kernel spends ~300 ns an output element
 * here: batch norm's gradient tiles its per-channel statistics to the whole activation, so one
 * training step of a 32×14×14×64 BatchNormalization layer took 108 ms in Tile alone, far more
 * than its convolutions. Here the input's innermost axis is copied once per source row, then
 * each axis, innermost first, is repeated by doubling copies (`copyWithin`) of what is already
 * written.
 *
 * Taken: 4-byte dtypes (float32, int32). Anything else goes to the stock kernel.
 */
import { Tile } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { sizeOf, wasmKernelConfig } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

/** Copies `[at, at + size)` of `heap` so that it appears `times` times in a row from `at`. */
function repeatBlock(heap: Int32Array, at: number, size: number, times: number): void {
  let written = size;
  const total = size * times;
  while (written < total) {
    const chunk = Math.min(written, total - written);
    heap.copyWithin(at + written, at, at + chunk);
    written += chunk;
  }
}

/**
 * Tiles the row-major array of `shape` at `from` into `to` (`reps` times along each axis), both
 * offsets in 4-byte elements of `heap`.
 */
export function tileInto(
  heap: Int32Array,
  from: number,
  to: number,
  shape: readonly number[],
  reps: readonly number[],
): void {
  const rank = shape.length;
  const inStride = new Array<number>(rank).fill(1);
  const outStride = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = (inStride[d + 1] as number) * (shape[d + 1] as number);
    outStride[d] =
      (outStride[d + 1] as number) * (shape[d + 1] as number) * (reps[d + 1] as number);
  }
  const fill = (d: number, src: number, dst: number): void => {
    const n = shape[d] as number;
    if (d === rank - 1) heap.copyWithin(dst, src, src + n);
    else
      for (let i = 0; i < n; i++)
        fill(d + 1, src + i * (inStride[d] as number), dst + i * (outStride[d] as number));
    repeatBlock(heap, dst, n * (outStride[d] as number), reps[d] as number);
  };
  fill(0, from, to);
}

/** Wraps the stock WASM Tile kernel config. */
export function makeTileConfig(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as WasmKernelFunc;
  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'];
    const reps = attrs?.['reps'] as readonly number[] | undefined;
    if (
      x === undefined ||
      reps === undefined ||
      (x.dtype !== 'float32' && x.dtype !== 'int32') ||
      x.shape.length === 0 ||
      reps.length !== x.shape.length
    )
      return stockFunc(args);
    const outShape = x.shape.map((d, i) => d * (reps[i] as number));
    const out = backend.makeOutput(outShape, x.dtype);
    if (sizeOf(outShape) === 0) return out;
    // After makeOutput, which may have grown (and so replaced) the heap.
    const source = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const target = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    tileInto(
      new Int32Array(source.buffer),
      source.byteOffset / 4,
      target.byteOffset / 4,
      x.shape,
      reps,
    );
    return out;
  };
  return wasmKernelConfig(Tile, kernelFunc, stock);
}
