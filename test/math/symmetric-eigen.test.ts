import { describe, expect, it } from 'vitest';
import { Random } from '../../src/math/random.js';
import { symmetricEigen } from '../../src/math/symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('finds the eigenvalues of a 2×2 matrix in closed form', () => {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect((vectors[0] as number) * (vectors[2] as number)).toBeCloseTo(-0.5, 14);
    expect((vectors[1] as number) * (vectors[3] as number)).toBeCloseTo(0.5, 14);
  });

  it('rebuilds random symmetric matrices from orthonormal eigenvectors, values ascending', () => {
    const random = new Random(7);
    for (const n of [1, 3, 6, 12]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          const v = random.normal();
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      }
      const { values, vectors } = symmetricEigen(a, n);
      for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1] as number);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i] as number;
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let rebuilt = 0;
          let gram = 0;
          for (let k = 0; k < n; k++) {
            rebuilt +=
              (vectors[i * n + k] as number) *
              (values[k] as number) *
              (vectors[j * n + k] as number);
            gram += (vectors[k * n + i] as number) * (vectors[k * n + j] as number);
          }
          expect(rebuilt).toBeCloseTo(a[i * n + j] as number, 10);
          expect(gram).toBeCloseTo(i === j ? 1 : 0, 12);
        }
      }
    }
  });
});
