import { IDX_EXPECTED, IDX_FILE_NAMES, findIdxFiles, readMnistLikeDataset } from './idx-files.js';
import type { IdxPaths } from './idx-files.js';
import { loadImageDataset } from './load.js';
import type { DatasetSpec } from './locate.js';
import type { ImageDataset, LoadDatasetOptions } from './types.js';

/** MNIST class names by label: the digits. */
export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const MIRRORS = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'http://yann.lecun.com/exdb/mnist/',
];

/** MD5s of the published gzipped files. */
const MD5 = {
  trainImages: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
  trainLabels: 'd53e105ee54ea40749a09fcbcd1e9432',
  testImages: '9fb629c4189551a2d022fa330f9573f3',
  testLabels: 'ec29112dd5afa0611ce80d1b7f02629c',
} as const;

/** How MNIST is found and downloaded (no Debian package ships it). */
export const MNIST_SPEC: DatasetSpec<IdxPaths> = {
  name: 'mnist',
  title: 'MNIST',
  files: (Object.keys(IDX_FILE_NAMES) as (keyof typeof IDX_FILE_NAMES)[]).map((key) => ({
    name: `${IDX_FILE_NAMES[key]}.gz`,
    md5: MD5[key],
    urls: MIRRORS.map((base) => `${base}${IDX_FILE_NAMES[key]}.gz`),
  })),
  expected: IDX_EXPECTED,
  systemDirs: [],
  find: findIdxFiles,
};

/** Loads MNIST (28x28x1 grayscale digits, 60,000 train + 10,000 test). */
export function loadMnist(options: LoadDatasetOptions = {}): Promise<ImageDataset> {
  return loadImageDataset(MNIST_SPEC, MNIST_CLASS_NAMES, readMnistLikeDataset, options);
}
