/**
 * Random image augmentation as a TensorFlow.js layer (tfjs has no RandomFlip, RandomRotation,
 * RandomTranslation or RandomContrast layers): built on `tf.image.transform` (one projective
 * transform per image for rotation and translation, bilinear, reflected at the edges, as
 * Keras's layers), `tf.image.flipLeftRight`, `tf.reverse` and arithmetic for contrast.
 *
 * It changes images only while the model trains (`training: true`, as `fit`/`trainOnBatch` call
 * it); predicting and evaluating see the images unchanged. Its random draws come from tfjs's
 * random ops without a seed, which the tuners seed per trial (`Math.random` while training), so
 * a seeded search augments the same way every run. It has no weights; gradients never flow
 * through it (it sits before every trainable layer).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs';

/** The transforms, each with a factor in [0, 1] (see {@link AugmentationTransform}). */
export const AUGMENT_TRANSFORMS = ['rotate', 'translate_x', 'translate_y', 'contrast'] as const;
export type AugmentTransformName = (typeof AUGMENT_TRANSFORMS)[number];

/**
 * One random transform and its strength:
 * - `rotate`: by an angle uniform in ±factor × 2π (Keras's RandomRotation convention);
 * - `translate_x` / `translate_y`: by up to ±factor × the width / height;
 * - `contrast`: each channel's deviation from its mean scaled by a factor uniform in
 *   [1 − factor, 1 + factor].
 */
export interface AugmentationTransform {
  readonly name: AugmentTransformName;
  readonly factor: number;
}

/** The layer's configuration (what `getConfig` stores in model.json). */
export interface ImageAugmentationConfig {
  readonly transforms: readonly AugmentationTransform[];
  /**
   * `all`: every transform applied in turn to every image; `one`: each image gets one of the
   * transforms, chosen at random per image (one layer of RandAugment).
   */
  readonly mode: 'all' | 'one';
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  readonly name?: string;
}

type Random = (count: number) => Tensor1D;

/** Uniform in [-1, 1), one per image. */
const symmetric: Random = (count) => tf.randomUniform([count], -1, 1);

/** Each image flipped with probability 1/2. */
function randomFlip(x: Tensor4D, axis: 'horizontal' | 'vertical'): Tensor4D {
  const flipped = axis === 'horizontal' ? tf.image.flipLeftRight(x) : tf.reverse(x, 1);
  const mask = tf.less(tf.randomUniform([x.shape[0], 1, 1, 1]), 0.5);
  return tf.where(tf.broadcastTo(mask, x.shape), flipped, x) as Tensor4D;
}

/** Rotation or translation of each image, by one transform matrix per image. */
function randomGeometric(x: Tensor4D, transform: AugmentationTransform): Tensor4D {
  const [count, height, width] = x.shape;
  const zeros = tf.zeros([count]);
  const ones = tf.ones([count]);
  let rows: Tensor[];
  if (transform.name === 'rotate') {
    // output pixel (u, v) reads input R(angle) (u - c) + c
    const angle = tf.mul(symmetric(count), transform.factor * 2 * Math.PI);
    const cos = tf.cos(angle);
    const sin = tf.sin(angle);
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    rows = [
      cos,
      tf.neg(sin),
      tf.add(tf.sub(cx, tf.mul(cos, cx)), tf.mul(sin, cy)),
      sin,
      cos,
      tf.sub(tf.sub(cy, tf.mul(sin, cx)), tf.mul(cos, cy)),
    ];
  } else {
    const extent = transform.name === 'translate_x' ? width : height;
    const shift = tf.mul(symmetric(count), transform.factor * extent);
    rows =
      transform.name === 'translate_x'
        ? [ones, zeros, tf.neg(shift), zeros, ones, zeros]
        : [ones, zeros, zeros, zeros, ones, tf.neg(shift)];
  }
  const matrices = tf.stack([...rows, zeros, zeros], 1) as tf.Tensor2D;
  return tf.image.transform(x, matrices, 'bilinear', 'reflect');
}

/** Contrast of each image scaled by a factor in [1 - f, 1 + f]. */
function randomContrast(x: Tensor4D, factor: number): Tensor4D {
  const scale = tf.reshape(tf.add(1, tf.mul(symmetric(x.shape[0]), factor)), [-1, 1, 1, 1]);
  const mean = tf.mean(x, [1, 2], true);
  return tf.add(tf.mul(tf.sub(x, mean), scale), mean) as Tensor4D;
}

/** One transform applied to every image of the batch. */
export function applyTransform(x: Tensor4D, transform: AugmentationTransform): Tensor4D {
  if (transform.factor === 0) return x;
  return transform.name === 'contrast'
    ? randomContrast(x, transform.factor)
    : randomGeometric(x, transform);
}

/** Every image gets one of `transforms`, chosen uniformly per image. */
function oneOf(x: Tensor4D, transforms: readonly AugmentationTransform[]): Tensor4D {
  const choice = tf.floor(tf.mul(tf.randomUniform([x.shape[0], 1, 1, 1]), transforms.length));
  let out = x;
  transforms.forEach((transform, i) => {
    const mask = tf.broadcastTo(tf.equal(choice, i), x.shape);
    out = tf.where(mask, applyTransform(x, transform), out) as Tensor4D;
  });
  return out;
}

/** Augments a batch of NHWC images as `config` says (always, whatever the training flag). */
export function augmentImages(x: Tensor4D, config: ImageAugmentationConfig): Tensor4D {
  return tf.tidy(() => {
    let out = x;
    if (config.flipHorizontal) out = randomFlip(out, 'horizontal');
    if (config.flipVertical) out = randomFlip(out, 'vertical');
    const active = config.transforms.filter((t) => t.factor > 0);
    if (active.length === 0) return out === x ? tf.clone(x) : out;
    if (config.mode === 'one') return oneOf(out, active);
    for (const transform of active) out = applyTransform(out, transform);
    return out;
  });
}

/** The tfjs layer: augments while training, passes images through otherwise. */
export class ImageAugmentation extends tf.layers.Layer {
  static readonly className = 'HypertunerImageAugmentation';
  readonly config: ImageAugmentationConfig;

  constructor(config: ImageAugmentationConfig) {
    super(config.name === undefined ? {} : { name: config.name });
    this.config = {
      transforms: config.transforms.map((t) => ({ name: t.name, factor: t.factor })),
      mode: config.mode,
      flipHorizontal: config.flipHorizontal,
      flipVertical: config.flipVertical,
    };
  }

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
    if (kwargs['training'] !== true) return tf.clone(x);
    return augmentImages(x, this.config);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      transforms: this.config.transforms.map((t) => ({ name: t.name, factor: t.factor })),
      mode: this.config.mode,
      flipHorizontal: this.config.flipHorizontal,
      flipVertical: this.config.flipVertical,
    };
  }
}

// models saved with the layer load with tf.loadLayersModel too
tf.serialization.registerClass(ImageAugmentation);
