/**
 * Artifacts as files under one directory that every worker can reach (a local disk for one
 * machine; NFS, SMB or another shared mount for many): `<root>/<study>/trial-<n>/<name>`, the
 * study name percent-encoded. A put writes a temporary file next to the target, flushes it to
 * disk, then renames it over the target: rename is atomic on POSIX file systems (and on NFS
 * within one directory), so readers see whole files only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ArtifactInfo, ArtifactStore } from './artifact-store.js';
import { sortArtifacts, validateArtifactBytes, validateArtifactKey } from './artifact-store.js';

const TRIAL_DIR = /^trial-(\d+)$/;

export class DirectoryArtifactStore implements ArtifactStore {
  readonly url: string;
  /** The absolute root directory. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.url = `file:${this.root}`;
  }

  async put(
    studyName: string,
    trialNumber: number,
    name: string,
    bytes: Uint8Array,
  ): Promise<void> {
    validateArtifactKey(studyName, trialNumber, name);
    validateArtifactBytes(bytes);
    const dir = this.#trialDir(studyName, trialNumber);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.tmp-${name}-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, join(dir, name));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async get(studyName: string, trialNumber: number, name: string): Promise<Uint8Array | undefined> {
    validateArtifactKey(studyName, trialNumber, name);
    try {
      return new Uint8Array(await readFile(join(this.#trialDir(studyName, trialNumber), name)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async list(studyName: string, trialNumber?: number): Promise<ArtifactInfo[]> {
    validateArtifactKey(studyName, trialNumber);
    const numbers =
      trialNumber !== undefined
        ? [trialNumber]
        : (await entries(this.#studyDir(studyName)))
            .map((entry) => TRIAL_DIR.exec(entry)?.[1])
            .filter((n): n is string => n !== undefined)
            .map(Number);
    const infos: ArtifactInfo[] = [];
    for (const number of numbers) {
      const dir = this.#trialDir(studyName, number);
      for (const name of await entries(dir)) {
        if (name.startsWith('.')) continue; // temporary files of puts in progress
        try {
          const info = await stat(join(dir, name));
          if (info.isFile()) infos.push({ trialNumber: number, name, size: info.size });
        } catch (error) {
          if (!isMissing(error)) throw error; // removed meanwhile
        }
      }
    }
    return sortArtifacts(infos);
  }

  async remove(studyName: string, trialNumber: number, name?: string): Promise<number> {
    validateArtifactKey(studyName, trialNumber, name);
    const dir = this.#trialDir(studyName, trialNumber);
    const names =
      name === undefined ? (await entries(dir)).filter((n) => !n.startsWith('.')) : [name];
    let removed = 0;
    for (const n of names) {
      try {
        await unlink(join(dir, n));
        removed++;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    if (name === undefined) await rm(dir, { recursive: true, force: true });
    return removed;
  }

  async close(): Promise<void> {}

  #studyDir(studyName: string): string {
    return join(this.root, encodeStudyName(studyName));
  }

  #trialDir(studyName: string, trialNumber: number): string {
    return join(this.#studyDir(studyName), `trial-${trialNumber}`);
  }
}

/** A study name as one safe directory name (percent-encoded, dots too). */
export function encodeStudyName(studyName: string): string {
  return encodeURIComponent(studyName).replace(
    /[.!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
