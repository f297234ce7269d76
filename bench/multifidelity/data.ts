/**
 * The benchmark's data: training and validation images both carved from Fashion-MNIST's
 * TRAINING split, disjoint, drawn afresh for each seed (so a verdict does not hang on one
 * particular subset of images). The test split is never read: it stays untouched for a final,
 * unbiased evaluation, which a benchmark of validation accuracy has no business using.
 */
import type { ImageSplit } from '../../src/datasets/index.js';
import { loadFashionMnist, seededUniform, selectExamples } from '../../src/datasets/index.js';
import type { ExampleArrays } from '../../src/tfjs/index.js';
import { imageSplitToArrays } from '../../src/tfjs/index.js';

export interface BenchData {
  /** The whole training split of Fashion-MNIST (60,000 images from Debian's package). */
  readonly pool: ImageSplit;
  /** Where it came from (`debian`, `cache`, ...; `bundled-subset` has only 10,000 images). */
  readonly source: string;
}

/** Loads Fashion-MNIST's training split only; never downloads. */
export async function loadPool(): Promise<BenchData> {
  const data = await loadFashionMnist({ limitTest: 0, allowSubset: true, download: false });
  return { pool: data.train, source: data.source };
}

export interface SeedData {
  readonly train: ExampleArrays;
  readonly validation: ExampleArrays;
}

/**
 * `train` training and `validation` validation images drawn at random (seeded) without
 * replacement from `pool`: no image is in both.
 */
export function carveSplits(
  pool: ImageSplit,
  sizes: { readonly train: number; readonly validation: number; readonly seed: number },
): SeedData {
  const { train, validation, seed } = sizes;
  if (train + validation > pool.count) {
    throw new Error(
      `bench:multifidelity: ${train} training + ${validation} validation images are more than the ${pool.count} of the training split.`,
    );
  }
  // a partial Fisher-Yates shuffle: the first train + validation indices are a random sample
  const uniform = seededUniform(0xda7a ^ seed);
  const order = Int32Array.from({ length: pool.count }, (_, i) => i);
  for (let i = 0; i < train + validation; i++) {
    const j = i + Math.floor(uniform() * (pool.count - i));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return {
    train: imageSplitToArrays(selectExamples(pool, order.subarray(0, train))),
    validation: imageSplitToArrays(selectExamples(pool, order.subarray(train, train + validation))),
  };
}
