export { BayesianOptimizationOracle } from './bayesian-oracle.js';
export type {
  BayesianOptimizationOptions,
  LossWarping,
  TrustRegionMode,
} from './bayesian-oracle.js';
export { Acquisition, ACQUISITIONS, scoreAcquisition } from './acquisition.js';
export type { AcquisitionSettings } from './acquisition.js';
export { SpaceEncoding } from './space-encoding.js';
