/**
 * What `import 'hypertuner/tfjs'` runs (its types are index.ts's, the same names): it checks
 * that the optional peer `@tensorflow/tfjs` is installed before any module that imports it is
 * loaded, so that a program importing hypertuner/tfjs without it fails with `PEER_MISSING` (what
 * to install, on one line) instead of Node's ERR_MODULE_NOT_FOUND from deep inside the package;
 * then it hands out index.ts's exports, the same objects. test/package/exports.test.ts checks
 * that the names here are exactly index.ts's values.
 */
import { isPackageNotFound, peerMissingError } from '../peers.js';

try {
  await import('@tensorflow/tfjs');
} catch (error) {
  // without Node's error as the cause: it says only what the message says, less clearly
  if (isPackageNotFound(error, '@tensorflow/tfjs')) throw peerMissingError('@tensorflow/tfjs');
  throw error;
}

const api = await import('./index.js');

export const {
  ARTICLE_ACTIVATIONS,
  ARTICLE_EXPERIMENTS,
  ARTICLE_EXPERIMENT_SPACES,
  augmentImages,
  AUGMENT_TRANSFORMS,
  BACKEND_PREFERENCES,
  BayesianOptimization,
  describeHyperbandPlan,
  ensureBackend,
  evaluateModel,
  fastFit,
  fileSystemHandler,
  fitModel,
  GridSearch,
  hasSavedModel,
  Hyperband,
  HyperImageAugment,
  HyperMLP,
  HyperModel,
  HyperResNet,
  HyperXception,
  ImageAugmentation,
  ImageHyperModel,
  imageSplitToArrays,
  loadCifar10,
  loadFashionMnist,
  loadMnist,
  loadModel,
  loadWeightsInto,
  modelIOHandler,
  modelSummary,
  modelSummaryRows,
  MODEL_JSON_FILE,
  predictClasses,
  RandomSearch,
  saveModel,
  selectBackend,
  sliceSplit,
  tf,
  toHyperModel,
  toTensors,
  Tuner,
  verboseCallbacks,
  WEIGHTS_FILE,
  withMetricAliases,
} = api;
