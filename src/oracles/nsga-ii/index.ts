export { NsgaIIOracle } from './nsga-ii-oracle.js';
export { NSGA_II_CROSSOVERS } from './nsga-ii-options.js';
export type { NsgaIIOptions, NsgaIICrossover } from './nsga-ii-options.js';
export { crowdingDistances } from './crowding-distance.js';
export { selectElite } from './population.js';
