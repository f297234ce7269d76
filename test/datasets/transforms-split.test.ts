import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../src/datasets/prng.js';
import {
  selectExamples,
  splitTrainValidation,
  stratifiedSample,
} from '../../src/datasets/split.js';
import { oneHot, toFloat32Images } from '../../src/datasets/transforms.js';
import type { ImageSplit } from '../../src/datasets/types.js';

/** 100 2x1x1 images: image i has pixels (i, 255 - i) and label i % 10. */
const split: ImageSplit = {
  images: Uint8Array.from({ length: 200 }, (_, k) => (k % 2 === 0 ? k / 2 : 255 - (k - 1) / 2)),
  labels: Uint8Array.from({ length: 100 }, (_, i) => i % 10),
  count: 100,
  shape: [2, 1, 1],
};

/** Recovers each example's original index from its first pixel. */
const ids = (s: ImageSplit) => Array.from({ length: s.count }, (_, i) => s.images[2 * i]);

describe('toFloat32Images and oneHot', () => {
  it('scales to [0, 1] or [-1, 1]', () => {
    const px = Uint8Array.from([0, 51, 255]);
    expect(Array.from(toFloat32Images(px))).toEqual([0, Math.fround(0.2), 1]);
    expect(Array.from(toFloat32Images(px, { range: 'symmetric' }))).toEqual([
      -1,
      Math.fround(-0.6),
      1,
    ]);
  });

  it('one-hot encodes rows and rejects labels out of range', () => {
    expect(Array.from(oneHot(Uint8Array.from([2, 0]), 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot(Uint8Array.from([3]), 3)).toThrow(
      /labels\[0\] must be below numClasses \(3\), got 3/,
    );
    expect(() => oneHot(Uint8Array.from([0]), 0)).toThrow(/numClasses must be an integer >= 1/);
  });
});

describe('splitTrainValidation', () => {
  it('is a seeded partition keeping examples whole and in order', () => {
    const { train, validation } = splitTrainValidation(split, { validationFraction: 0.2, seed: 7 });
    expect([train.count, validation.count]).toEqual([80, 20]);
    const all = [...ids(train), ...ids(validation)].sort((a = 0, b = 0) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const part of [train, validation]) {
      const order = ids(part);
      expect(order).toEqual([...order].sort((a = 0, b = 0) => a - b));
      for (let i = 0; i < part.count; i++) {
        const id = order[i] ?? -1;
        expect([part.images[2 * i + 1], part.labels[i]]).toEqual([255 - id, id % 10]);
      }
    }
    const again = splitTrainValidation(split, { validationFraction: 0.2, seed: 7 });
    expect(ids(again.validation)).toEqual(ids(validation));
    const other = splitTrainValidation(split, { validationCount: 20, seed: 8 });
    expect(ids(other.validation)).not.toEqual(ids(validation));
  });

  it('names the option at fault', () => {
    expect(() => splitTrainValidation(split, { seed: 1 })).toThrow(
      /validationFraction must be given/,
    );
    expect(() => splitTrainValidation(split, { validationFraction: 1, seed: 1 })).toThrow(
      /in \(0, 1\)/,
    );
    expect(() => splitTrainValidation(split, { validationCount: 100, seed: 1 })).toThrow(
      /validationCount must be/,
    );
  });
});

describe('stratifiedSample and the PRNG', () => {
  it('takes perClass examples of each class', () => {
    const sample = stratifiedSample(split, { perClass: 3, numClasses: 10, seed: 1 });
    const counts = new Array<number>(10).fill(0);
    sample.labels.forEach((l) => (counts[l] = (counts[l] ?? 0) + 1));
    expect(counts).toEqual(new Array(10).fill(3));
    expect(() => stratifiedSample(split, { perClass: 11, numClasses: 10, seed: 1 })).toThrow(
      /at most 10/,
    );
    expect(ids(selectExamples(split, [5, 2]))).toEqual([5, 2]);
  });

  it('gives reproducible, roughly uniform values in [0, 1)', () => {
    const a = seededUniform(42);
    const b = seededUniform(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    const buckets = new Array<number>(10).fill(0);
    xs.forEach((x) => (buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] ?? 0) + 1));
    for (const n of buckets) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});
