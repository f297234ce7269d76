/**
 * SQLite files that are not what they should be (a folder, not a database, truncated, a
 * database of something else, a newer schema, no space left) and read-only opening: every
 * error a `HypertunerError` naming the file, nothing added to a file that is not ours.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStorage, openStorage } from '../../src/storage/index.js';
import { sqliteStorageError } from '../../src/storage/sqlite-errors.js';
import { seedStudy } from '../helpers/seed-study.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-sqlite-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const loss = [{ name: 'loss', direction: 'minimize' as const }];

/** A file path in a new folder of the test's own. */
function freshPath(name = 'study.db'): string {
  const dir = join(root, `case-${counter++}`);
  mkdirSync(dir);
  return join(dir, name);
}

/** A study database with `n` finished trials. */
async function studyFile(n = 3): Promise<string> {
  const path = freshPath();
  const storage = new SqliteStorage(path);
  await seedStudy(storage, 'kept', n, (i) => ({ x: i, text: 'y'.repeat(200) }));
  await storage.close();
  return path;
}

/** The error thrown by opening (and listing) `path`. */
function openError(path: string, readOnly: boolean): Promise<{ code: string; message: string }> {
  return (async () => {
    const storage = new SqliteStorage(path, { readOnly });
    try {
      await storage.listStudies();
    } finally {
      await storage.close();
    }
  })().then(
    () => {
      throw new Error(`opening ${path} succeeded`);
    },
    (error: { code: string; message: string }) => error,
  );
}

describe.each([false, true])(
  'SQLite files that are not a study database (readOnly: %s)',
  (readOnly) => {
    it('a folder: STORAGE_OPEN_FAILED naming it', async () => {
      const dir = freshPath('folder.db');
      mkdirSync(dir);
      const error = await openError(dir, readOnly);
      expect(error).toMatchObject({ code: 'STORAGE_OPEN_FAILED', field: 'storage' });
      expect(error.message).toContain(`'${dir}': it is a folder`);
    });

    it('a text file: STORAGE_NOT_A_DATABASE naming it', async () => {
      const path = freshPath('notes.db');
      writeFileSync(path, 'These are my notes, not a database. '.repeat(40));
      const error = await openError(path, readOnly);
      expect(error.code).toBe('STORAGE_NOT_A_DATABASE');
      expect(error.message).toContain(`'${path}' is not a SQLite database`);
    });

    it.each([100, 5000, -4096])(
      'a study database truncated to %i bytes: STORAGE_CORRUPT naming it',
      async (bytes) => {
        const path = await studyFile(150);
        const cut = bytes > 0 ? bytes : statSync(path).size + bytes;
        truncateSync(path, cut);
        const error = await openError(path, readOnly);
        expect(error.code).toBe('STORAGE_CORRUPT');
        expect(error.message).toContain(`'${path}' is damaged`);
      },
    );

    it('a SQLite database of something else: STORAGE_NOT_A_DATABASE, and nothing is added to it', async () => {
      const path = freshPath('shop.db');
      const db = new Database(path);
      db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
      db.close();
      const error = await openError(path, readOnly);
      expect(error.code).toBe('STORAGE_NOT_A_DATABASE');
      expect(error.message).toMatch(/is a database of something else \(tables customers\)/);
      const after = new Database(path, { readonly: true });
      expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([
        { name: 'customers' },
      ]);
      after.close();
    });

    it('a newer schema: STORAGE_SCHEMA_TOO_NEW naming the file', async () => {
      const path = await studyFile(1);
      const db = new Database(path);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(99);
      db.close();
      const error = await openError(path, readOnly);
      expect(error.code).toBe('STORAGE_SCHEMA_TOO_NEW');
      expect(error.message).toContain(path);
    });
  },
);

describe('SQLite opened read-only', () => {
  it('reads a study, writes nothing (a write is STORAGE_READ_ONLY), and creates no file', async () => {
    const path = await studyFile(2);
    const before = statSync(path).mtimeMs;
    const storage = await openStorage(`sqlite:${path}`, { readOnly: true });
    try {
      const [study] = await storage.listStudies();
      expect(study?.trialCounts.COMPLETED).toBe(2);
      await expect(storage.createStudy({ name: 'new', objectives: loss })).rejects.toMatchObject({
        code: 'STORAGE_READ_ONLY',
        message: expect.stringContaining(`'${path}': it was opened read-only`),
      });
    } finally {
      await storage.close();
    }
    expect(statSync(path).mtimeMs).toBe(before);
    const missing = freshPath('missing.db');
    await expect(openStorage(`sqlite:${missing}`, { readOnly: true })).rejects.toMatchObject({
      code: 'STORAGE_NOT_FOUND',
    });
    expect(() => statSync(missing)).toThrow();
  });

  it('sees what a live writer commits after it opened (WAL)', async () => {
    const path = await studyFile(1);
    const writer = new SqliteStorage(path);
    const reader = new SqliteStorage(path, { readOnly: true });
    try {
      const study = await writer.loadStudy('kept');
      const outcome = await writer.startTrial(study!.id, 'w', () => ({
        kind: 'create',
        params: {},
      }));
      expect((await reader.getTrials(study!.id)).map((t) => t.status)).toEqual([
        'COMPLETED',
        'RUNNING',
      ]);
      if (outcome.kind === 'started')
        await writer.finishTrial(outcome.trial.id, { status: 'COMPLETED', values: [5] });
      expect((await reader.getTrials(study!.id)).map((t) => t.values)).toEqual([[0], [5]]);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('an empty file is an empty storage', async () => {
    const path = freshPath('empty.db');
    writeFileSync(path, '');
    const storage = new SqliteStorage(path, { readOnly: true });
    expect(await storage.listStudies()).toEqual([]);
    await storage.close();
    expect(statSync(path).size).toBe(0);
  });

  it('a copy of a study database is read as it is', async () => {
    const path = await studyFile(4);
    const copy = freshPath('copy.db');
    copyFileSync(path, copy);
    const storage = new SqliteStorage(copy, { readOnly: true });
    const [study] = await storage.listStudies();
    expect((await storage.getTrials(study!.id)).length).toBe(4);
    await storage.close();
  });
});

describe('SQLite errors of the disk', () => {
  it('disk full, read-only folder and I/O errors name the file and say what to do', () => {
    const sqlite = (code: string, message: string): Error =>
      Object.assign(new Error(message), { code });
    const path = '/data/studies.db';
    expect(
      sqliteStorageError(sqlite('SQLITE_FULL', 'database or disk is full'), path, {
        opening: false,
        readOnly: false,
      }),
    ).toMatchObject({
      code: 'STORAGE_FULL',
      message: expect.stringMatching(
        /^Cannot write SQLite file '\/data\/studies\.db': the disk is full/,
      ),
    });
    expect(
      sqliteStorageError(
        sqlite('SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database'),
        path,
        { opening: false, readOnly: false },
      ),
    ).toMatchObject({
      code: 'STORAGE_READ_ONLY',
      message: expect.stringContaining('its folder cannot be written'),
    });
    expect(
      sqliteStorageError(sqlite('SQLITE_IOERR_WRITE', 'disk I/O error'), path, {
        opening: false,
        readOnly: false,
      }),
    ).toMatchObject({ code: 'STORAGE_UNAVAILABLE', message: expect.stringContaining(path) });
    // an error of hypertuner's own SQL is not the disk's: left as it is
    const bug = sqlite('SQLITE_ERROR', 'no such column: nope');
    expect(sqliteStorageError(bug, path, { opening: false, readOnly: false })).toBe(bug);
  });
});
