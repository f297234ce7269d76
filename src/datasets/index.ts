/**
 * Datasets: MNIST and Fashion-MNIST (IDX), CIFAR-10 (binary version), found in an explicit
 * directory, the cache, Debian's package, or downloaded with a checksum; framework-free typed
 * arrays in NHWC order. TensorFlow.js tensors are made from these in `src/tfjs`.
 */
export { loadCifar10, CIFAR10_CLASS_NAMES, CIFAR10_SPEC } from './cifar10.js';
export { parseCifar10Batch, findCifar10, readCifar10 } from './cifar10-binary.js';
export type { Cifar10Layout } from './cifar10-binary.js';
export { resolveCacheRoot } from './cache-dir.js';
export type { DatasetEnv } from './cache-dir.js';
export { downloadFile } from './download.js';
export type { DownloadOptions } from './download.js';
export { DatasetError, DATASET_ERROR_CODES } from './errors.js';
export type { DatasetErrorCode } from './errors.js';
export {
  loadFashionMnist,
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_SPEC,
  DEBIAN_FASHION_MNIST_DIR,
  BUNDLED_FASHION_MNIST_SUBSET_DIR,
} from './fashion-mnist.js';
export { parseIdx, encodeIdx, readIdxFile } from './idx.js';
export type { IdxArray } from './idx.js';
export { IDX_FILE_NAMES, findIdxFiles, readIdxSplit } from './idx-files.js';
export type { IdxPaths } from './idx-files.js';
export { locateDataset } from './locate.js';
export type { DatasetFile, DatasetSpec, Located } from './locate.js';
export { loadMnist, MNIST_CLASS_NAMES, MNIST_SPEC } from './mnist.js';
export { seededUniform } from './prng.js';
export { selectExamples, splitTrainValidation, stratifiedSample } from './split.js';
export type { ValidationSplitOptions } from './split.js';
export { readTar } from './tar.js';
export type { TarEntry } from './tar.js';
export { toFloat32Images, oneHot } from './transforms.js';
export type { PixelRange } from './transforms.js';
export type {
  DatasetName,
  DatasetSource,
  DownloadProgress,
  ImageDataset,
  ImageSplit,
  LoadDatasetOptions,
  LocateOptions,
} from './types.js';
