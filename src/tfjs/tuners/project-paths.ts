/**
 * Where a tuner keeps things, as Keras Tuner does: `directory/projectName/` holds the study
 * (`study.db`, unless a `storage` URL is given) and one `trial_NNNN/` folder per trial with
 * the checkpoint of its best epoch.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The project's folder. */
export function projectDir(directory: string, projectName: string): string {
  return resolve(directory, projectName);
}

/** The storage URL of a project's SQLite study file. */
export function projectStorageUrl(directory: string, projectName: string): string {
  return `sqlite:${join(projectDir(directory, projectName), 'study.db')}`;
}

/** `trial_0007` for trial 7. */
export function trialFolderName(trialNumber: number): string {
  return `trial_${String(trialNumber).padStart(4, '0')}`;
}

/** The folder of the best-epoch checkpoint of a trial (`model.json` + `weights.bin`). */
export function checkpointDir(directory: string, projectName: string, trialNumber: number): string {
  return join(projectDir(directory, projectName), trialFolderName(trialNumber), 'checkpoint');
}

export async function ensureProjectDir(directory: string, projectName: string): Promise<void> {
  await mkdir(projectDir(directory, projectName), { recursive: true });
}

/** Deletes the `trial_NNNN/` folders of a project (for `overwrite`); other files stay. */
export async function removeTrialFolders(directory: string, projectName: string): Promise<void> {
  const dir = projectDir(directory, projectName);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((n) => /^trial_\d+$/.test(n))
      .map((n) => rm(join(dir, n), { recursive: true, force: true })),
  );
}
