/**
 * `hypertuner/tfjs`: Keras Tuner for TensorFlow.js — hypermodels, tuners, training on the best
 * available backend, models saved in TensorFlow.js's own files, datasets and data helpers. The
 * only entry point that loads `@tensorflow/tfjs` (an optional peer dependency: install it to
 * use this one). Every name is exported on purpose (test/package/exports.test.ts keeps the list).
 */
/** The TensorFlow.js this entry point uses, so that models and tuners share one instance. */
export * as tf from '@tensorflow/tfjs';
export type { LayersModel } from '@tensorflow/tfjs';
export { HyperModel, toHyperModel } from './hyper-model.js';
export type {
  BuildFunction,
  FitArgs,
  FitResult,
  HyperModelInput,
  HyperModelLike,
  TunerFitCallback,
  TunerFitParams,
  TunerInput,
} from './hyper-model.js';
export {
  Tuner,
  RandomSearch,
  GridSearch,
  BayesianOptimization,
  Hyperband,
  describeHyperbandPlan,
  fitModel,
  withMetricAliases,
  ensureBackend,
  verboseCallbacks,
} from './tuners/index.js';
export type {
  TunerConstructorOptions,
  RandomSearchTunerOptions,
  GridSearchTunerOptions,
  BayesianOptimizationTunerOptions,
  HyperbandTunerOptions,
  HyperbandPlanInfo,
  HyperbandCallbacks,
  HyperbandFidelity,
  TunerBackend,
  EpochInfo,
  SearchOptions,
  TunerCallbacks,
  TunerOptions,
  CheckpointPolicy,
} from './tuners/index.js';
export {
  fileSystemHandler,
  modelIOHandler,
  hasSavedModel,
  saveModel,
  loadModel,
  loadWeightsInto,
  MODEL_JSON_FILE,
  WEIGHTS_FILE,
} from './model-io/index.js';
export type { ArtifactLocation, ModelLocation } from './model-io/index.js';
export {
  imageSplitToArrays,
  sliceSplit,
  toTensors,
  evaluateModel,
  predictClasses,
} from './data/index.js';
export type { ExampleArrays, ToTensorsOptions, EvaluateOptions } from './data/index.js';
export { loadFashionMnist, loadMnist, loadCifar10 } from '../datasets/index.js';
export type {
  DatasetName,
  DatasetSource,
  DownloadProgress,
  ImageDataset,
  ImageSplit,
  LoadDatasetOptions,
} from '../datasets/index.js';
export { selectBackend, BACKEND_PREFERENCES } from './backend/index.js';
export type { BackendChoice, BackendPreference } from './backend/index.js';
export {
  HyperMLP,
  HyperResNet,
  HyperXception,
  HyperImageAugment,
  ImageHyperModel,
  ImageAugmentation,
  augmentImages,
  modelSummary,
  modelSummaryRows,
  ARTICLE_EXPERIMENTS,
  ARTICLE_EXPERIMENT_SPACES,
  ARTICLE_ACTIVATIONS,
  AUGMENT_TRANSFORMS,
} from './applications/index.js';
export type {
  HyperMLPOptions,
  HyperResNetOptions,
  HyperXceptionOptions,
  HyperImageAugmentOptions,
  ImageClassifierOptions,
  ImageHyperModelOptions,
  ArticleExperiment,
  LearningRateRange,
  FactorRange,
  AugmentationTransform,
  AugmentTransformName,
  ImageAugmentationConfig,
  LayerSummaryRow,
} from './applications/index.js';
export { fastFit } from './training/index.js';
export type {
  FastFitOptions,
  FastFitHistory,
  FastFitCallbacks,
  FitLogs,
  FitInput,
} from './training/index.js';
