import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_FASHION_MNIST_SUBSET_DIR,
  DEBIAN_FASHION_MNIST_DIR,
  loadFashionMnist,
} from '../../src/datasets/fashion-mnist.js';
import type { ImageSplit } from '../../src/datasets/types.js';
import { tempDir } from './fixtures.js';

function requireDebianPackage(): void {
  if (!existsSync(DEBIAN_FASHION_MNIST_DIR)) {
    throw new Error(
      `${DEBIAN_FASHION_MNIST_DIR} is absent: run \`apt-get install dataset-fashion-mnist\` (CI must install it)`,
    );
  }
}

function classCounts(split: ImageSplit): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of split.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

function imageHashes(split: ImageSplit): string[] {
  const size = 28 * 28;
  return Array.from({ length: split.count }, (_, i) =>
    createHash('sha1')
      .update(split.images.subarray(i * size, (i + 1) * size))
      .update(Uint8Array.of(split.labels[i] ?? 255))
      .digest('hex'),
  );
}

describe('Fashion-MNIST from Debian and the bundled subset', () => {
  it('reads the real Debian package files', async () => {
    requireDebianPackage();
    const { dir, cleanup } = await tempDir();
    try {
      // An empty cache, no download: the Debian copy must be the one found.
      const ds = await loadFashionMnist({ cacheDir: dir, download: false });
      expect(ds.source).toBe('debian');
      expect(ds.dir).toBe(DEBIAN_FASHION_MNIST_DIR);
      expect([ds.train.count, ds.test.count]).toEqual([60_000, 10_000]);
      expect(ds.train.shape).toEqual([28, 28, 1]);
      expect(ds.train.images.length).toBe(60_000 * 784);
      expect(classCounts(ds.train)).toEqual(new Array(10).fill(6000));
      expect(classCounts(ds.test)).toEqual(new Array(10).fill(1000));
      // The published first examples: an ankle boot in both splits.
      expect([ds.train.labels[0], ds.test.labels[0]]).toEqual([9, 9]);
    } finally {
      await cleanup();
    }
  });

  it('falls back to the bundled subset, a stratified sample of the real data', async () => {
    requireDebianPackage();
    const { dir, cleanup } = await tempDir();
    try {
      const subset = await loadFashionMnist({
        cacheDir: dir,
        download: false,
        systemDirs: [],
        allowSubset: true,
      });
      expect(subset.source).toBe('bundled-subset');
      expect(subset.dir).toBe(BUNDLED_FASHION_MNIST_SUBSET_DIR);
      expect(subset.fallbackReason).toMatch(/download: false/);
      expect([subset.train.count, subset.test.count]).toEqual([10_000, 2_000]);
      expect(classCounts(subset.train)).toEqual(new Array(10).fill(1000));
      expect(classCounts(subset.test)).toEqual(new Array(10).fill(200));
      const full = await loadFashionMnist({ dataDir: DEBIAN_FASHION_MNIST_DIR });
      for (const part of ['train', 'test'] as const) {
        const known = new Set(imageHashes(full[part]));
        const missing = imageHashes(subset[part]).filter((h) => !known.has(h));
        expect(missing.length, `${part} subset examples absent from the full set`).toBe(0);
      }
    } finally {
      await cleanup();
    }
  });
});
