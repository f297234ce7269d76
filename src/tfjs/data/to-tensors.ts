/**
 * Typed arrays and image splits as tensors, for `model.fit`, `model.predict` or a custom
 * `fit`. The caller disposes what these return.
 */
import { oneHot, tensor, tensor1d, tidy } from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { ImageSplit } from '../../datasets/index.js';
import { imageSplitToArrays } from './image-arrays.js';

/** Options of {@link toTensors}. */
export interface ToTensorsOptions {
  /** Shape of one example, e.g. [784] or [28, 28, 1]; default: the split's [h, w, c]. */
  readonly exampleShape?: readonly number[];
  /** One-hot encode labels into this many classes; default: labels stay class indices (int32). */
  readonly numClasses?: number;
}

/** Features `[n, ...exampleShape]` in [0, 1] and labels (one-hot or int32 indices). */
export function toTensors(
  split: ImageSplit,
  options: ToTensorsOptions = {},
): { xs: Tensor; ys: Tensor } {
  const { x, y, count, shape } = imageSplitToArrays(split);
  const xs = tensor(x, [count, ...(options.exampleShape ?? shape)], 'float32');
  const numClasses = options.numClasses;
  const ys =
    numClasses === undefined
      ? tensor1d(y, 'int32')
      : tidy(() => oneHot(tensor1d(y, 'int32'), numClasses).toFloat());
  return { xs, ys };
}
