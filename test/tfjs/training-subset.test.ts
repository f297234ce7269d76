/**
 * Hyperband over training-set size: how a trial's resource becomes its training examples
 * (sizes, nested seeded subsets, rows copied with their labels).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nestedSubset, subsetSize, trainingSubset } from '../../src/tfjs/tuners/training-subset.js';

describe('subsetSize', () => {
  it('gives round(n·r/R) examples, at least one and at most all', () => {
    expect([1, 3, 9].map((r) => subsetSize(12_000, r, 9))).toEqual([1333, 4000, 12_000]);
    expect([1, 3, 9].map((r) => subsetSize(300, r, 9))).toEqual([33, 100, 300]);
    expect(subsetSize(5, 1, 27)).toBe(1); // round(0.19) would be none
    expect(subsetSize(10, 12, 9)).toBe(10);
  });
});

describe('nestedSubset', () => {
  it('draws ascending distinct indices, each smaller subset inside every larger one of its seed', () => {
    const sizes = [1, 7, 33, 100, 299, 300];
    const subsets = sizes.map((size) => nestedSubset(300, size, 5));
    subsets.forEach((subset, i) => {
      expect(subset).toHaveLength(sizes[i] as number);
      expect(new Set(subset).size).toBe(subset.length);
      for (let k = 1; k < subset.length; k++)
        expect(subset[k] as number).toBeGreaterThan(subset[k - 1] as number);
      expect(Math.max(...subset)).toBeLessThan(300);
      for (const larger of subsets.slice(i + 1)) {
        const has = new Set(larger);
        expect([...subset].every((index) => has.has(index))).toBe(true);
      }
    });
    expect(nestedSubset(300, 100, 5)).toEqual(subsets[3]);
    expect(nestedSubset(300, 100, 6)).not.toEqual(subsets[3]);
  });

  it('is uniform: over seeds, each example is drawn about size/n of the time', () => {
    const counts = new Float64Array(20);
    const seeds = 4000;
    for (let seed = 0; seed < seeds; seed++)
      for (const index of nestedSubset(20, 5, seed)) counts[index] = (counts[index] ?? 0) + 1;
    // binomial(4000, 1/4): sd 27, so 6 sd is 165
    for (const count of counts) expect(Math.abs(count - seeds / 4)).toBeLessThan(165);
  });
});

describe('trainingSubset', () => {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 3 })],
  });
  const n = 30;
  // example i is four values 100·i + 0..3; its sparse label is i, its one-hot label row i % 3
  const x = Float32Array.from({ length: n * 4 }, (_, k) => 100 * Math.floor(k / 4) + (k % 4));
  const sparse = Int32Array.from({ length: n }, (_, i) => i);
  const oneHot = Float32Array.from({ length: n * 3 }, (_, k) =>
    k % 3 === Math.floor(k / 3) % 3 ? 1 : 0,
  );

  it('keeps each example with its label, for flat labels, one-hot rows and tensors', () => {
    const fidelity = { maxResource: 3, seed: 2 };
    const cut = trainingSubset(model, x, sparse, 1, fidelity);
    expect(cut.size).toBe(10);
    expect(cut.x).toBeInstanceOf(Float32Array);
    expect(cut.y).toBeInstanceOf(Int32Array);
    expect(cut.x).toHaveLength(40);
    const indices = nestedSubset(n, 10, 2);
    expect([...cut.y]).toEqual([...indices]);
    indices.forEach((i, row) =>
      expect([...cut.x.subarray(row * 4, row * 4 + 4)]).toEqual(
        [0, 1, 2, 3].map((c) => 100 * i + c),
      ),
    );
    const hot = trainingSubset(model, x, oneHot, 2, fidelity);
    expect(hot.size).toBe(20);
    const hotIndices = nestedSubset(n, 20, 2);
    hotIndices.forEach((i, row) => {
      expect(hot.x[row * 4]).toBe(100 * i);
      expect([...hot.y.subarray(row * 3, row * 3 + 3)].indexOf(1)).toBe(i % 3);
    });
    const tensors = trainingSubset(
      model,
      tf.tensor(x, [n, 2, 2, 1]),
      tf.tensor(sparse, [n], 'int32'),
      1,
      fidelity,
    );
    expect([...tensors.x]).toEqual([...cut.x]);
    expect([...tensors.y]).toEqual([...cut.y]);
  });

  it('hands the whole set back untouched at the largest resource', () => {
    const all = trainingSubset(model, x, sparse, 3, { maxResource: 3, seed: 2 });
    expect(all.size).toBe(n);
    expect(all.x).toBe(x);
    expect(all.y).toBe(sparse);
  });

  it('refuses data whose examples it cannot tell apart', () => {
    expect(() =>
      trainingSubset(model, x.subarray(0, 10), sparse, 1, { maxResource: 3, seed: 2 }),
    ).toThrow(/DATA_SHAPE_MISMATCH|cannot tell the examples apart/);
  });
});
