/**
 * The oracles the benchmark knows, by name. Oracles that are not (yet) exported from
 * src/oracles/index.ts are reported missing instead of failing the run.
 */
import * as oracles from '../../src/oracles/index.js';
import type { Oracle } from '../../src/oracles/index.js';

export const ORACLE_NAMES = [
  'random',
  'grid',
  'tpe',
  'tpe-mv',
  'cmaes',
  'cmaes-ipop',
  'cmaes-bipop',
  'cmaes-lq',
  'cmaes-plain',
  'qmc-sobol',
  'qmc-halton',
  'bayesian',
  'bayesian-ucb',
  'nsga2',
  'auto',
] as const;
export type OracleName = (typeof ORACLE_NAMES)[number];

export type OracleFactory = (seed: number) => Oracle;

/** What we expect of the Bayesian oracle's constructor (src/oracles/bayesian/bayesian-oracle.ts). */
type BayesianConstructor = new (options: {
  seed: number;
  acquisition?: 'ei' | 'ucb';
  beta?: number;
}) => Oracle;

function bayesian(): BayesianConstructor | undefined {
  const candidate = (oracles as Record<string, unknown>)['BayesianOptimizationOracle'];
  return typeof candidate === 'function' ? (candidate as BayesianConstructor) : undefined;
}

/** The factory of `name`, or why it cannot run. */
export function oracleFactory(name: OracleName): OracleFactory | { skip: string } {
  switch (name) {
    case 'random':
      return (seed) => new oracles.RandomSearchOracle({ seed });
    case 'grid':
      return {
        skip: 'grid search is not applicable to continuous problems (it needs a finite grid)',
      };
    case 'tpe':
      return (seed) => new oracles.TpeOracle({ seed });
    case 'tpe-mv':
      return (seed) => new oracles.TpeOracle({ seed, multivariate: true });
    case 'cmaes':
      return (seed) => new oracles.CmaEsOracle({ seed });
    case 'cmaes-ipop':
      return (seed) => new oracles.CmaEsOracle({ seed, restartStrategy: 'ipop' });
    case 'cmaes-lq':
      return (seed) => new oracles.CmaEsOracle({ seed, surrogate: 'lq' });
    case 'cmaes-plain':
      return (seed) => new oracles.CmaEsOracle({ seed, surrogate: 'none' });
    case 'cmaes-bipop':
      return (seed) => new oracles.CmaEsOracle({ seed, restartStrategy: 'bipop' });
    case 'qmc-sobol':
      return (seed) => new oracles.QmcSearchOracle({ seed });
    case 'qmc-halton':
      return (seed) => new oracles.QmcSearchOracle({ seed, qmcType: 'halton' });
    case 'nsga2':
      return (seed) => new oracles.NsgaIIOracle({ seed });
    case 'auto':
      return (seed) => new oracles.AutoOracle({ seed });
    case 'bayesian':
    case 'bayesian-ucb': {
      const Bayesian = bayesian();
      if (Bayesian === undefined) {
        return { skip: 'BayesianOptimizationOracle is not exported from src/oracles/index.ts yet' };
      }
      return name === 'bayesian'
        ? (seed) => new Bayesian({ seed, acquisition: 'ei' })
        : (seed) => new Bayesian({ seed, acquisition: 'ucb' });
    }
  }
}

/** The name in the raw output's `tool` field. */
export function toolName(name: OracleName): string {
  return `hypertuner-${name}`;
}
