/**
 * im2col / col2im for NHWC convolutions, working in place on the WASM heap.
 *
 * Row r = (n, oh, ow) of the column matrix holds the receptive field of output pixel (oh, ow)
 * of image n, laid out (i, j, c) to match a filter reshaped to [fh * fw * inC, outC].
 */

/** The geometry of one 2-D convolution (channels last, dilation 1). */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/**
 * Writes the column matrix [batch * outH * outW, fh * fw * inC] of `x` (NHWC at `heap[xAt]`)
 * into `heap[colsAt]`. Padding reads as zero.
 */
export function im2col(heap: Float32Array, xAt: number, colsAt: number, g: ConvGeometry): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: fh, filterWidth: fw } = g;
  const rowLen = fw * C;
  let d = colsAt;
  for (let n = 0; n < g.batch; n++) {
    const image = xAt + n * H * W * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * g.strideHeight - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const iw0 = ow * g.strideWidth - g.padLeft;
        const fullRow = iw0 >= 0 && iw0 + fw <= W;
        for (let i = 0; i < fh; i++) {
          const ih = ih0 + i;
          if (ih < 0 || ih >= H) {
            heap.fill(0, d, d + rowLen);
            d += rowLen;
            continue;
          }
          const src = image + (ih * W + iw0) * C;
          if (fullRow) {
            if (rowLen >= 32) {
              heap.copyWithin(d, src, src + rowLen);
            } else {
              for (let k = 0; k < rowLen; k++) heap[d + k] = heap[src + k] as number;
            }
            d += rowLen;
            continue;
          }
          for (let j = 0; j < fw; j++) {
            const iw = iw0 + j;
            if (iw < 0 || iw >= W) {
              for (let c = 0; c < C; c++) heap[d + c] = 0;
            } else {
              const s = src + j * C;
              for (let c = 0; c < C; c++) heap[d + c] = heap[s + c] as number;
            }
            d += C;
          }
        }
      }
    }
  }
}

/**
 * Adds the column matrix at `heap[colsAt]` back onto the image `dx` (NHWC at `heap[dxAt]`,
 * which the caller has zeroed): the adjoint of {@link im2col}.
 */
export function col2im(heap: Float32Array, colsAt: number, dxAt: number, g: ConvGeometry): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: fh, filterWidth: fw } = g;
  const rowLen = fw * C;
  let s = colsAt;
  for (let n = 0; n < g.batch; n++) {
    const image = dxAt + n * H * W * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * g.strideHeight - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const iw0 = ow * g.strideWidth - g.padLeft;
        const fullRow = iw0 >= 0 && iw0 + fw <= W;
        for (let i = 0; i < fh; i++) {
          const ih = ih0 + i;
          if (ih < 0 || ih >= H) {
            s += rowLen;
            continue;
          }
          const dst = image + (ih * W + iw0) * C;
          if (fullRow) {
            for (let k = 0; k < rowLen; k++) {
              heap[dst + k] = (heap[dst + k] as number) + (heap[s + k] as number);
            }
            s += rowLen;
            continue;
          }
          for (let j = 0; j < fw; j++) {
            const iw = iw0 + j;
            if (iw >= 0 && iw < W) {
              const t = dst + j * C;
              for (let c = 0; c < C; c++) heap[t + c] = (heap[t + c] as number) + (heap[s + c] as number);
            }
            s += C;
          }
        }
      }
    }
  }
}
