import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DatabaseArtifactStore,
  DirectoryArtifactStore,
  MemoryArtifactStore,
  MemoryStorage,
  SqliteStorage,
  openArtifactStore,
  openStorage,
} from '../../../src/storage/index.js';
import type { Storage } from '../../../src/storage/index.js';
import { usePostgresServer } from '../../helpers/postgres-server.js';
import { describeArtifactContract } from './artifact-contract.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-db-artifacts-'));
const postgres = usePostgresServer();
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const objectives = [{ name: 'loss', direction: 'minimize' as const }];

async function withStudies(storage: Storage, studies: readonly string[]): Promise<void> {
  for (const name of studies) await storage.createStudy({ name, objectives });
}

describeArtifactContract('sqlite database', async (studies) => {
  const file = join(root, `contract-${counter++}.db`);
  const storage = new SqliteStorage(file);
  await withStudies(storage, studies);
  return {
    store: storage.artifactStore(),
    reopen: async () => openArtifactStore(`sqlite:${file}`),
    cleanup: async () => storage.close(),
  };
});

describeArtifactContract('postgres database', async (studies) => {
  const url = await postgres().createDatabase(`artifacts_${counter++}`);
  const storage = await openStorage(url);
  await withStudies(storage, studies);
  return {
    store: await openArtifactStore(storage),
    reopen: async () => openArtifactStore(url),
    cleanup: async () => storage.close(),
  };
});

describe('DatabaseArtifactStore', () => {
  it('refuses artifacts above maxBytes with an error pointing to the directory store', async () => {
    const storage = new SqliteStorage(':memory:');
    await withStudies(storage, ['s']);
    const store = storage.artifactStore({ maxBytes: 1000 });
    await store.put('s', 0, 'small', new Uint8Array(1000));
    const error = await store.put('s', 0, 'big', new Uint8Array(1001)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ARTIFACT_TOO_LARGE', field: 'bytes' });
    expect(String((error as Error).message)).toMatch(/1001 bytes.*maxBytes 1000.*file:/);
    expect(() => storage.artifactStore({ maxBytes: 0 })).toThrow(/maxBytes/);
    await storage.close();
  });

  it('needs the study to exist, and deleting a study deletes its artifacts', async () => {
    const url = await postgres().createDatabase('artifacts_delete');
    const storage = await openStorage(url);
    await withStudies(storage, ['keep', 'drop']);
    const store = await openArtifactStore(storage);
    await expect(store.put('absent', 0, 'model.json', new Uint8Array([1]))).rejects.toMatchObject({
      code: 'STUDY_NOT_FOUND',
    });
    expect(await store.list('absent')).toEqual([]);
    await store.put('keep', 0, 'model.json', new Uint8Array([1]));
    await store.put('drop', 0, 'model.json', new Uint8Array([2]));
    await storage.deleteStudy('drop');
    expect(await store.list('drop')).toEqual([]);
    expect(await store.list('keep')).toHaveLength(1);
    // a new study of the old name starts without artifacts
    await withStudies(storage, ['drop']);
    expect(await store.get('drop', 0, 'model.json')).toBeUndefined();
    await store.close(); // the storage it came from stays open
    expect(await storage.listStudies()).toHaveLength(2);
    await storage.close();
  });

  it('adds the artifacts table to a database made by the previous schema version', async () => {
    const file = join(root, 'v1.db');
    await new SqliteStorage(file).close();
    const db = new Database(file);
    db.exec('DROP TABLE artifacts; DELETE FROM schema_version WHERE version = 2;');
    db.close();
    const storage = new SqliteStorage(file);
    await withStudies(storage, ['s']);
    await storage.artifactStore().put('s', 0, 'model.json', new Uint8Array([9]));
    expect(await storage.artifactStore().get('s', 0, 'model.json')).toEqual(new Uint8Array([9]));
    await storage.close();
  });
});

describe('openArtifactStore', () => {
  it('opens the store a URL, a path or a storage names', async () => {
    const dirStore = await openArtifactStore(`file:${join(root, 'd')}`);
    expect(dirStore).toBeInstanceOf(DirectoryArtifactStore);
    expect((await openArtifactStore(`file://${join(root, 'd2')}`)).url).toBe(
      `file:${join(root, 'd2')}`,
    );
    expect(await openArtifactStore(join(root, 'plain-dir'))).toBeInstanceOf(DirectoryArtifactStore);
    expect(await openArtifactStore('memory:')).toBeInstanceOf(MemoryArtifactStore);
    const memory = new MemoryStorage();
    expect(await openArtifactStore(memory)).toBe(await openArtifactStore(memory));
    const sqliteUrl = `sqlite:${join(root, 'open.db')}`;
    const own = await openArtifactStore(sqliteUrl, { maxBytes: 10 });
    expect(own).toBeInstanceOf(DatabaseArtifactStore);
    expect((own as DatabaseArtifactStore).maxBytes).toBe(10);
    await own.close(); // closes the storage it opened
    await expect(openArtifactStore('s3://bucket/x')).rejects.toMatchObject({
      code: 'ARTIFACT_INVALID_URL',
    });
    await expect(openArtifactStore('file:')).rejects.toMatchObject({
      code: 'ARTIFACT_INVALID_URL',
    });
    const other: Storage = Object.create(new MemoryStorage()) as Storage;
    await expect(openArtifactStore({ ...other, url: 'x:' } as Storage)).rejects.toMatchObject({
      code: 'ARTIFACT_STORE_UNSUPPORTED',
    });
  });
});
