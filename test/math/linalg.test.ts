import { describe, expect, it } from 'vitest';
import {
  cholesky,
  choleskyInverse,
  choleskySolve,
  choleskyWithJitter,
  logDeterminantFromCholesky,
  solveLower,
  solveLowerTranspose,
  solveUpper,
  transposeInto,
} from '../../src/math/linalg.js';

// A classic example with an integer factor: A = L Lᵀ, L = [[2,0,0],[6,1,0],[-8,5,3]].
const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
const L = [2, 0, 0, 6, 1, 0, -8, 5, 3];

describe('cholesky', () => {
  it('factorises a known matrix exactly', () => {
    const l = new Float64Array(9);
    expect(cholesky(A, 3, l)).toBe(true);
    expect(Array.from(l)).toEqual(L);
  });

  it('can work in place', () => {
    const a = Float64Array.from(A);
    expect(cholesky(a, 3, a)).toBe(true);
    expect(Array.from(a)).toEqual(L);
  });

  it('reports a matrix that is not positive definite', () => {
    const l = new Float64Array(4);
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2, l)).toBe(false);
    expect(choleskyWithJitter(Float64Array.from([-1, 0, 0, -1]), 2, l)).toBe(-1);
  });

  it('adds jitter to a singular (rank-one) matrix and reconstructs it closely', () => {
    const a = Float64Array.from([1, 1, 1, 1]);
    const l = new Float64Array(4);
    const jitter = choleskyWithJitter(a, 2, l);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThan(1e-3);
    const r = [l[0]! * l[0]!, l[2]! * l[0]!, l[2]! * l[2]! + l[3]! * l[3]!];
    expect(r[0]).toBeCloseTo(1 + jitter, 12);
    expect(r[1]).toBeCloseTo(1, 12);
    expect(r[2]).toBeCloseTo(1 + jitter, 12);
  });
});

describe('triangular solves', () => {
  const l = Float64Array.from(L);
  it('solves L x = b and Lᵀ x = b', () => {
    // L·[1, 2, 3] = [2, 8, 11]; Lᵀ·[1, 2, 3] = [2 + 12 − 24, 2 + 15, 9] = [−10, 17, 9]
    const x = new Float64Array(3);
    solveLower(l, 3, Float64Array.from([2, 8, 11]), x);
    expect(Array.from(x)).toEqual([1, 2, 3]);
    solveLowerTranspose(l, 3, Float64Array.from([-10, 17, 9]), x);
    expect(Array.from(x)).toEqual([1, 2, 3]);
  });

  it('solves A x = b through the factor (in place) and gives log det A', () => {
    // A·[1, −1, 2] = [4 − 12 − 32, 12 − 37 − 86, −16 + 43 + 196]
    const b = Float64Array.from([-40, -111, 223]);
    choleskySolve(l, 3, b, b);
    expect(b[0]).toBeCloseTo(1, 12);
    expect(b[1]).toBeCloseTo(-1, 12);
    expect(b[2]).toBeCloseTo(2, 12);
    expect(logDeterminantFromCholesky(l, 3)).toBeCloseTo(Math.log(36), 12); // det = (2·1·3)²
  });

  it('inverts A: A·A⁻¹ = I', () => {
    const inverse = new Float64Array(9);
    choleskyInverse(l, 3, inverse, new Float64Array(9));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i * 3 + k]! * inverse[k * 3 + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });
});

describe('solveUpper', () => {
  it('solves Lᵀ x = b from the row-major transpose, as solveLowerTranspose does from L', () => {
    const l = Float64Array.from(L);
    const upper = new Float64Array(9);
    transposeInto(l, 3, upper);
    expect(Array.from(upper)).toEqual([2, 6, -8, 0, 1, 5, 0, 0, 3]);
    const b = Float64Array.from([1, -2, 3]);
    const expected = new Float64Array(3);
    solveLowerTranspose(l, 3, b, expected);
    const x = Float64Array.from(b);
    solveUpper(upper, 3, x, x);
    for (let i = 0; i < 3; i++) expect(x[i]!).toBeCloseTo(expected[i]!, 12);
    // and Lᵀ x really is b
    for (let i = 0; i < 3; i++) {
      let t = 0;
      for (let k = 0; k < 3; k++) t += upper[i * 3 + k]! * x[k]!;
      expect(t).toBeCloseTo(b[i]!, 12);
    }
  });
});

describe('choleskyInverse on a larger matrix', () => {
  it('gives K⁻¹ with K K⁻¹ = I (n = 23, exercising the unrolled dot products)', () => {
    const n = 23;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        k[i * n + j] = Math.exp(-Math.abs(i - j) / 4) + (i === j ? 0.5 : 0);
    const l = new Float64Array(n * n);
    expect(cholesky(k, n, l)).toBe(true);
    const inverse = new Float64Array(n * n);
    choleskyInverse(l, n, inverse, new Float64Array(n * n));
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let t = 0;
        for (let m = 0; m < n; m++) t += k[i * n + m]! * inverse[m * n + j]!;
        expect(t).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });
});

describe('blocked Cholesky and inverse on every size parity', () => {
  /** A random symmetric positive definite n×n matrix B Bᵀ + n·I, deterministic in n. */
  function spd(n: number): Float64Array {
    let state = 12345 + n;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648 - 0.5;
    };
    const b = Array.from({ length: n * n }, next);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let t = i === j ? n : 0;
        for (let k = 0; k < n; k++) t += b[i * n + k]! * b[j * n + k]!;
        a[i * n + j] = t;
      }
    return a;
  }

  for (const n of [1, 2, 3, 4, 5, 8, 11, 24, 25]) {
    it(`n = ${n}: L Lᵀ = A with a zero upper triangle (even over garbage), and A·A⁻¹ = I`, () => {
      const a = spd(n);
      const l = new Float64Array(n * n).fill(7); // garbage the factorisation must overwrite
      expect(cholesky(a, n, l)).toBe(true);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (j > i) expect(l[i * n + j]).toBe(0);
          let t = 0;
          for (let k = 0; k < n; k++) t += l[i * n + k]! * l[j * n + k]!;
          expect(t).toBeCloseTo(a[i * n + j]!, 9);
        }
      const inPlace = Float64Array.from(a);
      expect(cholesky(inPlace, n, inPlace)).toBe(true);
      expect(Array.from(inPlace)).toEqual(Array.from(l));
      const inverse = new Float64Array(n * n);
      choleskyInverse(l, n, inverse, new Float64Array(n * n).fill(3));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          expect(inverse[i * n + j]).toBe(inverse[j * n + i]);
          let t = 0;
          for (let k = 0; k < n; k++) t += a[i * n + k]! * inverse[k * n + j]!;
          expect(t).toBeCloseTo(i === j ? 1 : 0, 9);
        }
    });
  }

  it('stops at the first pivot that is not positive, in either column of a pair', () => {
    // the second pivot (column 1 of the first pair) fails: [[1, 2], [2, 1]] is indefinite
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2, new Float64Array(4))).toBe(false);
    // a 3×3 whose third pivot (first column of the second pair) fails
    const a = Float64Array.from([1, 0, 1, 0, 1, 1, 1, 1, 1]);
    expect(cholesky(a, 3, new Float64Array(9))).toBe(false);
  });
});
