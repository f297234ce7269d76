export { AutoOracle, AUTO_ORACLE_ATTR } from './auto-oracle.js';
export type { AutoOracleOptions } from './auto-oracle.js';
export { AUTO_CHOICES, DEFAULT_AUTO_THRESHOLDS, chooseOracle } from './choose-oracle.js';
export type { AutoChoice, AutoChoiceName, AutoThresholds } from './choose-oracle.js';
