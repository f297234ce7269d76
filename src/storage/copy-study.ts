/**
 * Copying a study between storages (memory, SQLite, PostgreSQL; or within one, under another
 * name): its record (objectives, space, attributes, creation time) and every trial as it is
 * (numbers, states, values, metrics, intermediate values, attributes, times, workers, retry
 * links), through `createStudy` and one `addTrials`; then the artifacts that the source keeps
 * in its own database (saved models), under the new name. A copy that fails part-way is
 * deleted from the target: the target has the whole study or none of it.
 */
import { HypertunerError } from '../space/index.js';
import type { Trial } from '../trials/index.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { openArtifactStore } from './artifacts/open-artifact-store.js';
import { MemoryStorage } from './memory-storage.js';
import { openStorage } from './open-storage.js';
import { SqlStorage } from './sql/sql-storage.js';
import type { CreateStudyInput, Storage, StudyRecord, TrialTemplate } from './storage.js';
import { studyNotFoundError } from './trial-records.js';

export interface CopyStudyOptions {
  /** The study to copy. */
  readonly name: string;
  /** Its name in the target (default: the same). A study of that name must not exist there. */
  readonly toName?: string;
  /** Copy the artifacts the source keeps in its own database (default true). */
  readonly artifacts?: boolean;
}

export interface CopyStudyResult {
  /** The copy, as the target stores it. */
  readonly study: StudyRecord;
  readonly trials: number;
  /** Artifacts copied (saved models kept in the source's database). */
  readonly artifacts: number;
}

/**
 * Copies study `options.name` of `from` into `to` (storages, or URLs opened and closed here).
 * Throws `STUDY_NOT_FOUND` when the source has no such study and `STUDY_EXISTS` when the target
 * has one of the new name (nothing is written then).
 */
export async function copyStudy(
  from: Storage | string,
  to: Storage | string,
  options: CopyStudyOptions,
): Promise<CopyStudyResult> {
  const source = typeof from === 'string' ? await openStorage(from) : from;
  try {
    const target = typeof to === 'string' ? await openStorage(to) : to;
    try {
      return await copyBetween(source, target, options);
    } finally {
      if (typeof to === 'string') await target.close();
    }
  } finally {
    if (typeof from === 'string') await source.close();
  }
}

async function copyBetween(
  source: Storage,
  target: Storage,
  options: CopyStudyOptions,
): Promise<CopyStudyResult> {
  const toName = options.toName ?? options.name;
  const record = await source.loadStudy(options.name);
  if (record === undefined) throw studyNotFoundError(options.name);
  await refuseExisting(target, toName, 'copy');
  const trials = await source.getTrials(record.id);
  const stores = options.artifacts === false ? undefined : artifactStores(source, target);
  return addStudy(
    target,
    {
      name: toName,
      objectives: record.objectives,
      space: record.space.toJSON(),
      userAttrs: record.userAttrs,
      createdAt: record.createdAt,
    },
    trials,
    async (copy) => (stores === undefined ? 0 : copyArtifacts(stores, record.name, copy.name)),
  );
}

/** Throws `STUDY_EXISTS` when `storage` has a study called `name` (a copy or import would clash). */
export async function refuseExisting(storage: Storage, name: string, verb: string): Promise<void> {
  if ((await storage.loadStudy(name)) === undefined) return;
  throw new HypertunerError(
    'STUDY_EXISTS',
    `${storage.url} has a study called '${name}' already; ${verb} under another name (toName, --to-name) or delete it first.`,
    { field: 'toName' },
  );
}

/**
 * Creates study `input` in `storage` with `trials` (numbered 0, 1, ... in order), then runs
 * `then` (more writes of the same study); when any of it fails, deletes the study again.
 */
export async function addStudy(
  storage: Storage,
  input: CreateStudyInput,
  trials: readonly TrialTemplate[],
  then: (study: StudyRecord) => Promise<number> = async () => 0,
): Promise<CopyStudyResult> {
  const study = await storage.createStudy(input);
  try {
    const added = await storage.addTrials(study.id, templatesOf(trials));
    const artifacts = await then(study);
    return { study, trials: added.length, artifacts };
  } catch (error) {
    await storage.deleteStudy(study.name).catch(() => undefined);
    throw error;
  }
}

/** The templates of `trials` without their ids and numbers (a Trial carries both). */
export function templatesOf(trials: readonly TrialTemplate[]): TrialTemplate[] {
  return trials.map((trial) => {
    const { id: _id, number: _number, ...template } = trial as Partial<Trial> & TrialTemplate;
    return template;
  });
}

/** The artifact stores in the two storages' own databases, when both keep artifacts there. */
function artifactStores(
  source: Storage,
  target: Storage,
): { readonly from: Promise<ArtifactStore>; readonly to: Promise<ArtifactStore> } | undefined {
  const keeps = (s: Storage): boolean => s instanceof SqlStorage || s instanceof MemoryStorage;
  if (!keeps(source) || !keeps(target)) return undefined;
  // the source accepted them: no size limit on the way over
  return {
    from: openArtifactStore(source),
    to: openArtifactStore(target, { maxBytes: Number.MAX_SAFE_INTEGER }),
  };
}

async function copyArtifacts(
  stores: { readonly from: Promise<ArtifactStore>; readonly to: Promise<ArtifactStore> },
  fromName: string,
  toName: string,
): Promise<number> {
  const [from, to] = await Promise.all([stores.from, stores.to]);
  const infos = await from.list(fromName);
  for (const info of infos) {
    const bytes = await from.get(fromName, info.trialNumber, info.name);
    if (bytes !== undefined) await to.put(toName, info.trialNumber, info.name, bytes);
  }
  return infos.length;
}
