import { describe, expect, it } from 'vitest';
import { hypervolume } from '../../src/math/hypervolume.js';
import { Random } from '../../src/math/random.js';

/** Inclusion–exclusion over every subset: the union of the boxes [p, reference]. */
function bruteForce(points: readonly number[][], reference: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, k) => v < (reference[k] as number)));
  let total = 0;
  for (let mask = 1; mask < 1 << inside.length; mask++) {
    let volume = 1;
    let size = 0;
    for (let k = 0; k < reference.length; k++) {
      let corner = -Infinity;
      inside.forEach((p, i) => {
        if (mask & (1 << i)) corner = Math.max(corner, p[k] as number);
      });
      volume *= (reference[k] as number) - corner;
    }
    for (let i = 0; i < inside.length; i++) if (mask & (1 << i)) size++;
    total += size % 2 === 1 ? volume : -volume;
  }
  return total;
}

describe('hypervolume', () => {
  it('is the staircase area in 2-D, dominated and outside points adding nothing', () => {
    // rectangles of the staircase: 3·1 + 2·1 + 1·1
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBe(6);
    expect(
      hypervolume(
        [
          [3, 1],
          [2.5, 2.5],
          [1, 3],
          [2, 2],
          [5, 0],
          [4, 0],
        ],
        [4, 4],
      ),
    ).toBe(6);
    expect(hypervolume([], [1, 1])).toBe(0);
    expect(hypervolume([[0, 0]], [2, 3])).toBe(6);
  });

  it('is exact in 3-D on small sets worked out by hand', () => {
    expect(hypervolume([[1, 1, 1]], [2, 2, 2])).toBe(1);
    // A = [0,2]×[1,2]×[1,2], B = [1,2]×[0,2]×[1,2]: 2 + 2 − 1
    expect(
      hypervolume(
        [
          [0, 1, 1],
          [1, 0, 1],
        ],
        [2, 2, 2],
      ),
    ).toBe(3);
    // with C = [1,2]×[1,2]×[0,2]: 2 + 2 + 2 − 1 − 1 − 1 + 1
    expect(
      hypervolume(
        [
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
        [2, 2, 2],
      ),
    ).toBe(4);
    // DTLZ2's extreme points against (1.1, 1.1, 1.1)
    expect(
      hypervolume(
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        [1.1, 1.1, 1.1],
      ),
    ).toBeCloseTo(3 * 0.1 * 1.1 * 1.1 - 3 * 0.1 * 0.1 * 1.1 + 0.1 ** 3, 12);
  });

  it('matches inclusion–exclusion on random sets in 2, 3 and 4 dimensions', () => {
    const random = new Random(3);
    for (const d of [2, 3, 4]) {
      for (let round = 0; round < 25; round++) {
        const n = 1 + random.int(8);
        const points = Array.from({ length: n }, () =>
          Array.from({ length: d }, () => Math.round(random.next() * 10) / 10),
        );
        const reference = Array.from({ length: d }, () => 0.8 + random.next() * 0.4);
        expect(hypervolume(points, reference)).toBeCloseTo(bruteForce(points, reference), 12);
      }
    }
  });
});
