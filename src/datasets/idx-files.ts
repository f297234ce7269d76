import { join } from 'node:path';
import { ensureFormat } from './errors.js';
import { isFile } from './files.js';
import { readIdxFile } from './idx.js';
import type { ImageSplit } from './types.js';

/** The four IDX files of MNIST and Fashion-MNIST (each may also be gzipped, `<name>.gz`). */
export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Paths of the four IDX files in one directory. */
export type IdxPaths = { readonly [K in keyof typeof IDX_FILE_NAMES]: string };

/** The human list of files for messages. */
export const IDX_EXPECTED =
  Object.values(IDX_FILE_NAMES)
    .map((n) => `${n}.gz`)
    .join(', ') + ' (gzipped or not)';

/** Names a file may have: as published, gzipped, and with a dot before `idx` (another mirror's). */
function candidates(name: string): string[] {
  const dotted = name.replace(/-idx(\d)-ubyte$/, '.idx$1-ubyte');
  return [name, `${name}.gz`, dotted, `${dotted}.gz`];
}

/** Finds the four IDX files in `dir`, or `undefined` when any is missing. */
export async function findIdxFiles(dir: string): Promise<IdxPaths | undefined> {
  const found: Partial<Record<keyof typeof IDX_FILE_NAMES, string>> = {};
  for (const [key, name] of Object.entries(IDX_FILE_NAMES)) {
    let path: string | undefined;
    for (const candidate of candidates(name)) {
      if (await isFile(join(dir, candidate))) {
        path = join(dir, candidate);
        break;
      }
    }
    if (path === undefined) return undefined;
    found[key as keyof typeof IDX_FILE_NAMES] = path;
  }
  const { trainImages, trainLabels, testImages, testLabels } = found;
  if (!trainImages || !trainLabels || !testImages || !testLabels) return undefined;
  return { trainImages, trainLabels, testImages, testLabels };
}

/**
 * Reads an images file (rank 3: count x height x width) and its labels file (rank 1) into a
 * split of single-channel images, checking there is at least one image, counts agree and
 * labels are below `numClasses`.
 */
export async function readIdxSplit(
  imagesPath: string,
  labelsPath: string,
  numClasses: number,
  limit = Infinity,
): Promise<ImageSplit> {
  const [images, labels] = await Promise.all([
    readIdxFile(imagesPath, 3),
    readIdxFile(labelsPath, 1),
  ]);
  const [n = 0, h = 0, w = 0] = images.dims;
  const labelCount = labels.dims[0] ?? 0;
  ensureFormat(n > 0, imagesPath, 'declares 0 images; a dataset split needs at least one');
  ensureFormat(
    n === labelCount,
    labelsPath,
    `has ${labelCount} labels but ${imagesPath} has ${n} images`,
  );
  const count = Math.min(n, limit);
  const labelData = labels.data.slice(0, count);
  const bad = labelData.findIndex((l) => l >= numClasses);
  ensureFormat(
    bad === -1,
    labelsPath,
    `label ${labelData[bad]} at index ${bad} is not in 0..${numClasses - 1}`,
  );
  return {
    images: images.data.slice(0, count * h * w),
    labels: labelData,
    count,
    shape: [h, w, 1],
  };
}

/** Reads train and test splits from the four IDX files. */
export async function readIdxDataset(
  paths: IdxPaths,
  numClasses: number,
  limitTrain = Infinity,
  limitTest = Infinity,
): Promise<{ train: ImageSplit; test: ImageSplit }> {
  const train = await readIdxSplit(paths.trainImages, paths.trainLabels, numClasses, limitTrain);
  const test = await readIdxSplit(paths.testImages, paths.testLabels, numClasses, limitTest);
  return { train, test };
}

/** Side of an MNIST or Fashion-MNIST image, in pixels. */
export const MNIST_SIDE = 28;

/**
 * Reads MNIST or Fashion-MNIST (10 classes) from the four IDX files, checking the images are
 * 28x28: other IDX files (e.g. 32x32 images) are a `DATASET_FORMAT` error naming the file.
 */
export async function readMnistLikeDataset(
  paths: IdxPaths,
  limitTrain = Infinity,
  limitTest = Infinity,
): Promise<{ train: ImageSplit; test: ImageSplit }> {
  const { train, test } = await readIdxDataset(paths, 10, limitTrain, limitTest);
  for (const [split, path] of [
    [train, paths.trainImages],
    [test, paths.testImages],
  ] as const) {
    const [h, w] = split.shape;
    ensureFormat(
      h === MNIST_SIDE && w === MNIST_SIDE,
      path,
      `images are ${h}x${w}; this dataset's images are ${MNIST_SIDE}x${MNIST_SIDE}`,
    );
  }
  return { train, test };
}
