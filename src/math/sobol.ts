/**
 * The Sobol sequence in [0, 1)^d (d ≤ 256) with Joe and Kuo's direction numbers, 32 bits per
 * coordinate, optionally scrambled by a random linear matrix scrambling and a digital shift
 * (Matoušek 1998; what scipy's `Sobol(scramble=True)`, behind Optuna's QMCSampler, does).
 * Point i is computed directly from the Gray code of i, so any index can be asked for.
 * Dimensions are nested: a coordinate does not depend on how many dimensions are asked for.
 */
import { Random, deriveSeed } from './random.js';
import { SOBOL_DIRECTION_NUMBERS } from './sobol-direction-numbers.js';

const BITS = 32;
const TWO_32 = 4294967296;

/** The dimensions the direction numbers cover. */
export const SOBOL_MAX_DIMENSION = 256;

let table: Uint32Array[] | undefined;

/** The 32 direction integers of each dimension (bit 31 is the first binary digit). */
function directionIntegers(): Uint32Array[] {
  if (table !== undefined) return table;
  const first = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) first[k] = 2 ** (BITS - 1 - k);
  const rows = [first];
  for (const entry of SOBOL_DIRECTION_NUMBERS.split(' ')) {
    const [poly, initial] = entry.split(':') as [string, string];
    const p = Number(poly);
    const s = Math.floor(Math.log2(p));
    const m = initial.split('.').map(Number);
    // m_k = 2a1·m_{k−1} ⊕ 4a2·m_{k−2} ⊕ … ⊕ 2^(s−1)a_{s−1}·m_{k−s+1} ⊕ 2^s·m_{k−s} ⊕ m_{k−s}
    for (let k = s; k < BITS; k++) {
      let next = (m[k - s] as number) ^ ((m[k - s] as number) * 2 ** s);
      for (let i = 1; i < s; i++) {
        const a = (p >> (s - i)) & 1;
        if (a === 1) next ^= (m[k - i] as number) * 2 ** i;
      }
      m.push(next >>> 0);
    }
    rows.push(Uint32Array.from(m, (mk, k) => (mk * 2 ** (BITS - 1 - k)) >>> 0));
  }
  table = rows;
  return rows;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** L·v over GF(2), digit by digit: output digit i is the parity of v's digits masked by row i. */
function multiply(rows: Uint32Array, v: number): number {
  let out = 0;
  for (let i = 0; i < BITS; i++) out |= parity(v & (rows[i] as number)) << (BITS - 1 - i);
  return out >>> 0;
}

export interface SobolOptions {
  /** Scramble (random linear matrix scrambling plus a digital shift); default false. */
  readonly scramble?: boolean;
  /** Seed of the scrambling (default 0). */
  readonly seed?: number;
}

export class Sobol {
  readonly dimension: number;
  readonly #directions: Uint32Array[];
  readonly #shifts: Uint32Array;

  constructor(dimension: number, options: SobolOptions = {}) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION)
      throw new RangeError(`Sobol dimension must be 1..${SOBOL_MAX_DIMENSION}; got ${dimension}`);
    this.dimension = dimension;
    const plain = directionIntegers().slice(0, dimension);
    this.#shifts = new Uint32Array(dimension);
    if (options.scramble !== true) {
      this.#directions = plain;
      return;
    }
    const seed = options.seed ?? 0;
    this.#directions = plain.map((directions, j) => {
      // a random lower-triangular matrix with a unit diagonal: row i holds digits 0..i
      const random = new Random(deriveSeed(seed, j, 0x50b01));
      const rows = new Uint32Array(BITS);
      for (let i = 0; i < BITS; i++) {
        let row = 2 ** (BITS - 1 - i);
        for (let l = 0; l < i; l++) if (random.next() < 0.5) row += 2 ** (BITS - 1 - l);
        rows[i] = row >>> 0;
      }
      this.#shifts[j] = random.nextUint32();
      return Uint32Array.from(directions, (v) => multiply(rows, v));
    });
  }

  /** Writes point number `index` (0 ≤ index < 2³²) into `out[offset..offset+dimension)`. */
  point(index: number, out: Float64Array, offset = 0): void {
    const gray = (index ^ (index >>> 1)) >>> 0;
    for (let j = 0; j < this.dimension; j++) {
      const directions = this.#directions[j] as Uint32Array;
      let x = this.#shifts[j] as number;
      for (let k = 0, g = gray; g !== 0; k++, g >>>= 1)
        if ((g & 1) === 1) x ^= directions[k] as number;
      out[offset + j] = (x >>> 0) / TWO_32;
    }
  }
}
