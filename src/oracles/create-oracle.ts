/**
 * Making an oracle from its name, for the CLI and configuration files.
 */
import { HypertunerError } from '../space/index.js';
import { AutoOracle } from './auto/index.js';
import { BayesianOptimizationOracle } from './bayesian/index.js';
import { CmaEsOracle } from './cmaes/index.js';
import { GridSearchOracle } from './grid-search.js';
import type { Oracle } from './oracle.js';
import { QmcSearchOracle } from './qmc-search.js';
import { RandomSearchOracle } from './random-search.js';
import { HyperbandOracle } from './hyperband/index.js';
import { TpeOracle } from './tpe/index.js';
import { NsgaIIOracle } from './nsga-ii/index.js';

export const ORACLE_NAMES = [
  'auto',
  'random',
  'grid',
  'bayesian',
  'tpe',
  'nsga2',
  'cmaes',
  'qmc',
  'hyperband',
] as const;
export type OracleName = (typeof ORACLE_NAMES)[number];

export interface CreateOracleOptions {
  readonly seed?: number;
  /** Hyperband: epochs of a fully trained model (default 27). */
  readonly maxEpochs?: number;
  /** Hyperband: reduction factor (default 3). */
  readonly factor?: number;
}

/** The oracle called `name` (`random`, `grid`, ...). */
export function createOracle(name: string, options: CreateOracleOptions = {}): Oracle {
  const seed = options.seed ?? 0;
  switch (name as OracleName) {
    case 'auto':
      return new AutoOracle({ seed });
    case 'random':
      return new RandomSearchOracle({ seed });
    case 'grid':
      return new GridSearchOracle();
    case 'bayesian':
      return new BayesianOptimizationOracle({ seed });
    case 'tpe':
      return new TpeOracle({ seed });
    case 'nsga2':
      return new NsgaIIOracle({ seed });
    case 'cmaes':
      return new CmaEsOracle({ seed });
    case 'qmc':
      return new QmcSearchOracle({ seed });
    case 'hyperband':
      return new HyperbandOracle({
        seed,
        maxEpochs: options.maxEpochs ?? 27,
        factor: options.factor ?? 3,
      });
    default:
      throw new HypertunerError(
        'ORACLE_UNKNOWN',
        `Unknown tuner '${name}'; use one of: ${ORACLE_NAMES.join(', ')}.`,
        { field: 'tuner' },
      );
  }
}
