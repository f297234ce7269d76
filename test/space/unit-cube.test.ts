import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../src/space/index.js';
import {
  decode,
  encode,
  gridSize,
  isValidValue,
  parameterGrid,
  validateParameter,
} from '../../src/space/index.js';

const base = { conditions: [] as const };

const numericParameter = fc.oneof(
  fc
    .record({
      min: fc.integer({ min: -1000, max: 1000 }),
      span: fc.integer({ min: 0, max: 5000 }),
      step: fc.integer({ min: 1, max: 50 }),
    })
    .map(({ min, span, step }): Parameter => ({
      ...base,
      kind: 'int',
      name: 'i',
      min,
      max: min + span,
      step,
      sampling: 'linear',
      default: min,
    })),
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
});
