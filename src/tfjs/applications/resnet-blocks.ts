/**
 * The residual blocks of ResNet v1 (He et al., 2015: post-activation, batch norm after each
 * convolution) and v2 (He et al., 2016: pre-activation), bottleneck form (1×1, 3×3, 1×1 with
 * the output four times the bottleneck's width), as TensorFlow.js functional layers.
 */
import * as tf from '@tensorflow/tfjs';
import type { SymbolicTensor } from '@tensorflow/tfjs';

type Apply = (x: SymbolicTensor) => SymbolicTensor;

const conv = (
  filters: number,
  kernelSize: number,
  options: { strides?: number; padding?: 'valid' | 'same'; useBias?: boolean; name: string },
): Apply => {
  const layer = tf.layers.conv2d({
    filters,
    kernelSize,
    strides: options.strides ?? 1,
    padding: options.padding ?? 'valid',
    useBias: options.useBias ?? true,
    name: options.name,
  });
  return (x) => layer.apply(x) as SymbolicTensor;
};

const batchNorm =
  (name: string): Apply =>
  (x) =>
    tf.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name }).apply(x) as SymbolicTensor;

const relu =
  (name: string): Apply =>
  (x) =>
    tf.layers.activation({ activation: 'relu', name }).apply(x) as SymbolicTensor;

const add = (a: SymbolicTensor, b: SymbolicTensor, name: string): SymbolicTensor =>
  tf.layers.add({ name }).apply([a, b]) as SymbolicTensor;

/** ResNet v1 bottleneck block; a 1×1 convolution on the shortcut when `projection`. */
function blockV1(
  x: SymbolicTensor,
  filters: number,
  stride: number,
  projection: boolean,
  name: string,
): SymbolicTensor {
  const shortcut = projection
    ? batchNorm(`${name}_0_bn`)(
        conv(4 * filters, 1, { strides: stride, name: `${name}_0_conv` })(x),
      )
    : x;
  let y = conv(filters, 1, { strides: stride, name: `${name}_1_conv` })(x);
  y = relu(`${name}_1_relu`)(batchNorm(`${name}_1_bn`)(y));
  y = conv(filters, 3, { padding: 'same', name: `${name}_2_conv` })(y);
  y = relu(`${name}_2_relu`)(batchNorm(`${name}_2_bn`)(y));
  y = batchNorm(`${name}_3_bn`)(conv(4 * filters, 1, { name: `${name}_3_conv` })(y));
  return relu(`${name}_out`)(add(shortcut, y, `${name}_add`));
}

/** ResNet v2 (pre-activation) bottleneck block; the stride, if any, is in its 3×3 convolution. */
function blockV2(
  x: SymbolicTensor,
  filters: number,
  stride: number,
  projection: boolean,
  name: string,
): SymbolicTensor {
  const preact = relu(`${name}_preact_relu`)(batchNorm(`${name}_preact_bn`)(x));
  let shortcut = x;
  if (projection)
    shortcut = conv(4 * filters, 1, { strides: stride, name: `${name}_0_conv` })(preact);
  else if (stride > 1)
    shortcut = tf.layers
      .maxPooling2d({ poolSize: 1, strides: stride, name: `${name}_0_pool` })
      .apply(x) as SymbolicTensor;
  let y = conv(filters, 1, { useBias: false, name: `${name}_1_conv` })(preact);
  y = relu(`${name}_1_relu`)(batchNorm(`${name}_1_bn`)(y));
  y = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: `${name}_2_pad`,
    })
    .apply(y) as SymbolicTensor;
  y = conv(filters, 3, { strides: stride, useBias: false, name: `${name}_2_conv` })(y);
  y = relu(`${name}_2_relu`)(batchNorm(`${name}_2_bn`)(y));
  y = conv(4 * filters, 1, { name: `${name}_3_conv` })(y);
  return add(shortcut, y, `${name}_out`);
}

export type ResNetVersion = 'v1' | 'v2';

/**
 * A stage of `blocks` bottleneck blocks of width `filters`, downsampling by `stride`: v1 in its
 * first block, v2 in its last (as the reference implementations do).
 */
export function resnetStack(
  version: ResNetVersion,
  x: SymbolicTensor,
  filters: number,
  blocks: number,
  stride: number,
  name: string,
): SymbolicTensor {
  let y = x;
  for (let i = 1; i <= blocks; i++) {
    const block = `${name}_block${i}`;
    if (version === 'v1') y = blockV1(y, filters, i === 1 ? stride : 1, i === 1, block);
    else y = blockV2(y, filters, i === blocks ? stride : 1, i === 1, block);
  }
  return y;
}

/**
 * The stem: for small images (up to 64 pixels a side) one 3×3 convolution at full resolution;
 * for larger ones ResNet's 7×7 convolution with stride 2 and a 3×3 max-pool with stride 2.
 * Version 1 normalises and activates it; version 2 leaves that to the first block.
 */
export function resnetStem(
  version: ResNetVersion,
  x: SymbolicTensor,
  filters: number,
  small: boolean,
): SymbolicTensor {
  let y = small
    ? conv(filters, 3, { padding: 'same', name: 'conv1_conv' })(x)
    : conv(filters, 7, { strides: 2, padding: 'same', name: 'conv1_conv' })(x);
  if (version === 'v1') y = relu('conv1_relu')(batchNorm('conv1_bn')(y));
  if (!small)
    y = tf.layers
      .maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool1_pool' })
      .apply(y) as SymbolicTensor;
  return y;
}

/** v2's final normalisation and activation (v1's blocks end activated). */
export function resnetPost(version: ResNetVersion, x: SymbolicTensor): SymbolicTensor {
  return version === 'v2' ? relu('post_relu')(batchNorm('post_bn')(x)) : x;
}
