/**
 * MaxPoolGrad for the WASM backend: the stock kernel takes ~120 ms for one 128×30×30×32
 * batch. Routes each output gradient to the first maximum of its window (row-major), exactly
 * as the CPU backend does, walking channels innermost for contiguous memory access.
 */
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { heapOf, WASM } from './wasm-kernel-utils.js';
import type { WasmKernelFunc } from './wasm-kernel-utils.js';

const maxPoolGrad: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs;
  if (dy === undefined || input === undefined) {
    throw new Error('MaxPoolGrad needs inputs dy and input.');
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs?.['filterSize'] as number | [number, number],
    attrs?.['strides'] as number | [number, number],
    1,
    attrs?.['pad'] as 'valid' | 'same' | number,
    attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight, outWidth } = info;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const dx = backend.makeOutput([...input.shape], 'float32');
  const { heap, at: dxAt } = heapOf(backend, dx);
  const xAt = heapOf(backend, input).at;
  const dyAt = heapOf(backend, dy).at;
  heap.fill(0, dxAt, dxAt + batchSize * H * W * C);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  let g = dyAt;
  for (let b = 0; b < batchSize; b++) {
    const image = b * H * W * C;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * info.strideHeight - info.padInfo.top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(H, r0 + fh);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * info.strideWidth - info.padInfo.left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(W, c0 + fw);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let c = cMin; c < cMax; c++) {
            const p = image + (r * W + c) * C;
            for (let d = 0; d < C; d++) {
              const v = heap[xAt + p + d] as number;
              if (v > (best[d] as number)) {
                best[d] = v;
                where[d] = p + d;
              }
            }
          }
        }
        for (let d = 0; d < C; d++) {
          const p = where[d] as number;
          if (p >= 0) heap[dxAt + p] = (heap[dxAt + p] as number) + (heap[g + d] as number);
        }
        g += C;
      }
    }
  }
  return dx;
};

/** Kernel config of the fast WASM MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: WASM,
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
