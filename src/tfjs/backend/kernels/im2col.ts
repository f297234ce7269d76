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
 * Adds the column matrix at `heap[colsAt]` back onto the image `dx` (NHWC at `heap[dxAt]`,
 * which the caller has zeroed): the adjoint of building the column matrix.
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
              for (let c = 0; c < C; c++)
                heap[t + c] = (heap[t + c] as number) + (heap[s + c] as number);
            }
            s += C;
          }
        }
      }
    }
  }
}

/**
 * Writes the transposed column matrix [fh * fw * inC, batch * outH * outW] of `x` into
 * `heap[outAt]`, so that a filter gradient is one untransposed product colsᵀ · dy.
 * One image at a time, so its reads stay in cache while the rows are written contiguously.
 */
export function im2colTransposed(
  heap: Float32Array,
  xAt: number,
  outAt: number,
  g: ConvGeometry,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: fh, filterWidth: fw } = g;
  const { outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = g;
  const rows = g.batch * OH * OW;
  const step = sw * C;
  for (let n = 0; n < g.batch; n++) {
    const image = xAt + n * H * W * C;
    const rowBase = outAt + n * OH * OW;
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        // Output columns ow whose input column iw = ow * sw + j - padLeft is inside the image.
        const owMin = Math.max(0, Math.ceil((g.padLeft - j) / sw));
        const owMax = Math.min(OW, Math.floor((W - 1 + g.padLeft - j) / sw) + 1);
        for (let c = 0; c < C; c++) {
          const line = rowBase + ((i * fw + j) * C + c) * rows;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sh + i - g.padTop;
            const d = line + oh * OW;
            if (ih < 0 || ih >= H || owMin >= owMax) {
              heap.fill(0, d, d + OW);
              continue;
            }
            for (let ow = 0; ow < owMin; ow++) heap[d + ow] = 0;
            let s = image + (ih * W + owMin * sw + j - g.padLeft) * C + c;
            for (let ow = owMin; ow < owMax; ow++, s += step) heap[d + ow] = heap[s] as number;
            for (let ow = owMax; ow < OW; ow++) heap[d + ow] = 0;
          }
        }
      }
    }
  }
}

/** A convolution's geometry with its dilation (1 where there is none). */
export interface DilatedConvGeometry extends ConvGeometry {
  readonly dilationHeight: number;
  readonly dilationWidth: number;
}

/**
 * Writes the column matrix [batch * outH * outW, fh * fw * inC] of `x` (NHWC at `heap[xAt]`)
 * into `heap[outAt]`, zeros where the receptive field lies in the padding, so that the
 * convolution is one product cols · filter.
 */
export function im2col(
  heap: Float32Array,
  xAt: number,
  outAt: number,
  g: DilatedConvGeometry,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: fh, filterWidth: fw } = g;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  const rowLen = fw * C;
  let d = outAt;
  for (let n = 0; n < g.batch; n++) {
    const image = xAt + n * H * W * C;
    for (let oh = 0; oh < g.outHeight; oh++) {
      const ih0 = oh * sh - g.padTop;
      for (let ow = 0; ow < g.outWidth; ow++) {
        const iw0 = ow * sw - g.padLeft;
        const fullRow = dw === 1 && iw0 >= 0 && iw0 + fw <= W;
        for (let i = 0; i < fh; i++) {
          const ih = ih0 + i * dh;
          if (ih < 0 || ih >= H) {
            heap.fill(0, d, d + rowLen);
            d += rowLen;
            continue;
          }
          const line = image + ih * W * C;
          if (fullRow) {
            const s = line + iw0 * C;
            for (let k = 0; k < rowLen; k++) heap[d + k] = heap[s + k] as number;
            d += rowLen;
            continue;
          }
          for (let j = 0; j < fw; j++, d += C) {
            const iw = iw0 + j * dw;
            if (iw < 0 || iw >= W) {
              heap.fill(0, d, d + C);
              continue;
            }
            const s = line + iw * C;
            for (let c = 0; c < C; c++) heap[d + c] = heap[s + c] as number;
          }
        }
      }
    }
  }
}
