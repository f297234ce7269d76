import { fileURLToPath } from 'node:url';
import { IDX_EXPECTED, IDX_FILE_NAMES, findIdxFiles, readMnistLikeDataset } from './idx-files.js';
import type { IdxPaths } from './idx-files.js';
import { loadImageDataset } from './load.js';
import type { DatasetSpec } from './locate.js';
import type { ImageDataset, LoadDatasetOptions } from './types.js';

/** Fashion-MNIST class names by label. */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Where Debian's `dataset-fashion-mnist` package puts the gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The stratified subset shipped in this package (10,000 train + 2,000 test, gzipped IDX), two
 * levels above this file both in `src/datasets/` and in `dist/datasets/`.
 */
export const BUNDLED_FASHION_MNIST_SUBSET_DIR = fileURLToPath(
  new URL('../../data/fashion-mnist-subset/', import.meta.url),
);

const BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** MD5s of the published gzipped files (the Fashion-MNIST README). */
const MD5 = {
  trainImages: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
  trainLabels: '25c81989df183df01b3e8a0aad5dffbe',
  testImages: 'bef4ecab320f06d8554ea6380940ec79',
  testLabels: 'bb300cfdad3c16e7a12a480ee83cd310',
} as const;

/** How Fashion-MNIST is found and downloaded. */
export const FASHION_MNIST_SPEC: DatasetSpec<IdxPaths> = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST',
  files: (Object.keys(IDX_FILE_NAMES) as (keyof typeof IDX_FILE_NAMES)[]).map((key) => ({
    name: `${IDX_FILE_NAMES[key]}.gz`,
    md5: MD5[key],
    urls: [`${BASE_URL}${IDX_FILE_NAMES[key]}.gz`],
  })),
  expected: IDX_EXPECTED,
  systemDirs: [DEBIAN_FASHION_MNIST_DIR],
  systemHint: 'apt-get install dataset-fashion-mnist',
  bundledSubsetDir: BUNDLED_FASHION_MNIST_SUBSET_DIR,
  find: findIdxFiles,
};

/**
 * Loads Fashion-MNIST (28x28x1 grayscale, 10 classes, 60,000 train + 10,000 test), looked up as
 * `locateDataset` says; with `allowSubset`, falls back to the bundled 10,000 + 2,000 subset.
 * The result's `source` and `dir` say which copy was used.
 */
export function loadFashionMnist(options: LoadDatasetOptions = {}): Promise<ImageDataset> {
  return loadImageDataset(
    FASHION_MNIST_SPEC,
    FASHION_MNIST_CLASS_NAMES,
    readMnistLikeDataset,
    options,
  );
}
