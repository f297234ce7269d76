import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HypertunerError } from '../../src/space/index.js';
import { SqliteStorage, openStorage } from '../../src/storage/index.js';
import { RandomSearchOracle } from '../../src/oracles/index.js';
import type { TrialContext } from '../../src/tuner/index.js';
import { Study } from '../../src/tuner/index.js';
import { describeStorageContract } from './storage-contract.js';
import { describeStoredDataContract } from './stored-data-contract.js';

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

describeStoredDataContract(
  'sqlite',
  async () => {
    const file = join(root, `stored-${counter++}.db`);
    return {
      storage: new SqliteStorage(file),
      open: async () => openStorage(`sqlite:${file}`),
      cleanup: async () => undefined,
      damage: async (sql, params = []) => {
        const db = new Database(file);
        try {
          db.prepare(sql).run(...params);
        } finally {
          db.close();
        }
      },
    };
  },
  { sql: 'sqlite' },
);

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

  it('two connections in one process take turns (two studies on one file, async objectives)', async () => {
    const file = join(root, 'two-connections.db');
    // a short busy timeout: waiting in SQLite's synchronous busy handler would deadlock here
    const open = (name: string): Promise<Study> =>
      Study.open({
        storage: new SqliteStorage(file, { busyTimeoutMs: 2000 }),
        name,
        objective: 'loss',
        oracle: new RandomSearchOracle({ seed: 1 }),
      });
    const [a, b] = [await open('a'), await open('b')];
    const objective = async ({ hp, report }: TrialContext): Promise<number> => {
      const x = hp.Float('x', { min: 0, max: 1 });
      for (let epoch = 0; epoch < 3; epoch++) {
        await report(epoch, { loss: x + epoch });
        await new Promise((done) => setTimeout(done, 2));
      }
      return x;
    };
    const results = await Promise.allSettled([
      a.optimize(objective, { maxTrials: 12 }),
      b.optimize(objective, { maxTrials: 12 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    for (const study of [a, b]) {
      const trials = await study.trials();
      expect(trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
      expect(new Set(trials.map((t) => t.status))).toEqual(new Set(['COMPLETED']));
      await study.close();
    }
  });

  it("waits for another connection's write lock without blocking the event loop", async () => {
    const file = join(root, 'locked.db');
    const storage = new SqliteStorage(file, { busyTimeoutMs: 400 });
    const other = new Database(file);
    const objectives = [{ name: 'loss', direction: 'minimize' }] as const;
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      // held until the busy timeout has passed: the write fails with STORAGE_UNAVAILABLE
      other.exec('BEGIN IMMEDIATE');
      const error = await storage.createStudy({ name: 'late', objectives }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HypertunerError);
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', field: 'storage' });
      expect((error as Error).message).toContain(`'${file}'`);
      expect((error as Error).message).toContain('400 ms');
      expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(ticks).toBeGreaterThan(0); // timers ran while it waited
      other.exec('ROLLBACK');
      // released while it waits: the write goes through
      setTimeout(() => other.exec('COMMIT'), 50);
      other.exec('BEGIN IMMEDIATE');
      expect((await storage.createStudy({ name: 'after', objectives })).name).toBe('after');
      clearInterval(ticker);
      expect((await storage.listStudies()).map((st) => st.name)).toEqual(['after']);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await storage.close();
    }
  });

  it('runs a read transaction again while its lock is busy (WAL recovery), up to the busy timeout', async () => {
    // a read finds the lock busy only in rare moments (another connection recovering the
    // WAL), which a test cannot provoke: its statements fail with SQLITE_BUSY here instead
    const file = join(root, 'busy-read.db');
    const storage = new SqliteStorage(file, { busyTimeoutMs: 300 });
    let busyFor = 0; // how many more statement runs fail
    let failed = 0;
    const busy = (): never => {
      failed++;
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    const prepare = Database.prototype.prepare;
    const spy = vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (
      this: Database.Database,
      sql: string,
    ) {
      const statement = prepare.call(this, sql) as object;
      return new Proxy(statement, {
        get: (target, key) => {
          const value = Reflect.get(target, key, target) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) =>
            busyFor > 0 && key === 'all' ? (busyFor--, busy()) : value.apply(target, args);
        },
      }) as ReturnType<typeof prepare>;
    });
    try {
      await storage.createStudy({
        name: 's',
        objectives: [{ name: 'loss', direction: 'minimize' }],
      });
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      busyFor = 3;
      expect((await storage.listStudies()).map((st) => st.name)).toEqual(['s']);
      expect(failed).toBe(3);
      busyFor = Infinity;
      const error = await storage.listStudies().then(
        () => undefined,
        (e: unknown) => e,
      );
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(0); // it waited asynchronously
      expect(error).toBeInstanceOf(HypertunerError);
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', field: 'storage' });
      expect((error as Error).message).toContain('300 ms');
      expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      busyFor = 0;
      // the connection is usable afterwards: no transaction left open
      expect((await storage.listStudies()).map((st) => st.name)).toEqual(['s']);
    } finally {
      spy.mockRestore();
      await storage.close();
    }
  });
});
