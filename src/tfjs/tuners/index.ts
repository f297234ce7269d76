/** Keras-Tuner-style tuners for TensorFlow.js models. */
export { Tuner } from './tuner.js';
export type { TunerConstructorOptions } from './tuner.js';
export { RandomSearch } from './random-search.js';
export type { RandomSearchTunerOptions } from './random-search.js';
export { GridSearch } from './grid-search.js';
export type { GridSearchTunerOptions } from './grid-search.js';
export { BayesianOptimization } from './bayesian-optimization.js';
export type { BayesianOptimizationTunerOptions } from './bayesian-optimization.js';
export { Hyperband, describeHyperbandPlan } from './hyperband.js';
export type {
  HyperbandTunerOptions,
  HyperbandPlanInfo,
  HyperbandCallbacks,
  HyperbandFidelity,
} from './hyperband.js';
export { fitModel } from './fit-model.js';
export { withMetricAliases } from './epoch-tracker.js';
export { ensureBackend } from './backend-choice.js';
export type { TunerBackend } from './backend-choice.js';
export { verboseCallbacks } from './verbose-callbacks.js';
export type {
  CheckpointPolicy,
  EpochInfo,
  SearchOptions,
  TunerCallbacks,
  TunerOptions,
} from './tuner-types.js';
