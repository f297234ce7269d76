/**
 * Checks of `--storage`: a command that only reads (studies, trials, best, dashboard, plot)
 * never creates a database, and worker processes need a storage they can all open.
 */
import { existsSync } from 'node:fs';
import { HypertunerError, openStorage } from '../index.js';
import { defaultStorageUrl, parseStorageUrl, redactStorageUrl } from '../storage/index.js';
import type { CorruptRecord } from '../storage/index.js';
import type { Storage, StudyRecord } from '../index.js';

/**
 * The environment variable that gives `--storage` when the flag is absent. Worker processes get
 * their storage through it, not on their command line, where `ps` would show a password.
 */
export const STORAGE_ENV = 'HYPERTUNER_STORAGE';

/** `--storage` as given, else `$HYPERTUNER_STORAGE`, else undefined. */
export function storageFlag(flag: string | undefined): string | undefined {
  const fromEnv = process.env[STORAGE_ENV];
  return flag ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
}

/** `--storage`, else `$HYPERTUNER_STORAGE`, else the default `sqlite:hypertuner.db`. */
export function storageUrlOf(flag: string | undefined): string {
  return storageFlag(flag) ?? defaultStorageUrl();
}

/** `--storage` (see {@link storageUrlOf}), checked to exist when it is a SQLite file. */
export function existingStorageUrl(flag?: string): string {
  const url = storageUrlOf(flag);
  const parsed = parseStorageUrl(url);
  if (parsed.kind === 'sqlite' && parsed.path !== ':memory:' && !existsSync(parsed.path)) {
    throw new HypertunerError(
      'STORAGE_NOT_FOUND',
      `No SQLite file at '${parsed.path}' (--storage ${redactStorageUrl(url)}); give the --storage of an existing study.`,
      { field: 'storage' },
    );
  }
  return url;
}

/**
 * Opens `--storage` (see {@link storageUrlOf}) to read it: a SQLite file must already exist, and
 * is opened read-only (it may be in a folder this user cannot write); `follow` for a reader
 * that stays open and must see later writes (the dashboard).
 */
export async function openExistingStorage(
  flag?: string,
  options: { readonly follow?: boolean } = {},
): Promise<Storage> {
  return openStorage(existingStorageUrl(flag), { readOnly: true, follow: options.follow === true });
}

/** The study called `name`, or an error naming the studies the storage has. */
export async function requireStudy(storage: Storage, name: string): Promise<StudyRecord> {
  const study = await storage.loadStudy(name);
  if (study === undefined) {
    // a damaged study elsewhere in the storage is not this command's business
    const names = (await storage.listStudies({ onCorrupt: () => undefined })).map((s) => s.name);
    throw new HypertunerError(
      'STUDY_NOT_FOUND',
      `No study called '${name}' in ${storage.url}; studies there: ${names.join(', ') || '(none)'}.`,
      { field: 'study' },
    );
  }
  return study;
}

/** Whether the storage at `url` lives in this process only (`memory:`, `sqlite::memory:`). */
export function isInProcessStorage(url: string): boolean {
  const parsed = parseStorageUrl(url);
  return parsed.kind === 'memory' || (parsed.kind === 'sqlite' && parsed.path === ':memory:');
}

/** `--workers N` > 1 shares the study through its storage: `memory:` lives in one process only. */
export function requireSharedStorage(url: string, workers: number): void {
  if (workers <= 1) return;
  if (isInProcessStorage(url)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--workers ${workers} needs a storage that every worker process can open: sqlite:path.db or postgres://...; --storage ${redactStorageUrl(url)} lives in one process only (or give --workers 1).`,
      { field: 'workers' },
    );
  }
}

/**
 * The one error a reading command ends with after showing what it could read: the first damaged
 * row's `STORAGE_CORRUPT` error, with how many more there are.
 */
export function damagedRowsError(
  damaged: readonly CorruptRecord[],
  shown?: string,
): HypertunerError {
  const [first, ...rest] = damaged;
  if (first === undefined) throw new Error('damagedRowsError needs at least one damaged row');
  const more =
    rest.length === 0
      ? ''
      : ` ${rest.length} more damaged: ${rest
          .slice(0, 5)
          .map((r) =>
            r.trialNumber === undefined
              ? `study ${JSON.stringify(r.studyName ?? r.studyId)} (${r.field})`
              : `trial ${r.trialNumber} (${r.field})`,
          )
          .join(', ')}${rest.length > 5 ? ', ...' : ''}.`;
  return new HypertunerError(
    first.error.code,
    `${first.error.message}${shown === undefined ? '' : ` (${shown})`}${more}`,
    { field: first.field, cause: first.error },
  );
}
