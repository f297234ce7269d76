export type { Pruner, PrunerView } from './pruner.js';
