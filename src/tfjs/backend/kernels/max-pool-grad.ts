/**
 * MaxPoolGrad for the WASM backend: the stock kernel takes ~120 ms for one 128×30×30×32
 * batch. Routes each output gradient to the first maximum of its window (row-major), exactly
 * as the CPU backend does, walking channels innermost for contiguous memory access.
 */
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { heapOf, wasmKernelConfig } from './wasm-kernel-utils.js';
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
  const plain2x2 =
    fh === 2 &&
    fw === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    2 * outHeight <= H &&
    2 * outWidth <= W;
  if (plain2x2) {
    pool2x2Grad(heap, xAt, dyAt, dxAt, batchSize, H, W, C, outHeight, outWidth);
    return dx;
  }
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

/**
 * The common case, 2x2 windows with stride 2 and no padding: the four candidates of each
 * output are compared in registers, in the CPU backend's order (row-major, first maximum wins;
 * NaN never wins, as there).
 */
function pool2x2Grad(
  heap: Float32Array,
  xAt: number,
  dyAt: number,
  dxAt: number,
  batch: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
): void {
  const rowStride = W * C;
  let g = dyAt;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const top = b * H * rowStride + 2 * oh * rowStride;
      for (let ow = 0; ow < OW; ow++) {
        const p00 = top + 2 * ow * C;
        const p01 = p00 + C;
        const p10 = p00 + rowStride;
        const p11 = p10 + C;
        for (let d = 0; d < C; d++, g++) {
          let where = -1;
          let best = Number.NEGATIVE_INFINITY;
          const v00 = heap[xAt + p00 + d] as number;
          if (v00 > best) {
            best = v00;
            where = p00 + d;
          }
          const v01 = heap[xAt + p01 + d] as number;
          if (v01 > best) {
            best = v01;
            where = p01 + d;
          }
          const v10 = heap[xAt + p10 + d] as number;
          if (v10 > best) {
            best = v10;
            where = p10 + d;
          }
          const v11 = heap[xAt + p11 + d] as number;
          if (v11 > best) where = p11 + d;
          if (where >= 0) heap[dxAt + where] = (heap[dxAt + where] as number) + (heap[g] as number);
        }
      }
    }
  }
}

/** Kernel config of the fast WASM MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = wasmKernelConfig(MaxPoolGrad, maxPoolGrad);
