import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HypertunerError } from '../../src/space/index.js';
import { PostgresStorage, openStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { libpqConnectionStrings } from '../../src/storage/postgres-connection.js';
import { freePort, startPostgresServer, usePostgresServer } from '../helpers/postgres-server.js';
import { concurrentStartsSeeAll, describeStorageContract } from './storage-contract.js';
import { describeStoredDataContract } from './stored-data-contract.js';

let counter = 0;

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<HypertunerError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HypertunerError);
  return error as HypertunerError;
}

const postgres = usePostgresServer();

describeStorageContract('postgres', async () => {
  const url = await postgres().createDatabase(`contract_${counter++}`);
  return {
    storage: await openStorage(url),
    open: async () => openStorage(url),
    cleanup: async () => undefined,
  };
});

describeStoredDataContract(
  'postgres',
  async () => {
    const url = await postgres().createDatabase(`stored_${counter++}`);
    return {
      storage: await openStorage(url),
      open: async () => openStorage(url),
      cleanup: async () => undefined,
      damage: async (text, params = []) => {
        let n = 0;
        await sql(
          url,
          text.replace(/\?/g, () => `$${++n}`),
          [...params],
        );
      },
    };
  },
  { sql: 'postgres' },
);

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

  it("stamps heartbeats with the server's clock: a worker whose clock is 15 s behind is not reaped", async () => {
    const url = await postgres().createDatabase('clock_skew');
    const realNow = Date.now.bind(Date);
    // a machine whose clock is 15 s slow opens the storage and runs a trial
    const slow = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 15_000);
    const behind = await PostgresStorage.open(url);
    const study = await behind.createStudy({
      name: 's',
      objectives: [{ name: 'loss', direction: 'minimize' }],
    });
    const started = await behind.startTrial(study.id, 'slow-clock', () => ({
      kind: 'create',
      params: { x: 1 },
    }));
    if (started.kind !== 'started') throw new Error('not started');
    await behind.heartbeat(started.trial.id);
    slow.mockRestore();
    // a machine with the right clock reaps trials without a heartbeat for 10 s: none is stale
    const onTime = await PostgresStorage.open(url);
    const reaped = await onTime.reapStaleTrials(study.id, { staleAfterMs: 10_000, maxRetries: 1 });
    expect(reaped).toEqual([]);
    const trial = await onTime.getTrial(started.trial.id);
    expect(trial?.status).toBe('RUNNING');
    expect(Math.abs((trial?.heartbeatAt ?? 0) - Date.now())).toBeLessThan(5_000);
    await Promise.all([behind.close(), onTime.close()]);
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

describe('PostgresStorage: opening, as the user sees it', () => {
  const password = 's3cret:PW@x';
  const encoded = encodeURIComponent(password);

  it('never shows the password: storage.url has *** in its place, so do its errors', async () => {
    const url = await postgres().createDatabase('redacted');
    // the test server trusts 127.0.0.1: any password logs in
    const withPassword = url.replace('postgres@', `postgres:${encoded}@`);
    const storage = await openStorage(withPassword);
    expect(storage.url).toBe(url.replace('postgres@', 'postgres:***@'));
    await storage.close();
    const direct = await PostgresStorage.open(`${url}?password=${encoded}`);
    expect(direct.url).toBe(`${url}?password=***`);
    await direct.close();
    const missing = withPassword.replace(/redacted$/, 'no_such_db');
    const error = await failure(openStorage(missing));
    expect(error.message).toContain(missing.replace(encoded, '***'));
    expect(error.message).not.toContain(encoded);
    expect(JSON.stringify(error)).not.toContain(encoded);
  });

  it('says what the server refused: the login (STORAGE_AUTH_FAILED), the database (STORAGE_NOT_FOUND)', async () => {
    const url = await postgres().createDatabase('auth');
    await postgres().addPasswordUser('alice', password, 'auth');
    const alice = (pw: string): string => url.replace('postgres@', `alice:${pw}@`);
    const ok = await openStorage(alice(encoded));
    expect(await ok.listStudies()).toEqual([]);
    await ok.close();

    const wrong = await failure(openStorage(alice('nope')));
    expect(wrong).toMatchObject({ code: 'STORAGE_AUTH_FAILED', field: 'storage' });
    expect(wrong.message).toContain(alice('***'));
    expect(wrong.message).toMatch(/password authentication failed for user "alice"/);

    const none = await failure(openStorage(url.replace('postgres@', 'alice@')));
    expect(none).toMatchObject({ code: 'STORAGE_AUTH_FAILED', field: 'storage' });

    const missing = await failure(openStorage(alice(encoded).replace(/auth$/, 'nope_db')));
    expect(missing).toMatchObject({ code: 'STORAGE_NOT_FOUND', field: 'storage' });
    expect(missing.message).toContain(alice('***').replace(/auth$/, 'nope_db'));
    expect(missing.message).toMatch(/database "nope_db" does not exist/);
    expect(`${wrong.message}${none.message}${missing.message}`).not.toContain(encoded);
  });

  it(
    'fails soon with STORAGE_UNAVAILABLE naming the URL when nothing listens there (the long retry is for reconnecting)',
    { timeout: 15_000 },
    async () => {
      const url = `postgres://bob:${encoded}@127.0.0.1:${await freePort()}/db`;
      const error = await failure(openStorage(url));
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', field: 'storage' });
      expect(error.message).toContain(url.replace(encoded, '***'));
      expect(error.message).toMatch(/ECONNREFUSED/);
    },
  );

  it('opens a URL whose scheme is in capitals', async () => {
    const url = await postgres().createDatabase('capitals');
    const storage = await openStorage(url.replace('postgres://', 'POSTGRES://'));
    expect(await storage.listStudies()).toEqual([]);
    await storage.close();
  });
});

describe('PostgresStorage: sslmode as libpq (psql) reads it', () => {
  const server = usePostgresServer();
  const warnings = vi.spyOn(process, 'emitWarning');
  afterEach(() => {
    const texts = warnings.mock.calls.map((call) => String(call[0]));
    expect(texts.filter((t) => /SECURITY WARNING/.test(t))).toEqual([]);
  });

  it('without SSL on the server: prefer connects in plain, require refuses (STORAGE_UNAVAILABLE)', async () => {
    const prefer = await openStorage(`${server().url}?sslmode=prefer`);
    expect(await prefer.listStudies()).toEqual([]);
    await prefer.close();
    const error = await failure(openStorage(`${server().url}?sslmode=require`));
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', field: 'storage' });
    expect(error.message).toContain(`${server().url}?sslmode=require`);
    expect(error.message).toMatch(/does not support SSL/);
  });

  it('with a self-signed certificate: require and prefer connect, verify-full refuses it', async () => {
    await server().enableSsl();
    for (const mode of ['require', 'prefer', 'disable']) {
      const storage = await openStorage(`${server().url}?sslmode=${mode}`);
      expect(await storage.listStudies()).toEqual([]);
      await storage.close();
    }
    const error = await failure(openStorage(`${server().url}?sslmode=verify-full`));
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', field: 'storage' });
    expect(error.message).toMatch(/SSL/);
  });

  it("keeps pg's own sslmode=no-verify (Heroku-style URLs): SSL, the certificate not checked", async () => {
    const url = 'postgres://u:p@h/db?sslmode=no-verify';
    expect(libpqConnectionStrings(url)).toEqual([url]);
    await server().enableSsl();
    const storage = await openStorage(`${server().url}?sslmode=no-verify`);
    expect(await storage.listStudies()).toEqual([]);
    await storage.close();
  });
});

describe('PostgresStorage: errors of the caller inside a transaction', () => {
  it('an error thrown by decide passes through unchanged, whatever its text or code, and is not retried', async () => {
    const storage = await PostgresStorage.open(await postgres().createDatabase('decide_errors'));
    try {
      const study = await storage.createStudy({
        name: 's',
        objectives: [{ name: 'loss', direction: 'minimize' }],
      });
      const thrown = [
        new Error('the SSL certificate of my model server has expired'),
        new Error('password for the model registry is wrong (SASL)'),
        new Error('Connection terminated unexpectedly (my oracle service)'),
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      ];
      for (const error of thrown) {
        let calls = 0;
        const caught = await storage
          .startTrial(study.id, 'w', () => {
            calls++;
            throw error;
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(caught).toBe(error);
        expect(calls).toBe(1);
      }
      // the connection is fine afterwards: the transactions were rolled back
      const outcome = await storage.startTrial(study.id, 'w', () => ({
        kind: 'create',
        params: { x: 1 },
      }));
      expect(outcome.kind).toBe('started');
      expect((await storage.getTrials(study.id)).length).toBe(1);
    } finally {
      await storage.close();
    }
  });
});

describe('PostgresStorage: a server gone for longer than the retries', () => {
  it('fails the operation with STORAGE_UNAVAILABLE naming the URL', async () => {
    const server = await startPostgresServer();
    let storage: Storage | undefined;
    try {
      storage = await PostgresStorage.open(server.url, { retryForMs: 300 });
      await server.stop();
      const error = await failure(storage.listStudies());
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', field: 'storage' });
      expect(error.message).toContain(server.url);
    } finally {
      await storage?.close();
      await server.stop();
    }
  });
});
