export { HypertunerError, ensure, isHypertunerError, ERROR_CODES } from './errors.js';
export type { HypertunerErrorCode } from './errors.js';
export type {
  Parameter,
  ParamValue,
  ParamValues,
  Condition,
  IntParameter,
  FloatParameter,
  ChoiceParameter,
  BooleanParameter,
  FixedParameter,
} from './parameter.js';
export {
  Sampling,
  SAMPLINGS,
  isActive,
  cardinality,
  gridSize,
  gridValue,
  gridIndex,
} from './parameter.js';
export { encode, decode, isGridEncoded } from './unit-cube.js';
export {
  SpaceErrorCode,
  validateParameter,
  validateValues,
  isValidValue,
  describeRange,
} from './validate-parameter.js';
export { SearchSpace, configurationKey } from './search-space.js';
export type { SearchSpaceJson } from './search-space.js';
export { HyperParameters } from './hyper-parameters.js';
export type {
  NumberOptions,
  ChoiceOptions,
  BooleanOptions,
  ConditionOptions,
  HyperParametersOptions,
  MissingValuePolicy,
  NewEntriesPolicy,
} from './hyper-parameters.js';
export { parameterGrid, enumerateConfigurations } from './grid.js';
