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

/** Disjoint random training and validation subsets of the training split (seeded). */
export function searchSubsets(
  train: ImageSplit,
  trainSize: number,
  valSize: number,
  seed: number,
): { fit: ImageSplit; validation: ImageSplit } {
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const random = new Random(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const valCount = Math.min(valSize, Math.floor(train.count / 5));
  const fitCount = Math.min(trainSize, train.count - valCount);
  return {
    validation: selectExamples(train, order.subarray(0, valCount).sort()),
    fit: selectExamples(train, order.subarray(valCount, valCount + fitCount).sort()),
  };
}
