/**
 * Convolution geometry from tfjs's conv info: the loops' view of any `computeConv2DInfo` result,
 * and the plan of a Conv2D gradient kernel read from its attributes.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import type { ConvGeometry, DilatedConvGeometry } from './im2col.js';

/**
 * The geometry the im2col and depthwise loops read, from tfjs's conv info (plain or depthwise,
 * any dilation): sizes, strides, dilations and the top and left padding.
 */
export function convGeometryOf(info: backend_util.Conv2DInfo): DilatedConvGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

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
    // Dilation 1 here, so the dilation fields it also carries change nothing.
    ...convGeometryOf(info),
    outChannels: info.outChannels,
    inShape: [info.batchSize, info.inHeight, info.inWidth, info.inChannels],
    filterShape: [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels],
    pointwise,
  };
}
