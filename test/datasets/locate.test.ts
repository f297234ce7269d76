import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCacheRoot } from '../../src/datasets/cache-dir.js';
import { loadFashionMnist } from '../../src/datasets/fashion-mnist.js';
import type { LoadDatasetOptions } from '../../src/datasets/types.js';
import { idxBytes, mnistLike, tempDir } from './fixtures.js';

/** Writes a tiny Fashion-MNIST whose training set has `count` images (to tell copies apart). */
async function writeCopy(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { images, labels } = mnistLike(count);
  const gz = (b: Uint8Array) => gzipSync(b);
  await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gz(idxBytes([count, 28, 28], images)));
  await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gz(idxBytes([count], labels)));
  await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), gz(idxBytes([count, 28, 28], images)));
  await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gz(idxBytes([count], labels)));
}

describe('lookup order', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => undefined;
  const dirs = { explicit: '', cacheRoot: '', debian: '', empty: '' };
  const base = (): LoadDatasetOptions => ({ env: {}, download: false });

  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir());
    dirs.explicit = join(root, 'explicit');
    dirs.cacheRoot = join(root, 'cache');
    dirs.debian = join(root, 'usr-share-datasets-fashion-mnist');
    dirs.empty = join(root, 'empty-cache');
    await writeCopy(dirs.explicit, 11);
    await writeCopy(join(dirs.cacheRoot, 'fashion-mnist'), 12);
    await writeCopy(dirs.debian, 13);
  });
  afterAll(() => cleanup());

  it('takes the explicit directory first', async () => {
    const ds = await loadFashionMnist({
      ...base(),
      dataDir: dirs.explicit,
      cacheDir: dirs.cacheRoot,
      systemDirs: [dirs.debian],
    });
    expect([ds.source, ds.dir, ds.train.count]).toEqual(['explicit', dirs.explicit, 11]);
  });

  it('accepts an explicit directory holding a fashion-mnist/ folder', async () => {
    const ds = await loadFashionMnist({ ...base(), dataDir: dirs.cacheRoot });
    expect([ds.source, ds.dir]).toEqual(['explicit', join(dirs.cacheRoot, 'fashion-mnist')]);
  });

  it('looks only in an explicit directory, and says so when it lacks the files', async () => {
    const error = loadFashionMnist({ ...base(), dataDir: dirs.empty, cacheDir: dirs.cacheRoot });
    await expect(error).rejects.toMatchObject({
      code: 'DATASET_NOT_FOUND',
      field: 'dataDir',
      message: expect.stringContaining(`not found in dataDir ${dirs.empty}`),
    });
  });

  it('then the cache: the cacheDir option, $HYPERTUNER_DATA_DIR, $XDG_CACHE_HOME/hypertuner', async () => {
    const options = { ...base(), systemDirs: [dirs.debian] };
    const byOption = await loadFashionMnist({
      ...options,
      cacheDir: dirs.cacheRoot,
      env: { HYPERTUNER_DATA_DIR: dirs.empty },
    });
    expect([byOption.source, byOption.dir, byOption.train.count]).toEqual([
      'cache',
      join(dirs.cacheRoot, 'fashion-mnist'),
      12,
    ]);
    const byEnv = await loadFashionMnist({
      ...options,
      env: { HYPERTUNER_DATA_DIR: dirs.cacheRoot, XDG_CACHE_HOME: dirs.empty },
    });
    expect(byEnv.source).toBe('cache');
    const xdg = join(root, 'xdg');
    await writeCopy(join(xdg, 'hypertuner', 'fashion-mnist'), 14);
    const byXdg = await loadFashionMnist({ ...options, env: { XDG_CACHE_HOME: xdg } });
    expect([byXdg.source, byXdg.train.count]).toEqual(['cache', 14]);
  });

  it('then the Debian directory', async () => {
    const ds = await loadFashionMnist({
      ...base(),
      cacheDir: dirs.empty,
      systemDirs: [join(root, 'nope'), dirs.debian],
    });
    expect([ds.source, ds.dir, ds.train.count]).toEqual(['debian', dirs.debian, 13]);
  });

  it('then (downloads off) the bundled subset when allowed', async () => {
    const ds = await loadFashionMnist({
      ...base(),
      cacheDir: dirs.empty,
      systemDirs: [],
      allowSubset: true,
      limitTrain: 5,
      limitTest: 5,
    });
    expect(ds.source).toBe('bundled-subset');
    expect(ds.dir).toMatch(/data[\\/]fashion-mnist-subset[\\/]?$/);
    expect(ds.train.count).toBe(5);
  });

  it('else fails saying which files to put where', async () => {
    const error = loadFashionMnist({ ...base(), cacheDir: dirs.empty, systemDirs: [] });
    await expect(error).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    const message = await error.catch((e: Error) => e.message);
    expect(message).toContain('train-images-idx3-ubyte.gz');
    expect(message).toContain('t10k-labels-idx1-ubyte.gz');
    expect(message).toContain(join(dirs.empty, 'fashion-mnist'));
    expect(message).toContain('apt-get install dataset-fashion-mnist');
    expect(message).toContain('download: false');
  });
});

describe('resolveCacheRoot', () => {
  it('prefers cacheDir, then HYPERTUNER_DATA_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    const env = { HYPERTUNER_DATA_DIR: '/d', XDG_CACHE_HOME: '/x', HOME: '/h' };
    expect(resolveCacheRoot({ cacheDir: '/c', env })).toBe('/c');
    expect(resolveCacheRoot({ env })).toBe('/d');
    expect(resolveCacheRoot({ env: { ...env, HYPERTUNER_DATA_DIR: '' } })).toBe(
      join('/x', 'hypertuner'),
    );
    expect(resolveCacheRoot({ env: { HOME: '/h' } })).toBe(join('/h', '.cache', 'hypertuner'));
  });
});
