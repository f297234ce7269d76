export { TpeOracle } from './tpe-oracle.js';
export type { TpeOptions, ResolvedTpeOptions, TpePreset } from './tpe-options.js';
export { defaultGamma, defaultWeights, tunedGamma } from './tpe-options.js';
export { ParzenEstimator } from './parzen-estimator.js';
export type { KernelSet } from './kernels.js';
export { NumericKernels, CategoricalKernels } from './kernels.js';
export { buildNumericKernels, buildCategoricalKernels, mixtureLogWeights } from './bandwidths.js';
export type { NumericKernelOptions } from './bandwidths.js';
