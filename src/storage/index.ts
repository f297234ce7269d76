export type {
  Storage,
  StudyRecord,
  StudySummary,
  CreateStudyInput,
  StudySnapshot,
  StartDecision,
  StartOutcome,
  TrialResult,
  TrialTemplate,
  EnqueueOptions,
  ReapOptions,
  CorruptRecord,
  CorruptRowOptions,
} from './storage.js';
export { StorageErrorCode } from './storage.js';
export {
  MAX_STUDY_NAME_LENGTH,
  checkStudyName,
  isStorableText,
  storableText,
  studyNameProblem,
  terminalText,
} from './stored-text.js';
export { MemoryStorage } from './memory-storage.js';
export { SqliteStorage } from './sqlite-storage.js';
export { isSqliteError } from './sqlite-errors.js';
export type { SqliteStorageOptions } from './sqlite-storage.js';
export { PostgresStorage, isRetryablePostgresError } from './postgres-storage.js';
export type { PostgresStorageOptions } from './postgres-storage.js';
export {
  openStorage,
  defaultStorageUrl,
  parseStorageUrl,
  redactStorageUrl,
} from './open-storage.js';
export type { OpenStorageOptions, ParsedStorageUrl } from './open-storage.js';
export { LATEST_SCHEMA_VERSION } from './sql/schema.js';
export type {
  ArtifactInfo,
  ArtifactStore,
  DatabaseArtifactStoreOptions,
  OpenArtifactStoreOptions,
} from './artifacts/index.js';
export {
  ArtifactErrorCode,
  DatabaseArtifactStore,
  DEFAULT_MAX_ARTIFACT_BYTES,
  DirectoryArtifactStore,
  MemoryArtifactStore,
  openArtifactStore,
} from './artifacts/index.js';
export { copyStudy } from './copy-study.js';
export type { CopyStudyOptions, CopyStudyResult } from './copy-study.js';
export { exportOptunaJournal, importOptunaJournal } from './optuna-journal.js';
export type { ImportOptunaJournalOptions, ImportOptunaJournalResult } from './optuna-journal.js';
export { optunaJournalOf } from './formats/optuna-journal-write.js';
export type { OptunaJournal } from './formats/optuna-journal-write.js';
export type { ReadOptunaJournalOptions } from './formats/optuna-journal-read.js';
export {
  DEFAULT_TABLE_ATTRS,
  TABLE_ATTRS,
  buildTrialsTable,
  trialsTableCsv,
  trialsTableJsonl,
} from './formats/index.js';
export type { TableAttr, TableCell, TrialsTable, TrialsTableOptions } from './formats/index.js';
