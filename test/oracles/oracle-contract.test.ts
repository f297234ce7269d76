/** The oracle contract (oracle-contract.ts) for the oracles that have no contract run in their own test file. */
import {
  BayesianOptimizationOracle,
  CmaEsOracle,
  QmcSearchOracle,
  RandomSearchOracle,
  TpeOracle,
} from '../../src/oracles/index.js';
import { describeOracleContract } from './oracle-contract.js';

describeOracleContract('RandomSearchOracle', (seed) => new RandomSearchOracle({ seed }));
describeOracleContract('TpeOracle', (seed) => new TpeOracle({ seed }));
describeOracleContract(
  'TpeOracle (multivariate)',
  (seed) => new TpeOracle({ seed, multivariate: true }),
);
describeOracleContract(
  'BayesianOptimizationOracle',
  (seed) => new BayesianOptimizationOracle({ seed }),
);
describeOracleContract(
  'BayesianOptimizationOracle (two objectives)',
  (seed) => new BayesianOptimizationOracle({ seed }),
  {
    objectives: [
      { name: 'error', direction: 'minimize' },
      { name: 'accuracy', direction: 'maximize' },
    ],
  },
);
describeOracleContract('CmaEsOracle', (seed) => new CmaEsOracle({ seed }));
describeOracleContract(
  'CmaEsOracle (lq surrogate)',
  (seed) => new CmaEsOracle({ seed, surrogate: 'lq' }),
);
describeOracleContract('QmcSearchOracle', (seed) => new QmcSearchOracle({ seed }));
