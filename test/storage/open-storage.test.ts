import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MemoryStorage,
  SqliteStorage,
  defaultStorageUrl,
  openStorage,
  parseStorageUrl,
  redactStorageUrl,
} from '../../src/storage/index.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parseStorageUrl / openStorage', () => {
  it('parses every allowed form', () => {
    expect(parseStorageUrl('memory:')).toEqual({ kind: 'memory' });
    expect(parseStorageUrl('sqlite:studies/a.db')).toEqual({
      kind: 'sqlite',
      path: 'studies/a.db',
    });
    expect(parseStorageUrl('sqlite:///var/lib/x.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/x.db',
    });
    expect(parseStorageUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseStorageUrl('runs/tuning.sqlite')).toEqual({
      kind: 'sqlite',
      path: 'runs/tuning.sqlite',
    });
    expect(parseStorageUrl('/abs/t.db')).toEqual({ kind: 'sqlite', path: '/abs/t.db' });
    expect(parseStorageUrl('postgres://u:p@h:5432/db')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:p@h:5432/db',
    });
    expect(parseStorageUrl('postgresql://h/db')).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://h/db',
    });
    expect(defaultStorageUrl()).toBe('sqlite:hypertuner.db');
  });

  it.each([
    '',
    'mysql://h/db',
    'sqlite:',
    'sqlite://host/x.db',
    'studies.txt',
    'http://x/y.db',
    'memory',
  ])('refuses %j with STORAGE_INVALID_URL naming the allowed forms', (url) => {
    expect(() => parseStorageUrl(url)).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_URL', field: 'storage' }),
    );
    expect(() => parseStorageUrl(url)).toThrow(/memory:.*sqlite:.*postgres:\/\//);
  });

  it.each([
    ['postgres://::::@@@/', /cannot be read as a URL/],
    ['postgres://', /names no server/],
    ['postgres://@/db', /cannot be read as a URL|names no server/],
    ['postgres://h:99999/db', /port that is not a number/],
    ['postgres://h:abc/db', /port that is not a number/],
    ['postgres://my host/db', /spaces/],
  ])(
    'refuses the PostgreSQL URL %j that names no server, before connecting anywhere',
    (url, why) => {
      expect(() => parseStorageUrl(url)).toThrow(
        expect.objectContaining({ code: 'STORAGE_INVALID_URL', field: 'storage' }),
      );
      expect(() => parseStorageUrl(url)).toThrow(why);
      // a socket folder is a server too
      expect(parseStorageUrl('postgresql:///db?host=/var/run/postgresql').kind).toBe('postgres');
      expect(parseStorageUrl('postgres://u:p%40ss@[::1]:5432/db').kind).toBe('postgres');
    },
  );

  it('reads schemes in any case', () => {
    expect(parseStorageUrl('MEMORY:')).toEqual({ kind: 'memory' });
    expect(parseStorageUrl('SQLite:studies/A.db')).toEqual({
      kind: 'sqlite',
      path: 'studies/A.db',
    });
    expect(parseStorageUrl('POSTGRES://u:P@H:5432/Db')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:P@H:5432/Db',
    });
    expect(parseStorageUrl('PostgreSQL://h/db')).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://h/db',
    });
  });

  it('redacts the password of a URL it shows, and only that', () => {
    expect(redactStorageUrl('postgres://alice:s3cret@db.example:5432/studies')).toBe(
      'postgres://alice:***@db.example:5432/studies',
    );
    expect(redactStorageUrl('postgresql://alice:p%40ss:w@rd@h/db?sslmode=require')).toBe(
      'postgresql://alice:***@h/db?sslmode=require',
    );
    expect(redactStorageUrl('postgres://h/db?user=alice&password=s3cret&sslmode=require')).toBe(
      'postgres://h/db?user=alice&password=***&sslmode=require',
    );
    for (const url of [
      'postgres://alice@h/db',
      'postgres://alice:@h/db',
      'postgresql:///db?host=/var/run/postgresql',
      'sqlite:runs/a.db',
      'memory:',
    ])
      expect(redactStorageUrl(url)).toBe(url);
  });

  it('does not show the password of a URL it refuses', () => {
    expect(() => parseStorageUrl('mysql://alice:s3cret@h/db')).toThrow(
      /'mysql:\/\/alice:\*\*\*@h\/db'/,
    );
    expect(() => parseStorageUrl('mysql://alice:s3cret@h/db')).not.toThrow(/s3cret/);
  });

  it('opens memory and SQLite storages', async () => {
    const memory = await openStorage('memory:');
    expect(memory).toBeInstanceOf(MemoryStorage);
    const url = `sqlite://${join(root, 'nested', 'dir', 'a.db')}`;
    const sqlite = await openStorage(url);
    expect(sqlite).toBeInstanceOf(SqliteStorage);
    expect(sqlite.url).toBe(url);
    await sqlite.createStudy({ name: 's', objectives: [{ name: 'loss', direction: 'minimize' }] });
    await sqlite.close();
    const plain = await openStorage(join(root, 'nested', 'dir', 'a.db'));
    expect((await plain.listStudies()).map((s) => s.name)).toEqual(['s']);
    await plain.close();
    await expect(openStorage('nope://x')).rejects.toMatchObject({ code: 'STORAGE_INVALID_URL' });
  });
});
