export type { Pruner, PrunerView } from './pruner.js';
export { MedianPruner } from './median-pruner.js';
export type { MedianPrunerOptions } from './median-pruner.js';
export { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
export type { SuccessiveHalvingPrunerOptions } from './successive-halving-pruner.js';
export { PatientPruner } from './patient-pruner.js';
export type { PatientPrunerOptions } from './patient-pruner.js';
export { pruningMultiObjectiveError } from './intermediate.js';
