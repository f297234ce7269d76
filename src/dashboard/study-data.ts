/**
 * Reading studies for the dashboard: a short-lived cache per study so that the several
 * requests a page makes at once read the storage once, a fingerprint that tells the page when
 * anything changed, and the importance forest kept until the trials change.
 */
import { HypertunerError } from '../space/index.js';
import type { CorruptRecord, Storage, StudyRecord, StudySummary } from '../storage/index.js';
import type { Trial, TrialStatus } from '../trials/index.js';
import { TRIAL_STATUSES } from '../trials/index.js';
import type { ImportanceResult } from '../analysis/importance.js';
import { computeImportances } from '../analysis/importance.js';

/** A study and its trials as read at one moment. */
export interface StudySnapshot {
  readonly study: StudyRecord;
  readonly trials: readonly Trial[];
  /** Trials that could not be read (edited by hand, or damaged): left out of `trials`. */
  readonly damaged: readonly CorruptRecord[];
  readonly counts: Readonly<Record<TrialStatus, number>>;
  /** Changes whenever a trial is added, changes state or reports a value. */
  readonly fingerprint: string;
  /** Changes only when the set of COMPLETED trials changes. */
  readonly completedFingerprint: string;
  readonly readAt: number;
}

export interface StudyDataOptions {
  /** How long a read is reused (ms). Default 750. */
  readonly cacheMs?: number;
}

export function countByStatus(trials: readonly Trial[]): Record<TrialStatus, number> {
  const counts = Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<
    TrialStatus,
    number
  >;
  for (const t of trials) counts[t.status] += 1;
  return counts;
}

function completedFingerprintOf(trials: readonly Trial[]): string {
  let count = 0;
  let latest = 0;
  for (const t of trials) {
    if (t.status !== 'COMPLETED') continue;
    count++;
    latest = Math.max(latest, t.finishedAt ?? 0);
  }
  return `${count}-${latest}`;
}

function fingerprintOf(study: StudyRecord, trials: readonly Trial[]): string {
  let latest = 0;
  let reports = 0;
  for (const t of trials) {
    latest = Math.max(latest, t.createdAt, t.startedAt ?? 0, t.finishedAt ?? 0);
    reports += t.intermediate.length;
  }
  const counts = countByStatus(trials);
  return [
    study.id,
    trials.length,
    ...TRIAL_STATUSES.map((s) => counts[s]),
    latest,
    reports,
    study.space.size,
  ].join('-');
}

export class StudyData {
  readonly storage: Storage;
  readonly #cacheMs: number;
  readonly #snapshots = new Map<string, Promise<StudySnapshot>>();
  readonly #snapshotTimes = new Map<string, number>();
  #studies: { readonly at: number; readonly list: Promise<StudySummary[]> } | undefined;
  readonly #importances = new Map<
    string,
    { readonly fingerprint: string; readonly result: ImportanceResult }
  >();

  constructor(storage: Storage, options: StudyDataOptions = {}) {
    this.storage = storage;
    this.#cacheMs = options.cacheMs ?? 750;
  }

  async listStudies(): Promise<StudySummary[]> {
    const now = Date.now();
    if (this.#studies === undefined || now - this.#studies.at > this.#cacheMs) {
      // a damaged study is left out of the list; the others are shown
      const list = this.storage.listStudies({ onCorrupt: () => undefined });
      this.#studies = { at: now, list };
      list.catch(() => {
        this.#studies = undefined;
      });
    }
    return this.#studies.list;
  }

  /** The study `name` and its trials, or `STUDY_NOT_FOUND`. */
  async snapshot(name: string): Promise<StudySnapshot> {
    const now = Date.now();
    const at = this.#snapshotTimes.get(name);
    const cached = this.#snapshots.get(name);
    if (cached !== undefined && at !== undefined && now - at <= this.#cacheMs) return cached;
    const reading = this.#read(name);
    this.#snapshots.set(name, reading);
    this.#snapshotTimes.set(name, now);
    reading.catch(() => {
      this.#snapshots.delete(name);
      this.#snapshotTimes.delete(name);
    });
    return reading;
  }

  async #read(name: string): Promise<StudySnapshot> {
    const study = await this.storage.loadStudy(name);
    if (study === undefined) {
      throw new HypertunerError(
        'STUDY_NOT_FOUND',
        `No study called '${name}' in ${this.storage.url}.`,
        { field: 'study' },
      );
    }
    // damaged trials are left out and named in the study's header; the others are shown
    const damaged: CorruptRecord[] = [];
    const trials = await this.storage.getTrials(study.id, { onCorrupt: (r) => damaged.push(r) });
    return {
      study,
      trials,
      damaged,
      counts: countByStatus(trials),
      fingerprint: fingerprintOf(study, trials),
      completedFingerprint: completedFingerprintOf(trials),
      readAt: Date.now(),
    };
  }

  /** fANOVA importances for an objective, recomputed only when the trials changed. */
  importances(snapshot: StudySnapshot, objectiveIndex: number): ImportanceResult {
    const key = `${snapshot.study.name}\u0000${objectiveIndex}`;
    const cached = this.#importances.get(key);
    const fingerprint = `${snapshot.completedFingerprint}-${snapshot.study.space.size}`;
    if (cached !== undefined && cached.fingerprint === fingerprint) return cached.result;
    const result = computeImportances(snapshot.study.space.parameters, snapshot.trials, {
      objectiveIndex,
      seed: 0,
    });
    this.#importances.set(key, { fingerprint, result });
    return result;
  }
}
