import { describe, expect, it } from 'vitest';
import {
  erfc,
  erfcx,
  expectedImprovementFactor,
  logExpectedImprovementFactor,
  logNormalCdf,
  normalCdf,
  normalPdf,
} from '../../src/math/normal.js';

// Reference values of erfc (to 16 digits).
const ERFC: [number, number][] = [
  [0, 1],
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047266],
  [3, 2.209049699858544e-5],
  [5, 1.5374597944280349e-12],
];

describe('normal distribution', () => {
  it('erfc matches reference values to ~1e-14 relative', () => {
    for (const [x, v] of ERFC) expect(Math.abs(erfc(x) - v) / v).toBeLessThan(1e-14);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
  });

  it('NaN in gives NaN out, never endless recursion (a NaN from bad data reaches them)', () => {
    expect(erfc(NaN)).toBeNaN();
    expect(erfcx(NaN)).toBeNaN();
    expect(normalCdf(NaN)).toBeNaN();
    expect(logNormalCdf(NaN)).toBeNaN();
    expect(expectedImprovementFactor(NaN)).toBeNaN();
    expect(logExpectedImprovementFactor(NaN)).toBeNaN();
  });

  it('erfcx is continuous where its method changes and ~1/(x√π) for large x', () => {
    expect(Math.abs(erfcx(2 - 1e-13) - erfcx(2 + 1e-13))).toBeLessThan(1e-13);
    expect(erfcx(1e6) * 1e6 * Math.sqrt(Math.PI)).toBeCloseTo(1, 10);
  });

  it('Φ and φ: known values, symmetry, tails', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    for (const z of [0.3, 1.7, 4.2]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
    expect(normalCdf(-10)).toBeCloseTo(7.619853024160527e-24, 36);
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    expect(logNormalCdf(-40)).toBeCloseTo(-804.6084420137538, 8);
  });

  it('log h(z) equals log(zΦ(z) + φ(z)) where the direct formula is stable', () => {
    for (const z of [-5, -2, -1.0001, -1, -0.5, 0, 0.7, 3, 10]) {
      const direct = Math.log(z * normalCdf(z) + normalPdf(z));
      expect(logExpectedImprovementFactor(z)).toBeCloseTo(direct, 10);
    }
    expect(expectedImprovementFactor(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
  });

  it('log h(z) is finite and strictly increasing far into the tail, and ~ log φ(z) − 2 log|z|', () => {
    let previous = -Infinity;
    for (let e = 8; e >= -2; e -= 0.01) {
      const z = -(10 ** e);
      const v = logExpectedImprovementFactor(z);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
    const z = -1e4;
    expect(logExpectedImprovementFactor(z)).toBeCloseTo(
      -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z),
      6,
    );
    // the two tail methods agree where they meet
    expect(logExpectedImprovementFactor(-50 + 1e-9)).toBeCloseTo(
      logExpectedImprovementFactor(-50 - 1e-9),
      6,
    );
  });
});
