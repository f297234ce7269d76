/**
 * Image splits (framework-free, 0..255 NHWC bytes) as the typed arrays training takes:
 * features scaled to [0, 1] in a Float32Array, labels as class indices.
 */
import type { ImageSplit } from '../../datasets/index.js';
import { selectExamples, toFloat32Images } from '../../datasets/index.js';

/** Features and labels of `count` examples, ready for `tuner.search(x, y)` or `fastFit`. */
export interface ExampleArrays {
  /** `count` × height × width × channels values in [0, 1] (flatten it with the model's input shape). */
  readonly x: Float32Array;
  /** Class index of each example. */
  readonly y: Int32Array;
  readonly count: number;
  /** Shape of one example: [height, width, channels]. */
  readonly shape: readonly number[];
}

/** Scales a split's pixels to [0, 1] and its labels to Int32. */
export function imageSplitToArrays(split: ImageSplit): ExampleArrays {
  return {
    x: toFloat32Images(split.images),
    y: Int32Array.from(split.labels),
    count: split.count,
    shape: [...split.shape],
  };
}

/** The examples `start..end` of a split (a view-free copy), e.g. a training subset. */
export function sliceSplit(split: ImageSplit, start: number, end: number): ImageSplit {
  const from = Math.max(0, Math.min(start, split.count));
  const to = Math.max(from, Math.min(end, split.count));
  return selectExamples(
    split,
    Int32Array.from({ length: to - from }, (_, i) => from + i),
  );
}
