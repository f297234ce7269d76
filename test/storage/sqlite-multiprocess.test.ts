import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/index.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-sqlite-mp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const workerScript = fileURLToPath(new URL('./fixtures/sqlite-worker.ts', import.meta.url));

function runWorker(
  file: string,
  study: string,
  count: number,
  worker: number,
  startAt: number,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        workerScript,
        file,
        study,
        String(count),
        String(worker),
        String(startAt),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as number[])
        : reject(new Error(`worker ${worker} exited ${code}: ${err}`)),
    );
  });
}

describe('SqliteStorage with several processes', () => {
  it('gives unique, dense trial numbers to 4 processes starting trials at once on one file', async () => {
    const file = join(root, 'shared.db');
    const setup = new SqliteStorage(file);
    const study = await setup.createStudy({
      name: 'mp',
      objectives: [{ name: 'loss', direction: 'minimize' }],
    });
    await setup.close();
    const workers = 4;
    const perWorker = 100;
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      Array.from({ length: workers }, (_, w) => runWorker(file, 'mp', perWorker, w, startAt)),
    );
    const all = results.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: workers * perWorker }, (_, i) => i));

    const check = new SqliteStorage(file);
    const trials = await check.getTrials(study.id);
    expect(trials).toHaveLength(workers * perWorker);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    // Each decide saw the full history: the count it saw is the number it got.
    expect(trials.every((t) => t.params['seen'] === t.number)).toBe(true);
    await check.close();
  }, 60_000);
});
