export type {
  Storage,
  StudyRecord,
  StudySummary,
  CreateStudyInput,
  StudySnapshot,
  StartDecision,
  StartOutcome,
  TrialResult,
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
