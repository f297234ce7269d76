export { HyperbandOracle } from './hyperband-oracle.js';
export type { HyperbandOptions } from './hyperband-oracle.js';
export { hyperbandPlan } from './hyperband-plan.js';
export type {
  HyperbandPlan,
  HyperbandPlanOptions,
  HyperbandBracket,
  HyperbandRound,
} from './hyperband-plan.js';
export { readHyperbandAttrs } from './hyperband-attrs.js';
export type { HyperbandTrialAttrs } from './hyperband-attrs.js';
export { samplerHistory } from './sampler-history.js';
