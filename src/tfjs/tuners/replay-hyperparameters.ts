/**
 * A `HyperParameters` holding a finished trial's values, with every active parameter declared
 * (as Keras Tuner's `get_best_hyperparameters` gives them): `hp.values` lists them all, and
 * `hypermodel.build(hp)` rebuilds the trial's model.
 */
import type { Parameter, ParamValues, SearchSpace } from '../../space/index.js';
import { HyperParameters } from '../../space/index.js';

function declare(hp: HyperParameters, p: Parameter): void {
  switch (p.kind) {
    case 'int':
    case 'float': {
      const options = {
        min: p.min,
        max: p.max,
        sampling: p.sampling,
        default: p.default,
        ...(p.step === undefined ? {} : { step: p.step }),
      };
      if (p.kind === 'int') hp.Int(p.name, options);
      else hp.Float(p.name, options);
      return;
    }
    case 'choice':
      hp.Choice(p.name, p.values, { ordered: p.ordered, default: p.default });
      return;
    case 'boolean':
      hp.Boolean(p.name, { default: p.default });
      return;
    case 'fixed':
      hp.Fixed(p.name, p.value);
      return;
    default: {
      const never: never = p;
      throw new Error(`Unknown parameter kind in ${JSON.stringify(never)}`);
    }
  }
}

function declareUnder(hp: HyperParameters, p: Parameter, depth: number): void {
  const condition = p.conditions[depth];
  if (condition === undefined) return declare(hp, p);
  hp.conditionalScope(condition.parentName, condition.values, () => declareUnder(hp, p, depth + 1));
}

/** `values` in a `HyperParameters` over `space`, each active parameter declared in the space's order. */
export function hyperParametersOf(space: SearchSpace, values: ParamValues): HyperParameters {
  const hp = new HyperParameters({ space, values });
  for (const parameter of space.parameters) declareUnder(hp, parameter, 0);
  return hp;
}
