/** Reads the convolution geometry of a Conv2D gradient kernel's attributes. */
import { backend_util } from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import type { ConvGeometry } from './im2col.js';

/** The geometry plus whether the convolution is a plain 1x1 matrix product. */
export interface Conv2DPlan extends ConvGeometry {
  readonly outChannels: number;
  readonly inShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  /** 1x1 filter, stride 1, no padding: the column matrix is the input itself. */
  readonly pointwise: boolean;
}

/** Computes the plan of a channels-last, dilation-1 convolution from kernel attributes. */
export function planConv2D(
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: NamedAttrMap | undefined,
): Conv2DPlan {
  const dataFormat = (attrs?.['dataFormat'] as 'NHWC' | 'NCHW' | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new Error(`wasm Conv2D gradients support dataFormat 'NHWC' only, got '${dataFormat}'.`);
  }
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs?.['strides'] as number | [number, number],
    1,
    attrs?.['pad'] as 'valid' | 'same' | number,
    attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  const pad = info.padInfo;
  const pointwise =
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    pad.top === 0 &&
    pad.left === 0 &&
    pad.bottom === 0 &&
    pad.right === 0;
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: pad.top,
    padLeft: pad.left,
    inShape: [info.batchSize, info.inHeight, info.inWidth, info.inChannels],
    filterShape: [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels],
    pointwise,
  };
}
