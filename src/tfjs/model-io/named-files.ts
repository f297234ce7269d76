/**
 * Where a saved model's files go: a few named files (`model.json`, `weights.bin`,
 * `optimizer.json`, `optimizer.bin`) read whole and written atomically. Two places hold them:
 * a directory on this machine (or a shared mount), and an artifact store (a directory or the
 * study's own database, reachable from every worker), where the names get a prefix:
 * `checkpoint.model.json`, `checkpoint.weights.bin`...
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '../../storage/index.js';

/** A model's files, by name. */
export interface NamedFiles {
  /** Where the files are, for messages (a directory in quotes). */
  readonly where: string;
  /** The bytes of `name`, or undefined when there is no such file. */
  read(name: string): Promise<Uint8Array | undefined>;
  /** Writes `name` atomically: a reader sees the old bytes or the new ones, never a part. */
  write(name: string, bytes: Uint8Array): Promise<void>;
}

/** A model's place in an artifact store: its files are `prefix.model.json`, `prefix.weights.bin`... */
export interface ArtifactLocation {
  readonly store: ArtifactStore;
  readonly studyName: string;
  readonly trialNumber: number;
  /** Default 'checkpoint'. */
  readonly prefix?: string;
}

/** A directory path, or a place in an artifact store. */
export type ModelLocation = string | ArtifactLocation;

/** The files in directory `dir` (created on the first write), under their own names. */
export function directoryFiles(dir: string): NamedFiles {
  return {
    where: `'${dir}'`,
    read: async (name) => {
      try {
        return await readFile(join(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    write: async (name, bytes) => {
      await mkdir(dir, { recursive: true });
      const path = join(dir, name);
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
  };
}

/** The files of a trial in an artifact store, named `prefix.name` (`put` is atomic). */
export function artifactFiles(location: ArtifactLocation): NamedFiles {
  const { store, studyName, trialNumber, prefix = 'checkpoint' } = location;
  const key = (name: string): string => `${prefix}.${name.replace(/^\.\//, '')}`;
  return {
    where: `${store.url} (study '${studyName}', trial ${trialNumber}, ${prefix}.*)`,
    read: (name) => store.get(studyName, trialNumber, key(name)),
    write: (name, bytes) => store.put(studyName, trialNumber, key(name), bytes),
  };
}

/** The named files of a location. */
export function filesAt(location: ModelLocation): NamedFiles {
  return typeof location === 'string' ? directoryFiles(location) : artifactFiles(location);
}
