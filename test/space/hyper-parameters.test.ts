import { describe, expect, expectTypeOf, it } from 'vitest';
import { HyperParameters, SearchSpace, configurationKey } from '../../src/space/index.js';

describe('HyperParameters (define-by-run)', () => {
  it('registers parameters and returns defaults (Keras Tuner defaults: min, first choice, false)', () => {
    const hp = new HyperParameters();
    expect(hp.Int('units', { min: 16, max: 256, step: 16 })).toBe(16);
    expect(hp.Float('lr', { min: 1e-4, max: 1e-2, sampling: 'log' })).toBe(1e-4);
    expect(hp.Choice('act', ['relu', 'tanh'])).toBe('relu');
    expect(hp.Boolean('bias')).toBe(false);
    expect(hp.Fixed('epochs', 5)).toBe(5);
    expect(hp.space.parameters.map((p) => p.name)).toEqual([
      'units',
      'lr',
      'act',
      'bias',
      'epochs',
    ]);
    expect(hp.get('units')).toBe(16);
  });

  it('types a choice as the union of the values listed (checked by the type-checker)', () => {
    const hp = new HyperParameters();
    const activation = hp.Choice('activation', ['relu', 'tanh']);
    expectTypeOf(activation).toEqualTypeOf<'relu' | 'tanh'>();
    expectTypeOf(hp.Choice('units', [32, 64])).toEqualTypeOf<32 | 64>();
    // a list typed string[] gives a string, as before
    const names: string[] = ['a', 'b'];
    expectTypeOf(hp.Choice('name', names)).toEqualTypeOf<string>();
    // the default must be one of the values, for the type-checker as at run time
    expect(() =>
      // @ts-expect-error 'sigmoid' is not among the values
      hp.Choice('act2', ['relu', 'tanh'], { default: 'sigmoid' }),
    ).toThrow(/act2/);
    expect(activation).toBe('relu');
  });

  it('returns the proposed values of a trial', () => {
    const hp = new HyperParameters({ values: { units: 128, act: 'tanh' } });
    expect(hp.Int('units', { min: 16, max: 256, step: 16 })).toBe(128);
    expect(hp.Choice('act', ['relu', 'tanh'])).toBe('tanh');
  });

  it('name scopes prefix names', () => {
    const hp = new HyperParameters();
    hp.nameScope('layer_0', () => hp.Int('units', { min: 1, max: 3 }));
    expect(hp.space.has('layer_0/units')).toBe(true);
  });

  it('conditional parameters are inactive and absent from values when the condition fails', () => {
    const run = (model: string) => {
      const hp = new HyperParameters({ values: { model, units: 64, depth: 3 } });
      hp.Choice('model', ['mlp', 'cnn']);
      const units = hp.conditionalScope('model', ['mlp'], () =>
        hp.Int('units', { min: 32, max: 128, step: 32 }),
      );
      const depth = hp.Int('depth', { min: 1, max: 4, parentName: 'model', parentValues: ['cnn'] });
      return { hp, units, depth };
    };
    const mlp = run('mlp');
    expect(mlp.units).toBe(64);
    expect(mlp.hp.values).toEqual({ model: 'mlp', units: 64 });
    expect(mlp.depth).toBe(1); // inactive: the default, not recorded
    const cnn = run('cnn');
    expect(cnn.units).toBeUndefined();
    expect(cnn.hp.values).toEqual({ model: 'cnn', depth: 3 });
    expect(() => cnn.hp.get('units')).toThrow(/not declared/);
    expect(() => mlp.hp.get('depth')).toThrow(/inactive/);
  });

  it("round-trips a space and a trial's values through JSON", () => {
    const hp = new HyperParameters();
    hp.Choice('model', ['mlp', 'cnn']);
    hp.conditionalScope('model', ['mlp'], () => hp.Int('units', { min: 32, max: 128, step: 32 }));
    hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
    hp.Float('dropout', { min: 0, max: 0.5, step: 0.1 });
    hp.Boolean('bias', { default: true });
    const json = JSON.parse(JSON.stringify(hp.space.toJSON()));
    const restored = SearchSpace.fromJSON(json);
    expect(restored.toJSON()).toEqual(hp.space.toJSON());
    const values = JSON.parse(JSON.stringify(hp.values));
    expect(configurationKey(values)).toBe(configurationKey(hp.values));
  });

  it('complete() draws only active parameters, parents first', () => {
    const hp = new HyperParameters();
    hp.Choice('model', ['mlp', 'cnn']);
    hp.conditionalScope('model', ['mlp'], () => hp.Int('units', { min: 32, max: 128, step: 32 }));
    let i = 0;
    const draws = [0.9, 0.1]; // model -> cnn; units would be drawn second if active
    const values = hp.space.complete({}, () => draws[i++] ?? 0.5);
    expect(values).toEqual({ model: 'cnn' });
  });
});
