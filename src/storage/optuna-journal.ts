/**
 * Studies to and from Optuna journal files (formats/optuna-journal-*.ts): `exportOptunaJournal`
 * writes a study of a storage as the text of a file that Optuna's
 * `JournalStorage(JournalFileStorage(path))` opens; `importOptunaJournal` adds a study of such a
 * file (written by Optuna, or by us and continued in Python) to a storage, whole or not at all,
 * so that a search continues with its trials as history.
 */
import { addStudy, refuseExisting } from './copy-study.js';
import type { CopyStudyResult } from './copy-study.js';
import { optunaJournalOf } from './formats/optuna-journal-write.js';
import type { OptunaJournal } from './formats/optuna-journal-write.js';
import { readOptunaJournal } from './formats/optuna-journal-read.js';
import type { ReadOptunaJournalOptions } from './formats/optuna-journal-read.js';
import { openStorage } from './open-storage.js';
import type { Storage } from './storage.js';
import { studyNotFoundError } from './trial-records.js';

/** Study `name` of `storage` (or a URL, opened and closed here) as an Optuna journal file. */
export async function exportOptunaJournal(
  storage: Storage | string,
  name: string,
): Promise<OptunaJournal> {
  return withStorage(storage, async (s) => {
    const record = await s.loadStudy(name);
    if (record === undefined) throw studyNotFoundError(name);
    return optunaJournalOf(record, await s.getTrials(record.id));
  });
}

export interface ImportOptunaJournalOptions extends ReadOptunaJournalOptions {
  /** Its name in the storage (default: its name in the file). Must not exist there. */
  readonly toName?: string;
}

export interface ImportOptunaJournalResult extends CopyStudyResult {
  /** What was left out or changed on the way (a sampler's attributes, say), in words. */
  readonly notes: readonly string[];
}

/**
 * Adds a study of the Optuna journal file `text` to `storage` (see the file comment). Throws
 * `IMPORT_INVALID_FILE` for a file Optuna would not replay or without the study, and
 * `STUDY_EXISTS` when the storage has a study of that name (nothing is written then).
 */
export async function importOptunaJournal(
  storage: Storage | string,
  text: string,
  options: ImportOptunaJournalOptions = {},
): Promise<ImportOptunaJournalResult> {
  const read = readOptunaJournal(text, options);
  const name = options.toName ?? read.study.name;
  return withStorage(storage, async (s) => {
    await refuseExisting(s, name, 'import');
    const result = await addStudy(s, { ...read.study, name }, read.trials);
    return { ...result, notes: read.notes };
  });
}

async function withStorage<T>(
  storage: Storage | string,
  run: (s: Storage) => Promise<T>,
): Promise<T> {
  const s = typeof storage === 'string' ? await openStorage(storage) : storage;
  try {
    return await run(s);
  } finally {
    if (typeof storage === 'string') await s.close();
  }
}
