import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIMENSION, Sobol } from '../../src/math/sobol.js';

const pointsOf = (sobol: Sobol, count: number, start = 0): Float64Array[] =>
  Array.from({ length: count }, (_, i) => {
    const out = new Float64Array(sobol.dimension);
    sobol.point(start + i, out);
    return out;
  });

/** Whether every box of a 2^a × 2^b grid over coordinates (j, k) holds exactly `per` points. */
function stratified(
  points: readonly Float64Array[],
  j: number,
  k: number,
  a: number,
  b: number,
  per = 1,
): boolean {
  const counts = new Map<string, number>();
  for (const p of points) {
    const key = `${Math.floor((p[j] as number) * 2 ** a)},${Math.floor((p[k] as number) * 2 ** b)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size === 2 ** (a + b) && [...counts.values()].every((n) => n === per);
}

describe('Sobol', () => {
  it('gives the first points of the unscrambled sequence (as scipy.stats.qmc.Sobol, Joe-Kuo numbers)', () => {
    const sobol = new Sobol(SOBOL_MAX_DIMENSION);
    const points = pointsOf(sobol, 16);
    const head = points.slice(0, 8).map((p) => [...p.slice(0, 6)]);
    expect(head).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25, 0.25, 0.75, 0.75],
      [0.25, 0.75, 0.75, 0.75, 0.25, 0.25],
      [0.375, 0.375, 0.625, 0.875, 0.375, 0.125],
      [0.875, 0.875, 0.125, 0.375, 0.875, 0.625],
      [0.625, 0.125, 0.875, 0.625, 0.625, 0.875],
      [0.125, 0.625, 0.375, 0.125, 0.125, 0.375],
    ]);
    // far dimensions and a far index, from scipy 1.10 (random(16); fast_forward(1000))
    const p5 = points[5] as Float64Array;
    const p13 = points[13] as Float64Array;
    expect([p5[9], p5[99], p5[255]]).toEqual([0.125, 0.375, 0.875]);
    expect([p13[9], p13[99], p13[255]]).toEqual([0.4375, 0.5625, 0.5625]);
    const [far] = pointsOf(sobol, 1, 1000);
    expect(far?.[0]).toBeCloseTo(0.219727, 6);
    expect(far?.[1]).toBeCloseTo(0.09668, 5);
    expect(far?.[2]).toBeCloseTo(0.518555, 6);
    expect(far?.[50]).toBeCloseTo(0.352539, 6);
    expect(far?.[255]).toBeCloseTo(0.249023, 6);
  });

  it('is a (0, m, 2)-net in its first two coordinates, and each coordinate of 2^m points fills every bin once', () => {
    for (const scramble of [false, true]) {
      const sobol = new Sobol(12, { scramble, seed: 17 });
      const points = pointsOf(sobol, 256);
      for (let a = 0; a <= 8; a++)
        expect(stratified(points, 0, 1, a, 8 - a), `${scramble} ${a}`).toBe(true);
      for (let j = 0; j < 12; j++)
        expect(stratified(points, j, j, 8, 0), `coordinate ${j}`).toBe(true);
    }
  });

  it('scrambles differently per seed, reproducibly, keeping dimensions nested', () => {
    const a = pointsOf(new Sobol(5, { scramble: true, seed: 1 }), 4);
    const b = pointsOf(new Sobol(5, { scramble: true, seed: 1 }), 4);
    const c = pointsOf(new Sobol(5, { scramble: true, seed: 2 }), 4);
    const wide = pointsOf(new Sobol(9, { scramble: true, seed: 1 }), 4);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(wide.map((p) => [...p.slice(0, 5)])).toEqual(a.map((p) => [...p]));
    expect(a[0]?.every((v) => v > 0 && v < 1)).toBe(true); // the first point is no longer 0
    // the mean of many scrambled points is close to 1/2 in every coordinate
    const many = pointsOf(new Sobol(5, { scramble: true, seed: 3 }), 1024);
    for (let j = 0; j < 5; j++)
      expect(many.reduce((s, p) => s + (p[j] as number), 0) / 1024).toBeCloseTo(0.5, 3);
  });

  it('refuses dimensions it has no direction numbers for', () => {
    expect(() => new Sobol(SOBOL_MAX_DIMENSION + 1)).toThrow(/1\.\.256/);
    expect(() => new Sobol(0)).toThrow(RangeError);
  });
});
