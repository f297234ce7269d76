/** Typed arrays and datasets to tensors, and batched evaluation. */
export { imageSplitToArrays, sliceSplit } from './image-arrays.js';
export type { ExampleArrays } from './image-arrays.js';
export { toTensors } from './to-tensors.js';
export type { ToTensorsOptions } from './to-tensors.js';
export { evaluateModel, predictClasses } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
