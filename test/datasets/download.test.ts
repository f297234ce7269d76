import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { downloadFile } from '../../src/datasets/download.js';
import { FASHION_MNIST_SPEC, loadFashionMnist } from '../../src/datasets/fashion-mnist.js';
import { readIdxDataset } from '../../src/datasets/idx-files.js';
import { locateDataset } from '../../src/datasets/locate.js';
import { idxBytes, mnistLike, tempDir } from './fixtures.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** Files the server serves: a tiny Fashion-MNIST, gzipped, plus a 200 kB blob. */
const { images, labels } = mnistLike(20);
const files = new Map<string, Uint8Array>([
  ['train-images-idx3-ubyte.gz', gzipSync(idxBytes([20, 28, 28], images))],
  ['train-labels-idx1-ubyte.gz', gzipSync(idxBytes([20], labels))],
  ['t10k-images-idx3-ubyte.gz', gzipSync(idxBytes([20, 28, 28], images))],
  ['t10k-labels-idx1-ubyte.gz', gzipSync(idxBytes([20], labels))],
  ['blob.bin', Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31) % 251)],
]);

let server: Server;
let base = '';
/** A loopback URL where nothing listens (a port just freed). */
let refused = '';
let requests: string[] = [];

/**
 * Routes: /files/NAME (whole, with Content-Length), /chunked/NAME (no length),
 * /truncated/NAME (declares the whole length, sends half, drops the connection),
 * /stall (headers, then nothing), anything else 404.
 */
function handle(url: string, res: ServerResponse): void {
  const [, route = '', name = ''] = url.split('/');
  const body = files.get(name);
  if (route === 'stall') {
    res.writeHead(200, { 'content-length': '1000' });
    res.flushHeaders();
    return;
  }
  if (body === undefined) {
    res.writeHead(404).end();
    return;
  }
  if (route === 'files') {
    res.writeHead(200, { 'content-length': String(body.length) }).end(Buffer.from(body));
  } else if (route === 'chunked') {
    res.writeHead(200);
    res.write(Buffer.from(body.subarray(0, 1000)));
    res.end(Buffer.from(body.subarray(1000)));
  } else if (route === 'truncated') {
    res.writeHead(200, { 'content-length': String(body.length) });
    res.write(Buffer.from(body.subarray(0, body.length >> 1)), () =>
      setTimeout(() => res.destroy(), 20),
    );
  } else {
    res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handle(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  requests = [];
});
afterEach(() => cleanup());

const blob = files.get('blob.bin') ?? new Uint8Array();

describe('downloadFile', () => {
  it('downloads, checks the MD5 and reports progress up to the total', async () => {
    const progress: [number, number | undefined, string][] = [];
    const dest = join(dir, 'sub', 'blob.bin');
    await downloadFile({
      urls: [`${base}/files/blob.bin`],
      dest,
      md5: md5(blob),
      onProgress: (r, t, f) => progress.push([r, t, f]),
    });
    expect(md5(await readFile(dest))).toBe(md5(blob));
    expect(await readdir(join(dir, 'sub'))).toEqual(['blob.bin']);
    expect(progress[0]).toEqual([0, blob.length, 'blob.bin']);
    expect(progress.at(-1)).toEqual([blob.length, blob.length, 'blob.bin']);
    const received = progress.map((p) => p[0]);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('works without Content-Length (total unknown)', async () => {
    const totals = new Set<number | undefined>();
    await downloadFile({
      urls: [`${base}/chunked/blob.bin`],
      dest: join(dir, 'b'),
      md5: md5(blob),
      onProgress: (_r, t) => totals.add(t),
    });
    expect([...totals]).toEqual([undefined]);
  });

  it('leaves nothing after a truncated download', async () => {
    const dest = join(dir, 'blob.bin');
    await expect(
      downloadFile({ urls: [`${base}/truncated/blob.bin`], dest, md5: md5(blob) }),
    ).rejects.toMatchObject({
      code: 'DATASET_DOWNLOAD_FAILED',
      message: expect.stringMatching(/truncated.* of 200000 bytes/),
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves nothing after a checksum mismatch', async () => {
    const dest = join(dir, 'blob.bin');
    await expect(
      downloadFile({ urls: [`${base}/files/blob.bin`], dest, md5: '0'.repeat(32) }),
    ).rejects.toMatchObject({
      code: 'DATASET_CHECKSUM_MISMATCH',
      message: expect.stringContaining(
        `MD5 of blob.bin is ${md5(blob)}, expected ${'0'.repeat(32)}`,
      ),
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('tries the next mirror after an HTTP error', async () => {
    await downloadFile({
      urls: [`${base}/files/missing`, `${base}/files/blob.bin`],
      dest: join(dir, 'b'),
      md5: md5(blob),
    });
    expect(requests).toEqual(['/files/missing', '/files/blob.bin']);
  });

  it('gives up on a stalled server after the idle timeout', async () => {
    await expect(
      downloadFile({ urls: [`${base}/stall`], dest: join(dir, 's'), idleTimeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: 'DATASET_DOWNLOAD_FAILED',
      message: expect.stringMatching(/idle timeout/),
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a refused connection', async () => {
    await expect(
      downloadFile({ urls: [`${refused}x`], dest: join(dir, 'x') }),
    ).rejects.toMatchObject({
      code: 'DATASET_DOWNLOAD_FAILED',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
  });
});

describe('download through the lookup', () => {
  const spec = {
    ...FASHION_MNIST_SPEC,
    systemDirs: [],
    files: FASHION_MNIST_SPEC.files.map((f) => ({
      ...f,
      md5: md5(files.get(f.name) ?? new Uint8Array()),
      urls: [`${base}/files/${f.name}`],
    })),
  };

  it('downloads into the cache once, then reads the cache', async () => {
    const served = {
      ...spec,
      files: spec.files.map((f) => ({ ...f, urls: [`${base}/files/${f.name}`] })),
    };
    const seen = new Set<string>();
    const first = await locateDataset(served, {
      cacheDir: dir,
      env: {},
      onProgress: (_r, _t, f) => seen.add(f),
    });
    expect([first.source, first.dir]).toEqual(['download', join(dir, 'fashion-mnist')]);
    expect([...seen].sort()).toEqual([...files.keys()].filter((n) => n.endsWith('.gz')).sort());
    const { train } = await readIdxDataset(first.found, 10);
    expect(Array.from(train.labels)).toEqual(Array.from(labels));
    const count = requests.length;
    const second = await locateDataset(served, { cacheDir: dir, env: {} });
    expect(second.source).toBe('cache');
    expect(requests.length).toBe(count);
  });

  it('a mirror serving other bytes than the published ones: mismatch, empty cache', async () => {
    const error = loadFashionMnist({
      cacheDir: dir,
      env: {},
      systemDirs: [],
      mirror: `${base}/files/`,
      allowSubset: true,
    });
    await expect(error).rejects.toMatchObject({ code: 'DATASET_CHECKSUM_MISMATCH' });
    expect(await readdir(join(dir, 'fashion-mnist'))).toEqual([]);
  });

  it('offline: the bundled subset when allowed, else an error saying where to put the files', async () => {
    const offline = { cacheDir: dir, env: {}, systemDirs: [], mirror: refused };
    const subset = await loadFashionMnist({
      ...offline,
      allowSubset: true,
      limitTrain: 1,
      limitTest: 1,
    });
    expect(subset.source).toBe('bundled-subset');
    expect(subset.fallbackReason).toMatch(/download failed.*ECONNREFUSED/);
    const error = loadFashionMnist(offline);
    await expect(error).rejects.toMatchObject({
      code: 'DATASET_NOT_FOUND',
      message: expect.stringMatching(/download failed[\s\S]*put train-images-idx3-ubyte\.gz.* in /),
    });
  });
});
