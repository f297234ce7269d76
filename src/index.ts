/**
 * hypertuner: hyperparameter optimization for TypeScript. The public API of the core
 * (search spaces, oracles, storage, the search loop); TensorFlow.js lives in `hypertuner/tfjs`.
 */
export * from './space/index.js';
export * from './trials/index.js';
export * from './oracles/index.js';
export * from './pruners/index.js';
export * from './storage/index.js';
export * from './tuner/index.js';
export { Random, deriveSeed } from './math/random.js';
export * from './datasets/index.js';
