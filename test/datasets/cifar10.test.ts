import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../src/datasets/cifar10.js';
import { parseCifar10Batch } from '../../src/datasets/cifar10-binary.js';
import { readTar } from '../../src/datasets/tar.js';
import type { ImageSplit } from '../../src/datasets/types.js';
import { cifarBatch, cifarValue, tarArchive, tempDir } from './fixtures.js';

const PER_BATCH = 3;
const NAMES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
];

/** Checks every pixel of `split` against the fixture formula, NHWC. */
function expectPixels(split: ImageSplit, batchOf: (i: number) => [number, number]): void {
  for (let n = 0; n < split.count; n++) {
    const [b, i] = batchOf(n);
    expect(split.labels[n]).toBe((b + i) % 10);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          const got = split.images[((n * 32 + y) * 32 + x) * 3 + c];
          if (got !== cifarValue(b, i, y, x, c)) {
            throw new Error(
              `image ${n} pixel (${y}, ${x}) channel ${c}: ${got} != ${cifarValue(b, i, y, x, c)}`,
            );
          }
        }
      }
    }
  }
}

describe('CIFAR-10 binary', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => undefined;
  const batches = NAMES.map((_, b) => cifarBatch(b, PER_BATCH));

  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir());
    const loose = join(root, 'loose', 'cifar-10-batches-bin');
    await mkdir(loose, { recursive: true });
    await Promise.all(
      NAMES.map((name, b) => writeFile(join(loose, name), batches[b] ?? new Uint8Array())),
    );
    const archive = tarArchive(
      NAMES.map((name, b) => ({
        path: `cifar-10-batches-bin/${name}`,
        data: batches[b] ?? new Uint8Array(),
      })),
    );
    await mkdir(join(root, 'archive'));
    await writeFile(join(root, 'archive', 'cifar-10-binary.tar.gz'), gzipSync(archive));
  });
  afterAll(() => cleanup());

  it('converts planar records to NHWC', () => {
    const split = parseCifar10Batch(cifarBatch(2, 4), 'b');
    expect(split.shape).toEqual([32, 32, 3]);
    expect(split.count).toBe(4);
    expectPixels(split, (n) => [2, n]);
  });

  it('rejects partial records and bad labels with DATASET_FORMAT', () => {
    expect(() => parseCifar10Batch(new Uint8Array(3074), 'x.bin')).toThrow(
      /x\.bin: 3074 bytes is not a whole number of 3073-byte/,
    );
    const bad = cifarBatch(0, 2);
    bad[3073] = 10;
    expect(() => parseCifar10Batch(bad, 'y.bin')).toThrow(/record 1 has label 10/);
  });

  it('rejects an empty batch file with DATASET_FORMAT naming the file', () => {
    expect(() => parseCifar10Batch(new Uint8Array(0), 'test_batch.bin')).toThrow(
      expect.objectContaining({
        code: 'DATASET_FORMAT',
        field: 'test_batch.bin',
        message: expect.stringMatching(/test_batch\.bin: is empty \(0 bytes\)/) as unknown,
      }),
    );
    // a limit of 0 records is the caller's choice, not an empty file
    expect(parseCifar10Batch(cifarBatch(0, 2), 'b', 0).count).toBe(0);
  });

  it('loads the batch files of a cifar-10-batches-bin folder', async () => {
    const ds = await loadCifar10({ dataDir: join(root, 'loose') });
    expect(ds.source).toBe('explicit');
    expect(ds.dir).toBe(join(root, 'loose'));
    expect([ds.train.count, ds.test.count]).toEqual([5 * PER_BATCH, PER_BATCH]);
    expectPixels(ds.train, (n) => [Math.floor(n / PER_BATCH), n % PER_BATCH]);
    expectPixels(ds.test, (n) => [5, n]);
    expect(ds.classNames).toHaveLength(10);
  });

  it('loads the official tar.gz layout, with limits across batches', async () => {
    const ds = await loadCifar10({ dataDir: join(root, 'archive'), limitTrain: 7, limitTest: 2 });
    expect(ds.dir).toBe(join(root, 'archive'));
    expect([ds.train.count, ds.test.count]).toEqual([7, 2]);
    expectPixels(ds.train, (n) => [Math.floor(n / PER_BATCH), n % PER_BATCH]);
    expectPixels(ds.test, (n) => [5, n]);
  });

  it('reads ustar archives and rejects corrupt ones', () => {
    const archive = tarArchive([{ path: 'a/b.txt', data: Uint8Array.from([1, 2, 3]) }]);
    const entries = readTar(archive, 't.tar');
    expect(entries.map((e) => e.path)).toEqual(['a/b.txt']);
    expect(Array.from(entries[0]?.data ?? [])).toEqual([1, 2, 3]);
    const corrupt = archive.slice();
    corrupt[512 + 10] = (corrupt[512 + 10] ?? 0) ^ 0xff; // a byte of the file header name
    expect(() => readTar(corrupt, 't.tar')).toThrow(/t\.tar: bad tar header checksum/);
    expect(() => readTar(archive.subarray(0, 1025), 't.tar')).toThrow(/truncated/);
  });

  it('says which files to put where when the archive lacks a batch', async () => {
    const dir = join(root, 'partial');
    await mkdir(dir);
    const archive = tarArchive([
      { path: 'cifar-10-batches-bin/test_batch.bin', data: cifarBatch(0, 1) },
    ]);
    await writeFile(join(dir, 'cifar-10-binary.tar.gz'), gzipSync(archive));
    await expect(loadCifar10({ dataDir: dir })).rejects.toMatchObject({
      code: 'DATASET_FORMAT',
      message: expect.stringMatching(/archive has no cifar-10-batches-bin\/data_batch_1\.bin/),
    });
    await expect(loadCifar10({ dataDir: join(root, 'nowhere') })).rejects.toMatchObject({
      code: 'DATASET_NOT_FOUND',
      message: expect.stringMatching(/cifar-10-binary\.tar\.gz/),
    });
  });

  it('says an archive is empty rather than missing a batch', async () => {
    const dir = join(root, 'empty-archive');
    await mkdir(dir);
    await writeFile(join(dir, 'cifar-10-binary.tar.gz'), new Uint8Array(0));
    await expect(loadCifar10({ dataDir: dir })).rejects.toMatchObject({
      code: 'DATASET_FORMAT',
      field: 'cifar-10-binary.tar.gz',
      message: expect.stringMatching(/cifar-10-binary\.tar\.gz: is empty \(0 bytes\)/),
    });
    // a gzipped tar with no file in it (two zero blocks)
    await writeFile(join(dir, 'cifar-10-binary.tar.gz'), gzipSync(new Uint8Array(1024)));
    await expect(loadCifar10({ dataDir: dir })).rejects.toMatchObject({
      code: 'DATASET_FORMAT',
      message: expect.stringMatching(/holds no files; is the archive empty or truncated/),
    });
  });
});
