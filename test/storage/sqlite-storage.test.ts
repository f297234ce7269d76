import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStorage, openStorage } from '../../src/storage/index.js';
import { describeStorageContract } from './storage-contract.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

describeStorageContract('sqlite', async () => {
  const file = join(root, `contract-${counter++}.db`);
  return {
    storage: new SqliteStorage(file),
    open: async () => openStorage(`sqlite:${file}`),
    cleanup: async () => undefined,
  };
});

describe('SqliteStorage', () => {
  it('creates the schema with its version, in WAL mode, and reopens it', async () => {
    const file = join(root, 'schema.db');
    await new SqliteStorage(file).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT version FROM schema_version ORDER BY version').all()).toEqual([
        { version: 1 },
        { version: 2 },
      ]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    const again = new SqliteStorage(file);
    expect(await again.listStudies()).toEqual([]);
    await again.close();
  });

  it('refuses a database with a newer schema', async () => {
    const file = join(root, 'newer.db');
    await new SqliteStorage(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(99);
    db.close();
    expect(() => new SqliteStorage(file)).toThrow(
      expect.objectContaining({ code: 'STORAGE_SCHEMA_TOO_NEW' }),
    );
  });

  it('keeps intermediate values in their own table', async () => {
    const file = join(root, 'intermediate.db');
    const storage = new SqliteStorage(file);
    const study = await storage.createStudy({
      name: 's',
      objectives: [{ name: 'loss', direction: 'minimize' }],
    });
    const outcome = await storage.startTrial(study.id, 'w', () => ({ kind: 'create', params: {} }));
    if (outcome.kind !== 'started') throw new Error('not started');
    await storage.reportIntermediate(outcome.trial.id, {
      step: 0,
      value: 0.5,
      metrics: { loss: 0.5 },
    });
    await storage.reportIntermediate(outcome.trial.id, { step: 1, value: NaN, metrics: {} });
    expect((await storage.getTrial(outcome.trial.id))?.intermediate[1]?.value).toBeNaN();
    await storage.close();
    const db = new Database(file, { readonly: true });
    expect(
      db.prepare('SELECT trial_id, step, value FROM intermediate_values ORDER BY step').all(),
    ).toEqual([
      { trial_id: outcome.trial.id, step: 0, value: 0.5 },
      { trial_id: outcome.trial.id, step: 1, value: null },
    ]);
    db.close();
  });

  it('startTrial stays fast with thousands of finished trials (cached reads)', async () => {
    const storage = new SqliteStorage(join(root, 'many.db'));
    const study = await storage.createStudy({
      name: 's',
      objectives: [{ name: 'loss', direction: 'minimize' }],
    });
    /** Median time of one startTrial over `n` start+finish pairs (a median resists a busy machine). */
    const timeStarts = async (n: number): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const o = await storage.startTrial(study.id, 'w', (s) => ({
          kind: 'create',
          params: { i: s.trials.length },
        }));
        times.push(performance.now() - t0);
        if (o.kind === 'started')
          await storage.finishTrial(o.trial.id, { status: 'COMPLETED', values: [i] });
      }
      return times.sort((a, b) => a - b)[Math.floor(n / 2)] ?? 0;
    };
    await timeStarts(50);
    const early = await timeStarts(100);
    await timeStarts(2350);
    const late = await timeStarts(100);
    expect((await storage.getTrials(study.id)).length).toBe(2600);
    expect(late).toBeLessThan(early * 4 + 0.5);
    await storage.close();
  });
});
