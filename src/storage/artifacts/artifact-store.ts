/**
 * The artifact contract: files a trial leaves behind (a saved model's `model.json` and
 * `weights.bin`, a plot, a log), addressed by study name, trial number and file name, and
 * readable from every machine that shares the store. Every adapter (directory, database,
 * memory) passes the same contract test suite (`test/storage/artifacts/artifact-contract.ts`).
 *
 * Invariants every adapter keeps:
 * - `put` is atomic: a reader sees the old bytes or the new ones, never a part of them, even
 *   when the writer crashes in the middle; putting a name again replaces it.
 * - Names are plain file names (letters, digits, `.`, `_`, `-`; not starting with `.`), so a
 *   directory layout and a database key are the same thing.
 * - Returned bytes are a copy the caller may keep.
 */
import { HypertunerError } from '../../space/index.js';

/** One stored artifact, as `list` describes it. */
export interface ArtifactInfo {
  readonly trialNumber: number;
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
}

export interface ArtifactStore {
  /** Where the artifacts live (`file:/shared/artifacts`, `sqlite:studies.db`, `postgres://...`, `memory:`). */
  readonly url: string;
  /** Stores `bytes` as `name` of trial `trialNumber` of study `studyName` (atomic; replaces). */
  put(studyName: string, trialNumber: number, name: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored as `name`, or undefined. */
  get(studyName: string, trialNumber: number, name: string): Promise<Uint8Array | undefined>;
  /** The artifacts of one trial, or of every trial of the study, by trial number then name. */
  list(studyName: string, trialNumber?: number): Promise<ArtifactInfo[]>;
  /** Removes `name` of the trial, or all of the trial's artifacts; returns how many went. */
  remove(studyName: string, trialNumber: number, name?: string): Promise<number>;
  /** Releases what the store holds (a database connection it opened itself). */
  close(): Promise<void>;
}

/** Error codes of artifact stores. */
export const ArtifactErrorCode = {
  InvalidKey: 'ARTIFACT_INVALID_KEY',
  TooLarge: 'ARTIFACT_TOO_LARGE',
  InvalidUrl: 'ARTIFACT_INVALID_URL',
  Unsupported: 'ARTIFACT_STORE_UNSUPPORTED',
} as const;

const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;

/** Checks a study name, trial number and (when given) artifact name. */
export function validateArtifactKey(
  studyName: string,
  trialNumber: number | undefined,
  name?: string,
): void {
  if (typeof studyName !== 'string' || studyName.length === 0) {
    throw new HypertunerError(
      ArtifactErrorCode.InvalidKey,
      `Artifact studyName must be a non-empty string, got ${JSON.stringify(studyName)}.`,
      { field: 'studyName' },
    );
  }
  if (trialNumber !== undefined && (!Number.isInteger(trialNumber) || trialNumber < 0)) {
    throw new HypertunerError(
      ArtifactErrorCode.InvalidKey,
      `Artifact trialNumber must be a whole number >= 0, got ${String(trialNumber)}.`,
      { field: 'trialNumber' },
    );
  }
  if (name !== undefined && (typeof name !== 'string' || !NAME_PATTERN.test(name))) {
    throw new HypertunerError(
      ArtifactErrorCode.InvalidKey,
      `Artifact name ${JSON.stringify(name)} is not allowed: use 1 to 200 letters, digits, '.', '_' or '-', not starting with '.' (e.g. 'model.json', 'weights.bin').`,
      { field: 'name' },
    );
  }
}

/** Checks that `bytes` is a byte array. */
export function validateArtifactBytes(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new HypertunerError(
      ArtifactErrorCode.InvalidKey,
      `Artifact bytes must be a Uint8Array (or Buffer), got ${typeof bytes}.`,
      { field: 'bytes' },
    );
  }
}

/** Sorts artifact infos by trial number, then name. */
export function sortArtifacts(infos: ArtifactInfo[]): ArtifactInfo[] {
  return infos.sort((a, b) =>
    a.trialNumber !== b.trialNumber
      ? a.trialNumber - b.trialNumber
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0,
  );
}
