/**
 * Artifacts in the study's own database (table `artifacts`: SQLite BLOB, PostgreSQL bytea),
 * for small models: nothing to mount, and every worker that reaches the database reaches
 * them. Each operation is one statement, so a put is atomic. Bytes above `maxBytes` are
 * refused with a pointer to the directory store, which suits large models better.
 */
import { Buffer } from 'node:buffer';
import { HypertunerError } from '../../space/index.js';
import { studyNotFoundError } from '../trial-records.js';
import type { SqlNumber } from '../sql/rows.js';
import { toNumber } from '../sql/rows.js';
import type { SqlDriver } from '../sql/sql-driver.js';
import type { ArtifactInfo, ArtifactStore } from './artifact-store.js';
import {
  ArtifactErrorCode,
  sortArtifacts,
  validateArtifactBytes,
  validateArtifactKey,
} from './artifact-store.js';

export interface DatabaseArtifactStoreOptions {
  /** Largest artifact accepted, in bytes (default 32 MiB). */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_ARTIFACT_BYTES = 32 * 1024 * 1024;

const OF_STUDY = 'FROM artifacts a JOIN studies s ON s.id = a.study_id WHERE s.name = ?';

export class DatabaseArtifactStore implements ArtifactStore {
  readonly url: string;
  readonly maxBytes: number;
  readonly #driver: SqlDriver;
  readonly #onClose: () => Promise<void>;

  /** `onClose` runs on `close()` (closing a storage the store opened itself). */
  constructor(
    url: string,
    driver: SqlDriver,
    options: DatabaseArtifactStoreOptions = {},
    onClose: () => Promise<void> = async () => undefined,
  ) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `maxBytes must be a whole number >= 1, got ${String(maxBytes)}.`,
        { field: 'maxBytes' },
      );
    }
    this.url = url;
    this.maxBytes = maxBytes;
    this.#driver = driver;
    this.#onClose = onClose;
  }

  async put(
    studyName: string,
    trialNumber: number,
    name: string,
    bytes: Uint8Array,
  ): Promise<void> {
    validateArtifactKey(studyName, trialNumber, name);
    validateArtifactBytes(bytes);
    if (bytes.byteLength > this.maxBytes) {
      throw new HypertunerError(
        ArtifactErrorCode.TooLarge,
        `Artifact '${name}' of trial ${trialNumber} is ${bytes.byteLength} bytes, more than the database artifact store takes (maxBytes ${this.maxBytes}). Keep large models in a directory every worker can reach: openArtifactStore('file:/shared/artifacts'), or raise maxBytes.`,
        { field: 'bytes' },
      );
    }
    const blob = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const changed = await this.#driver.transaction('single', (sql) =>
      sql.run(
        'INSERT INTO artifacts (study_id, trial_number, name, bytes, size, created_at) SELECT id, ?, ?, ?, ?, ? FROM studies WHERE name = ? ON CONFLICT (study_id, trial_number, name) DO UPDATE SET bytes = excluded.bytes, size = excluded.size, created_at = excluded.created_at',
        [trialNumber, name, blob, bytes.byteLength, Date.now(), studyName],
      ),
    );
    if (changed === 0) throw studyNotFoundError(studyName);
  }

  async get(studyName: string, trialNumber: number, name: string): Promise<Uint8Array | undefined> {
    validateArtifactKey(studyName, trialNumber, name);
    const rows = await this.#driver.transaction('read', (sql) =>
      sql.all<{ bytes: Uint8Array }>(
        `SELECT a.bytes ${OF_STUDY} AND a.trial_number = ? AND a.name = ?`,
        [studyName, trialNumber, name],
      ),
    );
    const row = rows[0];
    return row === undefined ? undefined : new Uint8Array(row.bytes);
  }

  async list(studyName: string, trialNumber?: number): Promise<ArtifactInfo[]> {
    validateArtifactKey(studyName, trialNumber);
    const rows = await this.#driver.transaction('read', (sql) =>
      sql.all<{ trial_number: SqlNumber; name: string; size: SqlNumber }>(
        `SELECT a.trial_number, a.name, a.size ${OF_STUDY}${trialNumber === undefined ? '' : ' AND a.trial_number = ?'}`,
        trialNumber === undefined ? [studyName] : [studyName, trialNumber],
      ),
    );
    // sorted here: database collations order names differently
    return sortArtifacts(
      rows.map((r) => ({
        trialNumber: toNumber(r.trial_number),
        name: r.name,
        size: toNumber(r.size),
      })),
    );
  }

  async remove(studyName: string, trialNumber: number, name?: string): Promise<number> {
    validateArtifactKey(studyName, trialNumber, name);
    return this.#driver.transaction('single', (sql) =>
      sql.run(
        `DELETE FROM artifacts WHERE study_id IN (SELECT id FROM studies WHERE name = ?) AND trial_number = ?${name === undefined ? '' : ' AND name = ?'}`,
        name === undefined ? [studyName, trialNumber] : [studyName, trialNumber, name],
      ),
    );
  }

  async close(): Promise<void> {
    await this.#onClose();
  }
}
