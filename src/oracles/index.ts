export type {
  Oracle,
  StudyView,
  AskResult,
  TrialProposal,
  WaitAnswer,
  ExhaustedAnswer,
  OracleDescription,
} from './oracle.js';
export { withFixedParams } from './oracle.js';
export { RandomSearchOracle, seenConfigurations } from './random-search.js';
export type { RandomSearchOptions } from './random-search.js';
export { GridSearchOracle } from './grid-search.js';
export { TpeOracle, defaultGamma, defaultWeights, tunedGamma } from './tpe/index.js';
export type { TpeOptions, TpePreset } from './tpe/index.js';
export { createOracle, ORACLE_NAMES } from './create-oracle.js';
export type { OracleName, CreateOracleOptions } from './create-oracle.js';
export {
  HyperbandOracle,
  hyperbandPlan,
  readHyperbandAttrs,
  samplerHistory,
} from './hyperband/index.js';
export type {
  HyperbandOptions,
  HyperbandPlan,
  HyperbandPlanOptions,
  HyperbandBracket,
  HyperbandRound,
  HyperbandTrialAttrs,
} from './hyperband/index.js';
export { BayesianOptimizationOracle } from './bayesian/index.js';
export type {
  BayesianOptimizationOptions,
  Acquisition,
  LossWarping,
  TrustRegionMode,
} from './bayesian/index.js';
export { NsgaIIOracle, NSGA_II_CROSSOVERS } from './nsga-ii/index.js';
export type { NsgaIIOptions, NsgaIICrossover } from './nsga-ii/index.js';
export { AutoOracle, AUTO_ORACLE_ATTR, DEFAULT_AUTO_THRESHOLDS } from './auto/index.js';
export type {
  AutoOracleOptions,
  AutoChoice,
  AutoChoiceName,
  AutoThresholds,
} from './auto/index.js';
export { CmaEsOracle, CmaEs, defaultPopulationSize } from './cmaes/index.js';
export type { CmaEsOptions, CmaEsStart, CmaEsSurrogate, RestartStrategy } from './cmaes/index.js';
export { QmcSearchOracle } from './qmc-search.js';
export type { QmcOptions, QmcType } from './qmc-search.js';
