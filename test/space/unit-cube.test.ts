import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../src/space/index.js';
import {
  cardinality,
  decode,
  encode,
  gridIndex,
  gridSize,
  isValidValue,
  parameterGrid,
  validateParameter,
} from '../../src/space/index.js';
import { roundToPrecision } from '../../src/space/parameter.js';

const base = { conditions: [] as const };

/** An Int from `min` to `min + span` with `step`, its default `min` (for the generators below). */
function stepInt(
  { min, span, step }: { min: number; span: number; step: number },
  sampling: 'linear' | 'log',
): Parameter {
  return { ...base, kind: 'int', name: 'i', min, max: min + span, step, sampling, default: min };
}

const numericParameter = fc.oneof(
  fc
    .record({
      min: fc.integer({ min: -1000, max: 1000 }),
      span: fc.integer({ min: 0, max: 5000 }),
      step: fc.integer({ min: 1, max: 50 }),
    })
    .map((drawn) => stepInt(drawn, 'linear')),
  fc
    .record({ min: fc.integer({ min: 1, max: 100 }), span: fc.integer({ min: 0, max: 100000 }) })
    .map(({ min, span }): Parameter => ({
      ...base,
      kind: 'int',
      name: 'i',
      min,
      max: min + span,
      step: undefined,
      sampling: 'log',
      default: min,
    })),
  fc
    .record({
      min: fc.integer({ min: 1, max: 64 }),
      k: fc.integer({ min: 0, max: 8 }),
      step: fc.constantFrom(2, 3, 4),
    })
    .map(({ min, k, step }): Parameter => ({
      ...base,
      kind: 'int',
      name: 'i',
      min,
      max: min * step ** k,
      step,
      sampling: 'log',
      default: min,
    })),
  fc
    .record({
      min: fc.double({ min: 1e-6, max: 10, noNaN: true }),
      factor: fc.double({ min: 1, max: 1e6, noNaN: true }),
      sampling: fc.constantFrom('linear', 'log', 'reverse_log'),
    })
    .map(({ min, factor, sampling }): Parameter => ({
      ...base,
      kind: 'float',
      name: 'f',
      min,
      max: min * factor,
      step: undefined,
      sampling: sampling as 'linear',
      default: min,
    })),
  fc
    .record({
      min: fc.integer({ min: -50, max: 50 }),
      n: fc.integer({ min: 0, max: 200 }),
      step: fc.constantFrom(0.1, 0.25, 0.5, 0.05),
    })
    .map(({ min, n, step }): Parameter => ({
      ...base,
      kind: 'float',
      name: 'f',
      min: min / 10,
      max: Number.parseFloat((min / 10 + n * step).toPrecision(12)),
      step,
      sampling: 'linear',
      default: min / 10,
    })),
);

describe('unit-cube encoding', () => {
  it('decode(encode(v)) == v for every value of discrete parameters (property)', () => {
    fc.assert(
      fc.property(numericParameter, fc.double({ min: 0, max: 1, noNaN: true }), (parameter, u) => {
        validateParameter(parameter);
        const value = decode(parameter, u);
        expect(isValidValue(parameter, value)).toBe(true);
        const e = encode(parameter, value);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
        const back = decode(parameter, e);
        if (parameter.kind === 'float' && parameter.step === undefined) {
          expect(Math.abs((back as number) - (value as number))).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(value as number)),
          );
        } else {
          expect(back).toBe(value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every grid value round-trips exactly', () => {
    fc.assert(
      fc.property(
        numericParameter.filter(
          (p) => p.kind === 'int' || (p.kind === 'float' && p.step !== undefined),
        ),
        (parameter) => {
          if (gridSize(parameter as never) > 3000) return;
          for (const value of parameterGrid(parameter))
            expect(decode(parameter, encode(parameter, value))).toBe(value);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('choices and booleans round-trip', () => {
    const choice: Parameter = {
      ...base,
      kind: 'choice',
      name: 'c',
      values: ['a', 'b', 'c', 'd', 'e'],
      ordered: false,
      default: 'a',
    };
    for (const v of choice.values) expect(decode(choice, encode(choice, v))).toBe(v);
    const bool: Parameter = { ...base, kind: 'boolean', name: 'b', default: false };
    for (const v of [true, false]) expect(decode(bool, encode(bool, v))).toBe(v);
  });

  it('log warping puts the geometric middle at 0.5', () => {
    const p: Parameter = {
      ...base,
      kind: 'float',
      name: 'lr',
      min: 1e-4,
      max: 1,
      step: undefined,
      sampling: 'log',
      default: 1e-4,
    };
    expect(decode(p, 0.5) as number).toBeCloseTo(1e-2, 12);
    const r: Parameter = { ...p, sampling: 'reverse_log' };
    expect(decode(r, 0)).toBeCloseTo(1e-4, 12);
    expect(decode(r, 1)).toBeCloseTo(1, 12);
    // reverse_log is dense near max: the middle of the cube lies above the arithmetic middle
    expect(decode(r, 0.5) as number).toBeGreaterThan(0.5);
  });

  it('step grids of the article: Int(16..256 step 16) has 16 values', () => {
    const p: Parameter = {
      ...base,
      kind: 'int',
      name: 'units',
      min: 16,
      max: 256,
      step: 16,
      sampling: 'linear',
      default: 16,
    };
    expect(parameterGrid(p)).toEqual(Array.from({ length: 16 }, (_, i) => 16 + 16 * i));
  });

  it('Int grids with a log step have distinct values, one slice each (property)', () => {
    const intLog = fc
      .record({
        min: fc.integer({ min: 1, max: 50 }),
        span: fc.integer({ min: 0, max: 5000 }),
        step: fc.double({ min: 1.01, max: 4, noNaN: true }),
      })
      .map((drawn) => stepInt(drawn, 'log'));
    fc.assert(
      fc.property(intLog, fc.double({ min: 0, max: 1, noNaN: true }), (parameter, u) => {
        validateParameter(parameter);
        if (parameter.kind !== 'int') return;
        const grid = parameterGrid(parameter) as number[];
        expect(new Set(grid).size).toBe(grid.length);
        expect(cardinality(parameter)).toBe(grid.length);
        expect(grid[0]).toBe(parameter.min);
        for (let k = 0; k < grid.length; k++) {
          const value = grid[k] as number;
          if (k > 0) expect(value).toBeGreaterThan(grid[k - 1] as number);
          expect(isValidValue(parameter, value)).toBe(true);
          expect(gridIndex(parameter, value)).toBe(k);
          expect(decode(parameter, encode(parameter, value))).toBe(value);
        }
        expect(grid).toContain(decode(parameter, u));
      }),
      { numRuns: 200 },
    );
    const units: Parameter = {
      ...base,
      kind: 'int',
      name: 'units',
      min: 1,
      max: 10,
      step: 1.5,
      sampling: 'log',
      default: 1,
    };
    expect(parameterGrid(units)).toEqual([1, 2, 3, 5, 8]);
  });

  it('stepped Float grids: min and every grid value are valid, whatever the digits of min (property)', () => {
    const floatStep = fc
      .record({
        min: fc.double({ min: -100, max: 100, noNaN: true }),
        step: fc.double({ min: 1e-3, max: 10, noNaN: true }),
        n: fc.integer({ min: 0, max: 200 }),
        log: fc.boolean(),
      })
      .map(({ min, step, n, log }): Parameter => {
        const positiveMin = Math.abs(min) + 1e-3;
        return log
          ? {
              ...base,
              kind: 'float',
              name: 'f',
              min: positiveMin,
              max: positiveMin * (1 + step) ** Math.min(n, 20),
              step: 1 + step,
              sampling: 'log',
              default: positiveMin,
            }
          : {
              ...base,
              kind: 'float',
              name: 'f',
              min,
              max: min + n * step,
              step,
              sampling: 'linear',
              default: min,
            };
      });
    fc.assert(
      fc.property(floatStep, (parameter) => {
        validateParameter(parameter);
        if (parameter.kind !== 'float') return;
        const grid = parameterGrid(parameter) as number[];
        // min and the grid values, rounded to 12 digits as stored studies hold them, are valid
        expect(isValidValue(parameter, parameter.min)).toBe(true);
        expect(grid[0]).toBe(roundToPrecision(parameter.min));
        const slack = 1e-11 * Math.max(Math.abs(parameter.min), Math.abs(parameter.max));
        for (const value of grid) {
          expect(value).toBeGreaterThanOrEqual(parameter.min - slack);
          expect(value).toBeLessThanOrEqual(parameter.max + slack);
          expect(isValidValue(parameter, value)).toBe(true);
          expect(decode(parameter, encode(parameter, value))).toBe(value);
        }
      }),
      { numRuns: 200 },
    );
  });
});
