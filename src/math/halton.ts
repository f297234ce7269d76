/**
 * A scrambled Halton sequence: a low-discrepancy sequence in [0, 1)^d whose digits (base =
 * the k-th prime for dimension k) pass through random permutations, one per dimension and
 * digit position (random digit scrambling). Scrambling removes the correlations between
 * high dimensions of the plain sequence and makes each seed give a different, equally
 * well-spread point set. Zero digits beyond an index's length are permuted too, so every
 * point is randomised down to double precision.
 */
import { Random } from './random.js';

/** The first `count` primes. */
export function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    let prime = true;
    for (const p of primes) {
      if (p * p > candidate) break;
      if (candidate % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes.push(candidate);
  }
  return primes;
}

export class ScrambledHalton {
  readonly dimension: number;
  readonly #bases: number[];
  /** Per dimension, `depth` permutations of 0..base−1 laid end to end. */
  readonly #permutations: Uint16Array[];
  readonly #depths: number[];

  constructor(dimension: number, seed: number) {
    this.dimension = dimension;
    this.#bases = firstPrimes(dimension);
    const random = new Random(seed);
    this.#depths = this.#bases.map((b) => Math.ceil(52 / Math.log2(b)));
    this.#permutations = this.#bases.map((base, k) => {
      const depth = this.#depths[k] as number;
      const table = new Uint16Array(base * depth);
      for (let level = 0; level < depth; level++) {
        const perm = random.shuffle(Array.from({ length: base }, (_, i) => i));
        for (let i = 0; i < base; i++) table[level * base + i] = perm[i] as number;
      }
      return table;
    });
  }

  /** Writes point number `index` (≥ 0) into `out[offset..offset+dimension)`. */
  point(index: number, out: Float64Array, offset = 0): void {
    for (let k = 0; k < this.dimension; k++) {
      const base = this.#bases[k] as number;
      const table = this.#permutations[k] as Uint16Array;
      const depth = this.#depths[k] as number;
      let rest = index;
      let factor = 1 / base;
      let value = 0;
      for (let level = 0; level < depth; level++) {
        const digit = rest % base;
        rest = (rest - digit) / base;
        value += (table[level * base + digit] as number) * factor;
        factor /= base;
      }
      out[offset + k] = value < 1 ? value : 1 - Number.EPSILON;
    }
  }

  /** Points `start .. start+count−1` as a row-major count × dimension array. */
  points(start: number, count: number): Float64Array {
    const out = new Float64Array(count * this.dimension);
    for (let i = 0; i < count; i++) this.point(start + i, out, i * this.dimension);
    return out;
  }
}
