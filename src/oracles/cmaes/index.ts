export { CmaEsOracle } from './cmaes-oracle.js';
export type { CmaEsOptions, CmaEsSurrogate, RestartStrategy } from './cmaes-options.js';
export { CmaEs, defaultPopulationSize } from './cma-es.js';
export type { CmaEsStart } from './cma-es.js';
