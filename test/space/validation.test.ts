import { describe, expect, it } from 'vitest';
import {
  HyperParameters,
  HypertunerError,
  SearchSpace,
  isValidValue,
  parameterGrid,
} from '../../src/space/index.js';

function expectSpaceError(run: () => unknown, code: string, field: string, mention?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HypertunerError);
  const error = caught as HypertunerError;
  expect(error.code).toBe(code);
  expect(error.field).toBe(field);
  expect(error.message).toContain(`'${field}'`);
  if (mention !== undefined) expect(error.message).toMatch(mention);
}

describe('search space validation', () => {
  it('rejects min > max, naming the parameter and both bounds', () => {
    expectSpaceError(
      () => new HyperParameters().Int('units', { min: 300, max: 200 }),
      'SPACE_MIN_GREATER_THAN_MAX',
      'units',
      /min \(300\).*max \(200\)/,
    );
    expectSpaceError(
      () => new HyperParameters().Float('lr', { min: 1, max: 0.1 }),
      'SPACE_MIN_GREATER_THAN_MAX',
      'lr',
    );
  });

  it('rejects a Fixed value a trial could not store (Infinity, NaN), naming the parameter', () => {
    for (const value of [Infinity, -Infinity, NaN]) {
      expectSpaceError(
        () => new HyperParameters().Fixed('scale', value),
        'SPACE_INVALID_CHOICE_VALUE',
        'scale',
        /finite number/,
      );
    }
    expect(new HyperParameters().Fixed('scale', 2.5)).toBe(2.5);
  });

  it('rejects step <= 0, and a log step that is not a multiplier > 1', () => {
    expectSpaceError(
      () => new HyperParameters().Int('units', { min: 1, max: 10, step: 0 }),
      'SPACE_INVALID_STEP',
      'units',
      /step must be a number > 0/,
    );
    expectSpaceError(
      () => new HyperParameters().Float('lr', { min: 0, max: 1, step: -0.1 }),
      'SPACE_INVALID_STEP',
      'lr',
    );
    expectSpaceError(
      () => new HyperParameters().Float('lr', { min: 1e-4, max: 1, step: 1, sampling: 'log' }),
      'SPACE_INVALID_STEP',
      'lr',
      /multiplier/,
    );
  });

  it('rejects log sampling with min <= 0', () => {
    expectSpaceError(
      () => new HyperParameters().Float('lr', { min: 0, max: 1, sampling: 'log' }),
      'SPACE_LOG_NEEDS_POSITIVE_MIN',
      'lr',
      /min > 0/,
    );
    expectSpaceError(
      () => new HyperParameters().Int('n', { min: -1, max: 8, sampling: 'reverse_log' }),
      'SPACE_LOG_NEEDS_POSITIVE_MIN',
      'n',
    );
  });

  it('rejects an unknown sampling, naming the allowed ones', () => {
    expectSpaceError(
      () => new HyperParameters().Float('lr', { min: 0.1, max: 1, sampling: 'square' as never }),
      'SPACE_INVALID_SAMPLING',
      'lr',
      /linear, log, reverse_log/,
    );
  });

  it('rejects empty and mixed-type choices', () => {
    expectSpaceError(() => new HyperParameters().Choice('act', []), 'SPACE_EMPTY_CHOICES', 'act');
    expectSpaceError(
      () => new HyperParameters().Choice('act', ['relu', 3] as never[]),
      'SPACE_MIXED_CHOICE_TYPES',
      'act',
      /string and number/,
    );
    expectSpaceError(
      () => new HyperParameters().Choice('act', ['relu', 'relu']),
      'SPACE_DUPLICATE_CHOICE',
      'act',
    );
  });

  it('rejects defaults outside the range or off the grid', () => {
    expectSpaceError(
      () => new HyperParameters().Int('units', { min: 16, max: 256, default: 512 }),
      'SPACE_DEFAULT_OUT_OF_RANGE',
      'units',
      /\[16, 256\]/,
    );
    expectSpaceError(
      () => new HyperParameters().Int('units', { min: 16, max: 256, step: 16, default: 17 }),
      'SPACE_DEFAULT_OUT_OF_RANGE',
      'units',
      /grid/,
    );
    expectSpaceError(
      // the type-checker rejects it too; plain JavaScript gets the error at run time
      // @ts-expect-error 'elu' is not among the values
      () => new HyperParameters().Choice('act', ['relu', 'tanh'], { default: 'elu' }),
      'SPACE_DEFAULT_OUT_OF_RANGE',
      'act',
      /relu, tanh/,
    );
  });

  it('rejects non-integer bounds for Int', () => {
    expectSpaceError(
      () => new HyperParameters().Int('units', { min: 1.5, max: 10 }),
      'SPACE_NOT_INTEGER',
      'units',
    );
  });

  it('rejects a name re-declared with a different type or range, and accepts the same declaration', () => {
    const hp = new HyperParameters();
    hp.Int('units', { min: 16, max: 256, step: 16 });
    expect(hp.Int('units', { min: 16, max: 256, step: 16 })).toBe(16);
    expectSpaceError(
      () => hp.Int('units', { min: 16, max: 512, step: 16 }),
      'SPACE_REDECLARED',
      'units',
      /re-declared/,
    );
    expectSpaceError(() => hp.Float('units', { min: 16, max: 256 }), 'SPACE_REDECLARED', 'units');
  });

  it('rejects a condition on an undeclared parent and hp.get of an unknown name', () => {
    expectSpaceError(
      () =>
        new HyperParameters().Int('units', {
          min: 1,
          max: 4,
          parentName: 'model',
          parentValues: ['mlp'],
        }),
      'SPACE_UNKNOWN_PARENT',
      'units',
    );
    expectSpaceError(
      () => new HyperParameters().get('nothing'),
      'SPACE_UNKNOWN_PARAMETER',
      'nothing',
    );
  });

  it('rejects an invalid space in JSON', () => {
    expect(() =>
      SearchSpace.fromJSON({
        parameters: [
          {
            kind: 'int',
            name: 'a',
            min: 5,
            max: 1,
            step: undefined,
            sampling: 'linear',
            default: 5,
            conditions: [],
          },
        ],
      }),
    ).toThrow(/min \(5\) is greater than max \(1\)/);
    expect(() => SearchSpace.fromJSON(42)).toThrow(HypertunerError);
  });

  it('accepts a stepped Float whose min has more than 12 significant digits (grid values rounded as stored studies hold them)', () => {
    const cases = [
      { min: 1 / 3, max: 2, step: 1 / 3, sampling: 'linear' as const },
      { min: Math.PI, max: 10, step: 1, sampling: 'linear' as const },
      { min: 1 / 3, max: 3, step: 2, sampling: 'log' as const },
    ];
    for (const options of cases) {
      const hp = new HyperParameters();
      expect(hp.Float('x', options)).toBe(options.min);
      const parameter = hp.space.get('x');
      if (parameter === undefined) throw new Error('x not declared');
      const grid = parameterGrid(parameter) as number[];
      expect(grid[0]).toBeCloseTo(options.min, 11);
      for (const value of grid) {
        expect(isValidValue(parameter, value)).toBe(true);
        expect(value).toBeLessThanOrEqual(options.max * (1 + 1e-11));
      }
      // values computed by the user are on the grid within rounding; others are not
      expect(isValidValue(parameter, options.min)).toBe(true);
    }
    const third = new HyperParameters();
    expect(third.Float('x', { min: 0, max: 1, step: 1 / 3, default: 1 / 3 })).toBe(1 / 3);
    expect(third.Float('y', { min: 1 / 3, max: 2, step: 1 / 3, default: 2 / 3 })).toBe(2 / 3);
    const y = third.space.get('y');
    if (y === undefined) throw new Error('y not declared');
    expect(isValidValue(y, 1 / 3 + 0.5)).toBe(false);
    expectSpaceError(
      () => new HyperParameters().Float('z', { min: 1 / 3, max: 2, step: 1 / 3, default: 0.5 }),
      'SPACE_DEFAULT_OUT_OF_RANGE',
      'z',
      /grid/,
    );
  });

  it('rejects an unknown kind and entries that are not objects in JSON, naming what is allowed', () => {
    expectSpaceError(
      () => SearchSpace.fromJSON({ parameters: [{ kind: 'weird', name: 'x', conditions: [] }] }),
      'SPACE_INVALID_KIND',
      'x',
      /int, float, choice, boolean, fixed.*"weird"/,
    );
    for (const entry of [null, 3, 'x', []]) {
      let caught: unknown;
      try {
        SearchSpace.fromJSON({ parameters: [entry] });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HypertunerError);
      expect((caught as HypertunerError).code).toBe('SPACE_INVALID_JSON');
      expect((caught as HypertunerError).message).toMatch(/parameters\[0\]/);
    }
    expect(() =>
      SearchSpace.fromJSON({
        parameters: [{ kind: 'boolean', name: 'b', default: false, conditions: [null] }],
      }),
    ).toThrow(/conditions must be a list of \{parentName, values\}/);
  });
});
