import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  HyperParameters,
  HypertunerError,
  SearchSpace,
  configurationKey,
} from '../../src/space/index.js';

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

  describe('the same name in two conditional scopes (Keras Tuner allows it)', () => {
    const build = (hp: HyperParameters): number | undefined => {
      const model = hp.Choice('model', ['cnn', 'mlp', 'rnn']);
      const lr = (): number => hp.Float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' });
      hp.conditionalScope('model', ['cnn'], lr);
      hp.conditionalScope('model', ['mlp'], lr);
      return model === 'rnn' ? undefined : (hp.get('lr') as number);
    };

    it('is active, with the trial value, when either branch holds', () => {
      // define-by-run: the first trial takes the cnn branch, the second the mlp branch
      const first = new HyperParameters({ values: { model: 'cnn', lr: 0.01 } });
      expect(build(first)).toBe(0.01);
      const second = new HyperParameters({
        space: first.space,
        values: { model: 'mlp', lr: 0.02 },
      });
      expect(build(second)).toBe(0.02);
      expect(second.values).toEqual({ model: 'mlp', lr: 0.02 });
      const lr = second.space.get('lr');
      expect(lr?.conditions).toEqual([{ parentName: 'model', values: ['cnn', 'mlp'] }]);
      expect(second.space.parameters.map((p) => p.name)).toEqual(['model', 'lr']);
      // the oracles' view: active in both branches, inactive in the third
      expect(second.space.pruneInactive({ model: 'mlp', lr: 0.02 })).toEqual({
        model: 'mlp',
        lr: 0.02,
      });
      expect(second.space.pruneInactive({ model: 'rnn', lr: 0.02 })).toEqual({ model: 'rnn' });
      const drawn = second.space.complete({ model: 'mlp' }, () => 0.5);
      expect(drawn['lr']).toBeDefined();
      const rnn = new HyperParameters({ space: second.space, values: { model: 'rnn', lr: 0.02 } });
      expect(build(rnn)).toBeUndefined();
      expect(rnn.values).toEqual({ model: 'rnn' });
    });

    it('combines through storage merges and JSON, and an old one-branch space still loads', () => {
      const cnnOnly = new SearchSpace([
        {
          kind: 'choice',
          name: 'model',
          values: ['cnn', 'mlp', 'rnn'],
          ordered: false,
          default: 'cnn',
          conditions: [],
        },
        {
          kind: 'float',
          name: 'lr',
          min: 1e-4,
          max: 1e-1,
          step: undefined,
          sampling: 'log',
          default: 1e-4,
          conditions: [{ parentName: 'model', values: ['cnn'] }],
        },
      ]);
      // a space stored before this change, as JSON (no step key)
      const stored = SearchSpace.fromJSON(JSON.parse(JSON.stringify(cnnOnly.toJSON())));
      expect(stored.toJSON()).toEqual(cnnOnly.toJSON());
      const hp = new HyperParameters({ values: { model: 'mlp', lr: 0.05 } });
      build(hp);
      const merged = stored.merge(hp.space);
      expect(merged.get('lr')?.conditions).toEqual([
        { parentName: 'model', values: ['cnn', 'mlp'] },
      ]);
      // merging again (another worker's space) changes nothing
      expect(merged.merge(stored)).toBe(merged);
      expect(SearchSpace.fromJSON(JSON.parse(JSON.stringify(merged))).toJSON()).toEqual(
        merged.toJSON(),
      );
      // an unconditional declaration of the same name makes it unconditional
      const plain = new HyperParameters({ space: merged, values: { model: 'rnn' } });
      plain.Choice('model', ['cnn', 'mlp', 'rnn']);
      plain.Float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' });
      expect(plain.space.get('lr')?.conditions).toEqual([]);
    });

    it('keeps the narrower scope nested inside a wider one, and unites one parent of several', () => {
      const hp = new HyperParameters({ values: { a: 'x', b: 1 } });
      hp.Choice('a', ['x', 'y']);
      hp.Choice('b', [1, 2, 3]);
      hp.conditionalScope('a', ['x'], () => {
        hp.conditionalScope('b', [1], () => hp.Int('n', { min: 1, max: 4 }));
        // explicit conditions register the parameter whatever the parent's value
        hp.Int('n', { min: 1, max: 4, parentName: 'b', parentValues: [2] });
      });
      expect(hp.space.get('n')?.conditions).toEqual([
        { parentName: 'a', values: ['x'] },
        { parentName: 'b', values: [1, 2] },
      ]);
      hp.conditionalScope('a', ['x'], () => hp.Int('n', { min: 1, max: 4 }));
      expect(hp.space.get('n')?.conditions).toEqual([{ parentName: 'a', values: ['x'] }]);
    });

    it('throws SPACE_REDECLARED naming both conditions when either branch cannot be written as conditions', () => {
      const hp = new HyperParameters({ values: { a: 'x', b: true } });
      hp.Choice('a', ['x', 'y']);
      hp.Boolean('b');
      hp.conditionalScope('a', ['x'], () => hp.Int('n', { min: 1, max: 4 }));
      let caught: unknown;
      try {
        hp.conditionalScope('b', [true], () => hp.Int('n', { min: 1, max: 4 }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HypertunerError);
      const error = caught as HypertunerError;
      expect(error.code).toBe('SPACE_REDECLARED');
      expect(error.field).toBe('n');
      expect(error.message).toContain("'n'");
      expect(error.message).toContain('a in ["x"]');
      expect(error.message).toContain('b in [true]');
      expect(error.message).toMatch(/distinct names/);
    });
  });

  it('inside a name scope, conditionalScope, parentName and hp.get find the scoped names', () => {
    const hp = new HyperParameters({ values: { 'block1/kind': 'conv', 'block1/filters': 32 } });
    hp.Int('units', { min: 1, max: 4 });
    const result = hp.nameScope('block1', () => {
      hp.Choice('kind', ['conv', 'dense']);
      const filters = hp.conditionalScope('kind', ['conv'], () =>
        hp.Int('filters', { min: 8, max: 64 }),
      );
      const width = hp.Int('width', {
        min: 1,
        max: 9,
        parentName: 'kind',
        parentValues: ['dense'],
      });
      // a name not in the scope is looked up as given
      return { filters, width, kind: hp.get('kind'), units: hp.get('units') };
    });
    expect(result).toEqual({ filters: 32, width: 1, kind: 'conv', units: 1 });
    expect(hp.space.get('block1/filters')?.conditions).toEqual([
      { parentName: 'block1/kind', values: ['conv'] },
    ]);
    expect(hp.space.get('block1/width')?.conditions).toEqual([
      { parentName: 'block1/kind', values: ['dense'] },
    ]);
    expect(hp.values).toEqual({ units: 1, 'block1/kind': 'conv', 'block1/filters': 32 });
    // nested scopes look in the enclosing scopes too, innermost first
    expect(hp.nameScope('block1', () => hp.nameScope('inner', () => hp.get('kind')))).toBe('conv');
  });
});

describe("HyperParameters with Keras Tuner's preset and new-entries policy", () => {
  const preset = (): SearchSpace => {
    const hp = new HyperParameters();
    hp.Fixed('lr', 0.01);
    hp.Int('units', { min: 32, max: 64, step: 32 });
    return hp.space;
  };

  it("the preset's definitions win over declarations of the same name", () => {
    const hp = new HyperParameters({ preset: preset(), values: { units: 64 } });
    expect(hp.Float('lr', { min: 1e-4, max: 1e-1 })).toBe(0.01);
    expect(hp.Int('units', { min: 1, max: 8 })).toBe(64);
    expect(hp.space.get('units')).toMatchObject({ min: 32, max: 64, step: 32 });
    // a new entry is tuned as declared
    expect(hp.Choice('act', ['relu', 'tanh'])).toBe('relu');
    expect(hp.space.get('act')?.kind).toBe('choice');
  });

  it("'default' declares a new entry Fixed at its default; 'forbid' refuses it naming it", () => {
    const fixed = new HyperParameters({
      preset: preset(),
      newEntries: 'default',
      values: { act: 'tanh' },
    });
    expect(fixed.Choice('act', ['relu', 'tanh'], { default: 'relu' })).toBe('relu');
    expect(fixed.space.get('act')).toMatchObject({ kind: 'fixed', value: 'relu' });
    expect(fixed.Int('units', { min: 1, max: 8 })).toBe(32); // preset entries are still tuned
    const forbid = new HyperParameters({ preset: preset(), newEntries: 'forbid' });
    expect(forbid.Float('lr', { min: 0, max: 1 })).toBe(0.01);
    expect(() => forbid.Boolean('dropout')).toThrow(
      expect.objectContaining({
        code: 'SPACE_NEW_ENTRY_NOT_ALLOWED',
        field: 'dropout',
        message: expect.stringContaining('preset hyperparameters (lr, units)'),
      }),
    );
  });
});
