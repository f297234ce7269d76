/** Fast batch training: `fastFit` and its data helpers. */
export { fastFit } from './fast-fit.js';
export { fuseAdam } from './fused-adam.js';
export type { FastFitCallbacks, FastFitHistory, FastFitOptions, FitLogs } from './fast-fit.js';
export type { FitInput } from './fit-data.js';
