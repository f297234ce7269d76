import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/datasets/errors.js';
import { findIdxFiles, readIdxSplit } from '../../src/datasets/idx-files.js';
import { encodeIdx, parseIdx, readIdxFile } from '../../src/datasets/idx.js';
import { loadFashionMnist } from '../../src/datasets/fashion-mnist.js';
import { loadMnist } from '../../src/datasets/mnist.js';
import { idxBytes, mnistLike, tempDir } from './fixtures.js';

function formatError(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('parseIdx', () => {
  it('reads dims and data of an unsigned-byte array', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const idx = parseIdx(idxBytes([2, 3, 4], data), 'x', 3);
    expect(idx.dims).toEqual([2, 3, 4]);
    expect(Array.from(idx.data)).toEqual(Array.from(data));
  });

  it('rejects a wrong magic number, type, rank and size with DATASET_FORMAT', () => {
    const good = idxBytes([2, 2], new Uint8Array(4));
    const notIdx = good.slice();
    notIdx[0] = 0x1f;
    expect(formatError(() => parseIdx(notIdx, 'a.idx')).message).toMatch(
      /a\.idx: bad IDX magic number 0x1f/,
    );
    const float = good.slice();
    float[2] = 0x0d;
    expect(formatError(() => parseIdx(float, 'f')).message).toMatch(
      /data type 0x0d is not supported/,
    );
    const e = formatError(() => parseIdx(good, 'labels', 1));
    expect(e.code).toBe('DATASET_FORMAT');
    expect(e.message).toMatch(/expected 1 dimension \(magic 0x00000801\), found 2/);
    const short = good.subarray(0, good.length - 1);
    expect(formatError(() => parseIdx(short, 's')).message).toMatch(
      /\[2, 2\] = 4 bytes of data, file has 3/,
    );
    expect(formatError(() => parseIdx(new Uint8Array(2), 'tiny')).message).toMatch(/too short/);
  });

  it('encodeIdx writes what parseIdx reads (and the hand-written layout)', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(encodeIdx([3, 2], data))).toEqual(Array.from(idxBytes([3, 2], data)));
  });
});

describe('IDX files, gzipped and plain', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  const train = mnistLike(30);
  const test = mnistLike(12);

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    // Train files gzipped, test files plain: both must be read.
    await writeFile(
      join(dir, 'train-images-idx3-ubyte.gz'),
      gzipSync(idxBytes([30, 28, 28], train.images)),
    );
    await writeFile(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      gzipSync(idxBytes([30], train.labels)),
    );
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), idxBytes([12, 28, 28], test.images));
    await writeFile(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([12], test.labels));
  });
  afterAll(() => cleanup());

  it('reads a gzipped and a plain file to the same bytes', async () => {
    const gz = await readIdxFile(join(dir, 'train-labels-idx1-ubyte.gz'), 1);
    expect(Array.from(gz.data)).toEqual(Array.from(train.labels));
    const plain = await readIdxFile(join(dir, 't10k-images-idx3-ubyte'), 3);
    expect(plain.dims).toEqual([12, 28, 28]);
    expect(plain.data[(5 * 28 + 2) * 28 + 3]).toBe((5 * 7 + 2 * 3 + 3) % 256);
  });

  it('loads a dataset from a directory of mixed files, with limits', async () => {
    const ds = await loadFashionMnist({ dataDir: dir, limitTrain: 25 });
    expect(ds.source).toBe('explicit');
    expect(ds.dir).toBe(dir);
    expect(ds.train.count).toBe(25);
    expect(ds.train.shape).toEqual([28, 28, 1]);
    expect(ds.train.images.length).toBe(25 * 784);
    expect(Array.from(ds.train.labels)).toEqual(Array.from(train.labels.subarray(0, 25)));
    expect(ds.test.count).toBe(12);
    expect(Array.from(ds.test.images)).toEqual(Array.from(test.images));
    expect(ds.classNames[9]).toBe('Ankle boot');
  });

  it('rejects bad limits with DATASET_INVALID_OPTION naming the option', async () => {
    await expect(loadFashionMnist({ dataDir: dir, limitTest: -1 })).rejects.toMatchObject({
      code: 'DATASET_INVALID_OPTION',
      field: 'limitTest',
    });
  });

  it('checks that there are images, image and label counts agree and labels are in range', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'i'), idxBytes([3, 2, 2], new Uint8Array(12)));
    await writeFile(join(bad, 'l'), idxBytes([2], new Uint8Array(2)));
    await writeFile(join(bad, 'l2'), idxBytes([3], Uint8Array.from([0, 10, 1])));
    await expect(readIdxSplit(join(bad, 'i'), join(bad, 'l'), 10)).rejects.toThrow(
      /has 2 labels but .* has 3 images/,
    );
    await expect(readIdxSplit(join(bad, 'i'), join(bad, 'l2'), 10)).rejects.toThrow(
      /label 10 at index 1/,
    );
    await writeFile(join(bad, 'i0'), idxBytes([0, 28, 28], new Uint8Array(0)));
    await writeFile(join(bad, 'l0'), idxBytes([0], new Uint8Array(0)));
    await expect(readIdxSplit(join(bad, 'i0'), join(bad, 'l0'), 10)).rejects.toMatchObject({
      code: 'DATASET_FORMAT',
      field: join(bad, 'i0'),
      message: expect.stringMatching(/i0: declares 0 images/) as unknown,
    });
    await writeFile(join(bad, 'g.gz'), Uint8Array.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(readIdxFile(join(bad, 'g.gz'))).rejects.toMatchObject({ code: 'DATASET_FORMAT' });
  });

  it('rejects MNIST or Fashion-MNIST files whose images are not 28x28, naming the file', async () => {
    const wide = join(dir, 'wide');
    await mkdir(wide);
    const images = idxBytes([2, 32, 32], new Uint8Array(2 * 32 * 32));
    const labels = idxBytes([2], Uint8Array.from([0, 1]));
    await writeFile(join(wide, 'train-images-idx3-ubyte'), images);
    await writeFile(join(wide, 'train-labels-idx1-ubyte'), labels);
    await writeFile(join(wide, 't10k-images-idx3-ubyte'), images);
    await writeFile(join(wide, 't10k-labels-idx1-ubyte'), labels);
    for (const load of [loadFashionMnist, loadMnist]) {
      await expect(load({ dataDir: wide })).rejects.toMatchObject({
        code: 'DATASET_FORMAT',
        field: join(wide, 'train-images-idx3-ubyte'),
        message: expect.stringMatching(
          /images are 32x32; this dataset's images are 28x28/,
        ) as unknown,
      });
    }
  });

  it('finds files under the dotted names of other mirrors', async () => {
    const dotted = join(dir, 'dotted');
    await mkdir(dotted);
    for (const name of [
      'train-images.idx3-ubyte',
      'train-labels.idx1-ubyte',
      't10k-images.idx3-ubyte',
      't10k-labels.idx1-ubyte',
    ]) {
      await writeFile(join(dotted, name), '');
    }
    const paths = await findIdxFiles(dotted);
    expect(paths?.testLabels).toBe(join(dotted, 't10k-labels.idx1-ubyte'));
    expect(await findIdxFiles(join(dir, 'bad'))).toBeUndefined();
  });
});
