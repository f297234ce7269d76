export type { ArtifactInfo, ArtifactStore } from './artifact-store.js';
export { ArtifactErrorCode } from './artifact-store.js';
export { DirectoryArtifactStore } from './directory-artifact-store.js';
export { DatabaseArtifactStore, DEFAULT_MAX_ARTIFACT_BYTES } from './database-artifact-store.js';
export type { DatabaseArtifactStoreOptions } from './database-artifact-store.js';
export { MemoryArtifactStore } from './memory-artifact-store.js';
export { openArtifactStore } from './open-artifact-store.js';
export type { OpenArtifactStoreOptions } from './open-artifact-store.js';
