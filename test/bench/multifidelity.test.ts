import { describe, expect, it } from 'vitest';
import { carveSplits } from '../../bench/multifidelity/data.js';
import type { MethodRun } from '../../bench/multifidelity/methods.js';
import { METHODS, searchSeed } from '../../bench/multifidelity/methods.js';
import { seedFigures, summarise } from '../../bench/multifidelity/report.js';
import { accuracyStandardError, median, medianInterval } from '../../bench/multifidelity/stats.js';
import type { ImageSplit } from '../../src/datasets/index.js';

/** A pool of `count` 28x28 images whose first two bytes spell the image's index. */
function indexedPool(count: number): ImageSplit {
  const size = 28 * 28;
  const images = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) {
    images[i * size] = i >> 8;
    images[i * size + 1] = i & 255;
  }
  return { images, labels: new Uint8Array(count), count, shape: [28, 28, 1] };
}

function indicesOf(x: Float32Array, count: number): number[] {
  const size = 28 * 28;
  return Array.from(
    { length: count },
    (_, i) =>
      Math.round((x[i * size] as number) * 255) * 256 +
      Math.round((x[i * size + 1] as number) * 255),
  );
}

const run = (method: MethodRun['method'], seed: number, curve: number[]): MethodRun => ({
  method,
  seed,
  curve,
  trials: 1,
  pruned: 0,
  seconds: 0,
});

describe('bench:multifidelity statistics', () => {
  it('medianInterval is the sign test interval: order statistics with their exact binomial coverage', () => {
    const ten = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    // n = 10: [x(2), x(9)] covers with 1 - 2 * P(B <= 1) = 1 - 2 * 11/1024; [x(3), x(8)] only 0.891
    expect(medianInterval(ten)).toEqual({ low: 2, high: 9, coverage: 1 - 22 / 1024 });
    expect(medianInterval(ten, 0.8)).toEqual({ low: 3, high: 8, coverage: 1 - 112 / 1024 });
    // n = 5: only [min, max], coverage 1 - 2/32; n = 4 cannot reach 90%
    expect(medianInterval([5, 4, 3, 2, 1])).toEqual({ low: 1, high: 5, coverage: 1 - 2 / 32 });
    expect(medianInterval([1, 2, 3, 4])).toBeUndefined();
    expect(medianInterval([0.2, Infinity, 0.3, Infinity, 0.4])?.high).toBe(Infinity);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('accuracyStandardError is sqrt(p(1-p)/n)', () => {
    expect(accuracyStandardError(0.85, 20000)).toBeCloseTo(0.0025249, 6);
    expect(accuracyStandardError(0.5, 100)).toBeCloseTo(0.05, 12);
  });

  it('figures: epochs to reach random search best, ratio, gain and verdicts', () => {
    const random = Array.from({ length: 9 }, (_, i) => 0.7 + 0.01 * i); // best 0.78 at epoch 9
    const figures = [0, 1, 2, 3, 4].flatMap((seed) =>
      seedFigures([
        run('random', seed, random),
        run('hyperband', seed, [0.5, 0.79, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]),
        run('bo-asha', seed, seed < 3 ? [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7] : random),
      ]),
    );
    const hb = figures.find((f) => f.method === 'hyperband' && f.seed === 0);
    expect(hb?.epochsToRandomBest).toBe(2);
    expect(hb?.ratioToRandom).toBeCloseTo(2 / 9, 12);
    const bo = figures.find((f) => f.method === 'bo-asha' && f.seed === 0);
    expect(bo?.epochsToRandomBest).toBeNull();
    const [, hbSummary, boSummary] = summarise(figures);
    expect(hbSummary?.gainOverRandom).toBeCloseTo(0.01, 12);
    expect(hbSummary?.verdicts).toEqual({ beatRandom: 'PASS', epochsFraction: 'PASS' });
    // three of five seeds never reach: the median counts them as Infinity
    expect(boSummary?.ratioToRandom).toBe(Infinity);
    expect(boSummary?.verdicts).toEqual({ beatRandom: 'FAIL', epochsFraction: 'FAIL' });
    expect(boSummary?.ratioInterval).toEqual({ low: 1, high: Infinity, coverage: 1 - 2 / 32 });
    // the per-seed counts behind the medians
    expect(hbSummary).toMatchObject({ seeds: 5, seedsAhead: 5, seedsWithinFraction: 5 });
    expect(boSummary).toMatchObject({ seeds: 5, seedsAhead: 0, seedsWithinFraction: 0 });
  });
});

describe('bench:multifidelity data and seeds', () => {
  it('carves disjoint training and validation images, the same for a seed, others for another', () => {
    const pool = indexedPool(1000);
    const a = carveSplits(pool, { train: 300, validation: 500, seed: 1 });
    const train = indicesOf(a.train.x, 300);
    const validation = indicesOf(a.validation.x, 500);
    expect(new Set(train).size).toBe(300);
    expect(new Set(validation).size).toBe(500);
    expect(train.filter((i) => validation.includes(i))).toEqual([]);
    const again = carveSplits(pool, { train: 300, validation: 500, seed: 1 });
    expect(indicesOf(again.train.x, 300)).toEqual(train);
    const other = carveSplits(pool, { train: 300, validation: 500, seed: 2 });
    expect(indicesOf(other.train.x, 300)).not.toEqual(train);
    expect(() => carveSplits(pool, { train: 600, validation: 500, seed: 1 })).toThrow(/more than/);
  });

  it('gives random search, Hyperband and BayesianOptimization their own search seeds; the Hyperbands share one', () => {
    const independent = METHODS.filter((m) => m !== 'hyperband-tpe');
    const seeds = [0, 1, 2, 3].flatMap((seed) => independent.map((m) => searchSeed(seed, m)));
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(searchSeed(2, 'hyperband-tpe')).toBe(searchSeed(2, 'hyperband'));
  });
});
