/** Ready-made hypermodels, as Keras Tuner's `keras_tuner.applications`, and the article's MLP. */
export { HyperMLP } from './hyper-mlp.js';
export type { HyperMLPOptions, LearningRateRange } from './hyper-mlp.js';
export {
  ARTICLE_EXPERIMENTS,
  ARTICLE_EXPERIMENT_SPACES,
  ARTICLE_ACTIVATIONS,
} from './article-experiments.js';
export type { ArticleExperiment } from './article-experiments.js';
export { HyperResNet } from './hyper-resnet.js';
export type { HyperResNetOptions } from './hyper-resnet.js';
export { HyperXception } from './hyper-xception.js';
export type { HyperXceptionOptions } from './hyper-xception.js';
export { HyperImageAugment } from './hyper-image-augment.js';
export type { HyperImageAugmentOptions, FactorRange } from './hyper-image-augment.js';
export {
  ImageAugmentation,
  augmentImages,
  AUGMENT_TRANSFORMS,
} from './image-augmentation-layer.js';
export type {
  AugmentationTransform,
  AugmentTransformName,
  ImageAugmentationConfig,
} from './image-augmentation-layer.js';
export { ImageHyperModel } from './application-options.js';
export type { ImageHyperModelOptions } from './application-options.js';
export type { ImageClassifierOptions } from './option-checks.js';
export { modelSummary, modelSummaryRows } from './model-summary.js';
export type { LayerSummaryRow } from './model-summary.js';
