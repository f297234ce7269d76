import {
  CIFAR10_ARCHIVE,
  CIFAR10_FOLDER,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  findCifar10,
  readCifar10,
} from './cifar10-binary.js';
import type { Cifar10Layout } from './cifar10-binary.js';
import { loadImageDataset } from './load.js';
import type { DatasetSpec } from './locate.js';
import type { ImageDataset, LoadDatasetOptions } from './types.js';

/** CIFAR-10 class names by label. */
export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** How CIFAR-10 is found and downloaded (the binary version; the archive is kept as is). */
export const CIFAR10_SPEC: DatasetSpec<Cifar10Layout> = {
  name: 'cifar-10',
  title: 'CIFAR-10',
  files: [
    {
      name: CIFAR10_ARCHIVE,
      md5: 'c32a1d4ab5d03f1284b67883e8d87530',
      urls: [`https://www.cs.toronto.edu/~kriz/${CIFAR10_ARCHIVE}`],
    },
  ],
  expected:
    `${CIFAR10_ARCHIVE} (the binary version), or its ${CIFAR10_FOLDER}/ folder ` +
    `(${[...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].join(', ')})`,
  systemDirs: [],
  find: findCifar10,
};

/**
 * Loads CIFAR-10 (32x32x3 colour, 10 classes, 50,000 train + 10,000 test) from its binary
 * version, converting each record's R, G, B planes to NHWC.
 */
export function loadCifar10(options: LoadDatasetOptions = {}): Promise<ImageDataset> {
  return loadImageDataset(CIFAR10_SPEC, CIFAR10_CLASS_NAMES, readCifar10, options);
}
