import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage, openStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { usePostgresServer } from '../helpers/postgres-server.js';
import { concurrentStartsSeeAll, describeStorageContract } from './storage-contract.js';

let counter = 0;

const postgres = usePostgresServer();

describeStorageContract('postgres', async () => {
  const url = await postgres().createDatabase(`contract_${counter++}`);
  return {
    storage: await openStorage(url),
    open: async () => openStorage(url),
    cleanup: async () => undefined,
  };
});

async function sql(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

describe('PostgresStorage', () => {
  it('creates the schema once when many processes open at the same time, and refuses a newer one', async () => {
    const url = await postgres().createDatabase('schema');
    const storages = await Promise.all(Array.from({ length: 5 }, () => PostgresStorage.open(url)));
    await Promise.all(storages.map((s) => s.close()));
    expect((await sql(url, 'SELECT version FROM schema_version ORDER BY version')).rows).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    await sql(url, 'INSERT INTO schema_version (version) VALUES (99)');
    await expect(openStorage(url)).rejects.toMatchObject({ code: 'STORAGE_SCHEMA_TOO_NEW' });
  });

  it('decide sees every trial another connection created before it (the read follows the lock)', async () => {
    const url = await postgres().createDatabase('lock_then_read');
    const handles = await Promise.all(Array.from({ length: 4 }, () => PostgresStorage.open(url)));
    const study = await handles[0]!.createStudy({
      name: 's',
      objectives: [{ name: 'loss', direction: 'minimize' }],
    });
    expect(await concurrentStartsSeeAll(handles, study.id, 15)).toEqual([]);
    expect(await handles[0]!.getTrials(study.id)).toHaveLength(60);
    await Promise.all(handles.map((h) => h.close()));
  });

  it('does not retry an error a retry cannot fix (unknown database)', async () => {
    const url = `postgres://postgres@127.0.0.1:${postgres().port}/no_such_database`;
    await expect(PostgresStorage.open(url, { retryForMs: 200 })).rejects.toThrow(
      /no_such_database/,
    );
  });

  it('survives a server restart in the middle of concurrent startTrial/finishTrial calls', async () => {
    const url = await postgres().createDatabase('restart');
    const workers = 4;
    const perWorker = 25;
    const storages: Storage[] = await Promise.all(
      Array.from({ length: workers }, () => PostgresStorage.open(url, { maxConnections: 2 })),
    );
    const study = await storages[0]!.createStudy({
      name: 'restart',
      objectives: [{ name: 'loss', direction: 'minimize' }],
    });
    let done = 0;
    let restarted = false;
    const work = storages.map(async (storage, w) => {
      for (let i = 0; i < perWorker; i++) {
        const outcome = await storage.startTrial(study.id, `w${w}`, (s) => ({
          kind: 'create',
          params: { w, i, seen: s.trials.length },
        }));
        if (outcome.kind !== 'started') throw new Error('not started');
        await storage.reportIntermediate(outcome.trial.id, { step: 0, value: i, metrics: {} });
        await storage.finishTrial(outcome.trial.id, {
          status: 'COMPLETED',
          values: [w * 1000 + i],
        });
        done++;
      }
    });
    const restart = (async () => {
      while (done < (workers * perWorker) / 3) await new Promise((r) => setTimeout(r, 5));
      await postgres().restart({ downMs: 300 });
      restarted = true;
    })();
    await Promise.all([...work, restart]);
    expect(restarted).toBe(true);
    const trials = await storages[0]!.getTrials(study.id);
    expect(trials.map((t) => t.number)).toEqual(
      Array.from({ length: workers * perWorker }, (_, i) => i),
    );
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    const values = trials.map((t) => t.values?.[0]).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(values).toEqual(
      Array.from({ length: workers }, (_, w) =>
        Array.from({ length: perWorker }, (_, i) => w * 1000 + i),
      ).flat(),
    );
    await Promise.all(storages.map((s) => s.close()));
  });
});
