/** Artifacts in this process's memory (with `memory:` storage, and for tests). */
import type { ArtifactInfo, ArtifactStore } from './artifact-store.js';
import { sortArtifacts, validateArtifactBytes, validateArtifactKey } from './artifact-store.js';

export class MemoryArtifactStore implements ArtifactStore {
  readonly url = 'memory:';
  /** study name -> `${trialNumber}/${name}` -> bytes */
  readonly #studies = new Map<
    string,
    Map<string, { trialNumber: number; name: string; bytes: Uint8Array }>
  >();

  async put(
    studyName: string,
    trialNumber: number,
    name: string,
    bytes: Uint8Array,
  ): Promise<void> {
    validateArtifactKey(studyName, trialNumber, name);
    validateArtifactBytes(bytes);
    let study = this.#studies.get(studyName);
    if (study === undefined) {
      study = new Map();
      this.#studies.set(studyName, study);
    }
    study.set(`${trialNumber}/${name}`, { trialNumber, name, bytes: bytes.slice() });
  }

  async get(studyName: string, trialNumber: number, name: string): Promise<Uint8Array | undefined> {
    validateArtifactKey(studyName, trialNumber, name);
    return this.#studies.get(studyName)?.get(`${trialNumber}/${name}`)?.bytes.slice();
  }

  async list(studyName: string, trialNumber?: number): Promise<ArtifactInfo[]> {
    validateArtifactKey(studyName, trialNumber);
    const entries = [...(this.#studies.get(studyName)?.values() ?? [])];
    return sortArtifacts(
      entries
        .filter((e) => trialNumber === undefined || e.trialNumber === trialNumber)
        .map((e) => ({ trialNumber: e.trialNumber, name: e.name, size: e.bytes.byteLength })),
    );
  }

  async remove(studyName: string, trialNumber: number, name?: string): Promise<number> {
    validateArtifactKey(studyName, trialNumber, name);
    const study = this.#studies.get(studyName);
    if (study === undefined) return 0;
    let removed = 0;
    for (const [key, entry] of study) {
      if (entry.trialNumber === trialNumber && (name === undefined || entry.name === name)) {
        study.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}
}
