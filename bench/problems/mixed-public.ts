/** A mixed space like a network's: log float, stepped int, int, unordered choice, boolean. Minimum 0. */
import type { ParamValues } from '../../src/space/index.js';
import type { SingleObjectiveProblem } from './problem.js';

const OPTIMIZER_PENALTY: Readonly<Record<string, number>> = { adam: 0, rmsprop: 0.2, sgd: 0.6 };

export function mixedPublicFunction(p: ParamValues): number {
  const lr = p.lr as number;
  const units = p.units as number;
  const layers = p.layers as number;
  const optimizer = p.optimizer as string;
  return (
    (Math.log10(lr) + 2) ** 2 +
    (Math.log2(units) - 8) ** 2 / 4 +
    0.5 * (layers - 2) ** 2 +
    (OPTIMIZER_PENALTY[optimizer] ?? NaN) +
    (p.use_bias === true ? 0 : 0.1)
  );
}

export const mixedPublic: SingleObjectiveProblem = {
  name: 'mixed_public',
  space: (hp) => {
    hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
    hp.Int('units', { min: 32, max: 1024, step: 32 });
    hp.Int('layers', { min: 1, max: 6 });
    hp.Choice('optimizer', ['sgd', 'adam', 'rmsprop'], { ordered: false });
    hp.Boolean('use_bias');
  },
  evaluate: mixedPublicFunction,
  minimum: 0,
  minimizers: [{ lr: 0.01, units: 256, layers: 2, optimizer: 'adam', use_bias: true }],
};
