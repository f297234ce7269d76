/**
 * `HyperImageAugment`: tuned image augmentation, as Keras Tuner's. Each transform (rotation,
 * horizontal and vertical translation, contrast) has a factor the search tunes within the
 * range it is given (`factor_rotate`, ...; a number `f` means [0, f], a pair [lo, hi], `null`
 * leaves it out), and random flips are switched on or off per trial (`flip_horizontal`,
 * `flip_vertical`). With `augmentLayers` > 0 (default 3) it is a simple RandAugment: the search
 * picks `augment_layers` in [0, augmentLayers] (or between a given pair), and each layer gives
 * each image one transform chosen at random; with `augmentLayers: 0` every transform is applied
 * to every image, each factor tuned on a grid of 0.05.
 *
 * Give it to a classifier hypermodel (`new HyperResNet({..., augment})`, HyperXception,
 * HyperMLP), which puts the augmentation in front of its first layer; or `build(hp)` for the
 * augmentation alone (a model from images to images, not compiled). Augmentation happens while
 * training only.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { HyperParameters } from '../../space/index.js';
import { HyperModel } from '../hyper-model.js';
import { checkOption } from './option-checks.js';
import type { AugmentationTransform, AugmentTransformName } from './image-augmentation-layer.js';
import { AUGMENT_TRANSFORMS, ImageAugmentation } from './image-augmentation-layer.js';

/** A factor's search range: `f` for [0, f], `[lo, hi]`, or `null` to leave the transform out. */
export type FactorRange = number | readonly [number, number] | null;

export interface HyperImageAugmentOptions {
  /** `[height, width, channels]` of the images (for `build`). */
  readonly inputShape: readonly [number, number, number];
  /** Rotation by up to ±factor × 2π. Default 0.5 (Keras Tuner's). */
  readonly rotate?: FactorRange;
  /** Horizontal shift by up to ±factor × width. Default 0.4. */
  readonly translateX?: FactorRange;
  /** Vertical shift by up to ±factor × height. Default 0.4. */
  readonly translateY?: FactorRange;
  /** Contrast scaled by a factor in [1 − factor, 1 + factor]. Default 0.3. */
  readonly contrast?: FactorRange;
  /** Which random flips the search may switch on: default `['horizontal']`. */
  readonly flips?: readonly ('horizontal' | 'vertical')[];
  /** RandAugment layers: `n` for [0, n], a pair, or 0 for every transform on every image. Default 3. */
  readonly augmentLayers?: number | readonly [number, number];
}

const NAME = 'HyperImageAugment';

function factorRange(transform: string, range: FactorRange): [number, number] | undefined {
  if (range === null) return undefined;
  const [lo, hi] = typeof range === 'number' ? [0, range] : range;
  checkOption(
    Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && hi <= 1 && lo <= hi,
    NAME,
    transform,
    `must be a number in [0, 1], a pair [lo, hi] within [0, 1], or null; got ${JSON.stringify(range)}.`,
  );
  return hi > 0 ? [lo, hi] : undefined;
}

export class HyperImageAugment extends HyperModel {
  readonly inputShape: readonly [number, number, number];
  /** The transforms searched, with their factor ranges. */
  readonly transforms: readonly {
    readonly name: AugmentTransformName;
    readonly range: readonly [number, number];
  }[];
  readonly flips: readonly ('horizontal' | 'vertical')[];
  /** `[min, max]` of `augment_layers`, or undefined: every transform on every image. */
  readonly augmentLayers: readonly [number, number] | undefined;

  constructor(options: HyperImageAugmentOptions) {
    super();
    const shape = options.inputShape;
    checkOption(
      Array.isArray(shape) &&
        shape.length === 3 &&
        shape.every((d) => Number.isInteger(d) && d > 0),
      NAME,
      'inputShape',
      `must be [height, width, channels] of positive integers, got ${JSON.stringify(shape)}.`,
    );
    this.inputShape = [...shape] as unknown as [number, number, number];
    const given: Record<AugmentTransformName, FactorRange> = {
      rotate: options.rotate === undefined ? 0.5 : options.rotate,
      translate_x: options.translateX === undefined ? 0.4 : options.translateX,
      translate_y: options.translateY === undefined ? 0.4 : options.translateY,
      contrast: options.contrast === undefined ? 0.3 : options.contrast,
    };
    this.transforms = AUGMENT_TRANSFORMS.flatMap((name) => {
      const range = factorRange(name, given[name]);
      return range === undefined ? [] : [{ name, range }];
    });
    const flips = options.flips ?? ['horizontal'];
    checkOption(
      flips.every((f) => f === 'horizontal' || f === 'vertical'),
      NAME,
      'flips',
      `must list 'horizontal' and/or 'vertical', got ${JSON.stringify(flips)}.`,
    );
    this.flips = [...new Set(flips)];
    const layers = options.augmentLayers ?? 3;
    const [lo, hi] = typeof layers === 'number' ? [0, layers] : layers;
    checkOption(
      Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi >= lo,
      NAME,
      'augmentLayers',
      `must be a whole number >= 0 or a pair [min, max] of them, got ${JSON.stringify(layers)}.`,
    );
    this.augmentLayers = hi === 0 ? undefined : [lo, hi];
  }

  /** The trial's augmentation layers applied to `x` (a symbolic batch of images). */
  apply(hp: HyperParameters, x: SymbolicTensor): SymbolicTensor {
    const flipHorizontal =
      this.flips.includes('horizontal') && hp.Boolean('flip_horizontal', { default: false });
    const flipVertical =
      this.flips.includes('vertical') && hp.Boolean('flip_vertical', { default: false });
    const common = { flipHorizontal, flipVertical };
    if (this.augmentLayers === undefined) {
      const transforms = this.transforms.map(({ name, range }) => ({
        name,
        factor: hp.Float(`factor_${name}`, { min: range[0], max: range[1], step: 0.05 }),
      }));
      return new ImageAugmentation({ ...common, transforms, mode: 'all' }).apply(
        x,
      ) as SymbolicTensor;
    }
    const [min, max] = this.augmentLayers;
    const count = hp.Int('augment_layers', { min, max, default: min });
    // the factors matter only when there is a layer: conditional on augment_layers >= 1
    const layerCounts = Array.from(
      { length: max - Math.max(min, 1) + 1 },
      (_, i) => i + Math.max(min, 1),
    );
    const transforms: AugmentationTransform[] =
      hp.conditionalScope('augment_layers', layerCounts, () =>
        this.transforms.map(({ name, range }) => ({
          name,
          factor: hp.Float(`factor_${name}`, { min: range[0], max: range[1] }),
        })),
      ) ?? [];
    let out = x;
    if (flipHorizontal || flipVertical)
      out = new ImageAugmentation({ ...common, transforms: [], mode: 'all' }).apply(
        out,
      ) as SymbolicTensor;
    const none = { flipHorizontal: false, flipVertical: false };
    for (let i = 0; i < count; i++)
      out = new ImageAugmentation({ ...none, transforms, mode: 'one' }).apply(
        out,
      ) as SymbolicTensor;
    return out;
  }

  /** The augmentation alone: a model from images to augmented images (not compiled). */
  build(hp: HyperParameters): LayersModel {
    const input = tf.input({ shape: [...this.inputShape] });
    return tf.model({ inputs: input, outputs: this.apply(hp, input), name: 'image_augment' });
  }
}
