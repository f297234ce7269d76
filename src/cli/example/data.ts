/**
 * The example's data: the dataset named by --dataset, and the seeded training and validation
 * subsets the trials use (the same in every process of a search).
 */
import { loadCifar10, loadFashionMnist, loadMnist, selectExamples } from '../../datasets/index.js';
import type { ImageDataset, ImageSplit } from '../../datasets/index.js';
import { Random } from '../../math/random.js';
import type { DatasetName } from './options.js';

export function loadDataset(name: DatasetName): Promise<ImageDataset> {
  switch (name) {
    case 'fashion-mnist':
      return loadFashionMnist({ allowSubset: true });
    case 'cifar10':
      return loadCifar10();
    case 'mnist':
      return loadMnist();
    default: {
      const never: never = name;
      throw new Error(`unknown dataset ${String(never)}`);
    }
  }
}

/** The training split's examples in a seeded random order, and how many are held out. */
function shuffled(
  count: number,
  valSize: number,
  seed: number,
): { order: Int32Array; valCount: number } {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const random = new Random(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return { order, valCount: Math.min(valSize, Math.floor(count / 5)) };
}

/**
 * Indices (ascending) of the training examples the search validates on and the final training
 * holds out, for a training split of `count` examples: what another program needs to use the
 * same split (bench:race gives them to its Optuna + PyTorch side).
 */
export function heldOutIndices(count: number, valSize: number, seed: number): Int32Array {
  const { order, valCount } = shuffled(count, valSize, seed);
  return order.slice(0, valCount).sort();
}

/** Disjoint random training and validation subsets of the training split (seeded). */
export function searchSubsets(
  train: ImageSplit,
  trainSize: number,
  valSize: number,
  seed: number,
): { fit: ImageSplit; validation: ImageSplit } {
  const { order, valCount } = shuffled(train.count, valSize, seed);
  const fitCount = Math.min(trainSize, train.count - valCount);
  return {
    validation: selectExamples(train, order.subarray(0, valCount).sort()),
    fit: selectExamples(train, order.subarray(valCount, valCount + fitCount).sort()),
  };
}

/**
 * The final training's split: every training example but the search's validation subset (the
 * same for the same seed and size), which is held out to stop the training when it stops improving.
 */
export function finalSplit(
  train: ImageSplit,
  valSize: number,
  seed: number,
): { fit: ImageSplit; heldOut: ImageSplit } {
  const { order, valCount } = shuffled(train.count, valSize, seed);
  return {
    heldOut: selectExamples(train, order.slice(0, valCount).sort()),
    fit: selectExamples(train, order.slice(valCount).sort()),
  };
}
