/**
 * Depthwise convolution loops for NHWC tensors on the WASM heap: the forward pass and both
 * gradients, as direct loops over the heap (a depthwise filter has too few taps per output for
 * im2col and a matrix product to pay off). Each sum is accumulated in float64, as on the CPU
 * backend, then stored once.
 *
 * Filter layout [fh, fw, inC, chMul]; output channel c * chMul + m is input channel c through
 * filter slice m, so the filter at tap (i, j) lines up with a row of outC = inC * chMul outputs.
 */
import type { backend_util } from '@tensorflow/tfjs';
import { convGeometryOf } from './conv2d-geometry.js';
import type { DilatedConvGeometry } from './im2col.js';

/** The geometry of one depthwise convolution. */
export interface DepthwiseGeometry extends DilatedConvGeometry {
  readonly channelMultiplier: number;
}

/** The geometry of a tfjs depthwise conv info (`computeConv2DInfo(..., depthwise = true)`). */
export function depthwiseGeometry(info: backend_util.Conv2DInfo): DepthwiseGeometry {
  return { ...convGeometryOf(info), channelMultiplier: info.outChannels / info.inChannels };
}

/** Adds x[xs + c] * f[fs + c * M + m] to acc[a + c * M + m] for one tap. */
function accumulateTap(
  heap: Float32Array,
  acc: Float64Array,
  a: number,
  xs: number,
  ws: number,
  inC: number,
  M: number,
): void {
  if (M === 1) {
    for (let c = 0; c < inC; c++) {
      acc[a + c] = (acc[a + c] as number) + (heap[xs + c] as number) * (heap[ws + c] as number);
    }
    return;
  }
  for (let c = 0; c < inC; c++) {
    const xv = heap[xs + c] as number;
    const base = c * M;
    for (let m = 0; m < M; m++) {
      const k = base + m;
      acc[a + k] = (acc[a + k] as number) + xv * (heap[ws + k] as number);
    }
  }
}

/**
 * Runs `accumulateTap` for every tap (i, j) of the receptive field whose top-left input pixel
 * is (ih0, iw0) in the image at `image`, skipping taps that fall in the padding. Tap t = i * fw + j
 * accumulates into `acc` at t * accTapStep, with weights at weightsAt + t * weightsTapStep: the
 * forward pass steps through the filter (one accumulator row per pixel), the filter gradient
 * through its accumulators (one dy row as weights).
 */
function accumulateReceptiveField(
  heap: Float32Array,
  acc: Float64Array,
  g: DepthwiseGeometry,
  image: number,
  ih0: number,
  iw0: number,
  accTapStep: number,
  weightsAt: number,
  weightsTapStep: number,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, channelMultiplier: M } = g;
  const { filterHeight: fh, filterWidth: fw, dilationHeight: dh, dilationWidth: dw } = g;
  for (let i = 0; i < fh; i++) {
    const ih = ih0 + i * dh;
    if (ih < 0 || ih >= H) continue;
    const line = image + ih * W * C;
    for (let j = 0; j < fw; j++) {
      const iw = iw0 + j * dw;
      if (iw < 0 || iw >= W) continue;
      const tap = i * fw + j;
      accumulateTap(
        heap,
        acc,
        tap * accTapStep,
        line + iw * C,
        weightsAt + tap * weightsTapStep,
        C,
        M,
      );
    }
  }
}

/** out = x ⊛ filter, written to `heap[outAt]` as [batch, outH, outW, inC * chMul]. */
export function depthwiseForward(
  heap: Float32Array,
  xAt: number,
  filterAt: number,
  outAt: number,
  g: DepthwiseGeometry,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, channelMultiplier: M } = g;
  const outC = C * M;
  const acc = new Float64Array(outC);
  let o = outAt;
  for (let n = 0; n < g.batch; n++) {
    const image = xAt + n * H * W * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * g.strideHeight - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++, o += outC) {
        acc.fill(0);
        const iw0 = ow * g.strideWidth - g.padLeft;
        accumulateReceptiveField(heap, acc, g, image, ih0, iw0, 0, filterAt, outC);
        for (let k = 0; k < outC; k++) heap[o + k] = acc[k] as number;
      }
    }
  }
}

/** dFilter = Σ x · dy over every output pixel, written to `heap[outAt]` as [fh, fw, inC, chMul]. */
export function depthwiseBackpropFilter(
  heap: Float32Array,
  xAt: number,
  dyAt: number,
  outAt: number,
  g: DepthwiseGeometry,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, channelMultiplier: M } = g;
  const outC = C * M;
  const acc = new Float64Array(g.filterHeight * g.filterWidth * outC);
  let d = dyAt;
  for (let n = 0; n < g.batch; n++) {
    const image = xAt + n * H * W * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * g.strideHeight - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++, d += outC) {
        const iw0 = ow * g.strideWidth - g.padLeft;
        accumulateReceptiveField(heap, acc, g, image, ih0, iw0, outC, d, 0);
      }
    }
  }
  for (let k = 0; k < acc.length; k++) heap[outAt + k] = acc[k] as number;
}

/**
 * dx[n, ih, iw, c] = Σ dy[n, oh, ow, c * chMul + m] · filter[i, j, c, m] over the output
 * pixels (oh, ow) and taps (i, j) that read input pixel (ih, iw); written to `heap[outAt]` as
 * [batch, inH, inW, inC]. Gathered per input pixel, so each sum is stored once.
 */
export function depthwiseBackpropInput(
  heap: Float32Array,
  dyAt: number,
  filterAt: number,
  outAt: number,
  g: DepthwiseGeometry,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, channelMultiplier: M } = g;
  const { outHeight: OH, outWidth: OW, filterHeight: fh, filterWidth: fw } = g;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  const outC = C * M;
  const acc = new Float64Array(C);
  let o = outAt;
  for (let n = 0; n < g.batch; n++) {
    const dyImage = dyAt + n * OH * OW * outC;
    for (let ih = 0; ih < H; ih++) {
      for (let iw = 0; iw < W; iw++, o += C) {
        acc.fill(0);
        for (let i = 0; i < fh; i++) {
          const th = ih + g.padTop - i * dh;
          if (th < 0 || th % sh !== 0) continue;
          const oh = th / sh;
          if (oh >= OH) continue;
          for (let j = 0; j < fw; j++) {
            const tw = iw + g.padLeft - j * dw;
            if (tw < 0 || tw % sw !== 0) continue;
            const ow = tw / sw;
            if (ow >= OW) continue;
            const d = dyImage + (oh * OW + ow) * outC;
            const ws = filterAt + (i * fw + j) * outC;
            if (M === 1) {
              for (let c = 0; c < C; c++) {
                acc[c] = (acc[c] as number) + (heap[d + c] as number) * (heap[ws + c] as number);
              }
              continue;
            }
            for (let c = 0; c < C; c++) {
              let s = 0;
              for (let m = 0; m < M; m++) {
                const k = c * M + m;
                s += (heap[d + k] as number) * (heap[ws + k] as number);
              }
              acc[c] = (acc[c] as number) + s;
            }
          }
        }
        for (let c = 0; c < C; c++) heap[o + c] = acc[c] as number;
      }
    }
  }
}
