/**
 * A per-study cache of finished trials, so reading a study with many trials costs a query
 * for what changed, not a reload of everything. Finished trials never change (except their
 * user attributes, which bump the trial's revision); live trials (WAITING, RUNNING) are
 * always read fresh. Writers give every such change the next `studies.revision` while
 * holding the study's write lock, so any snapshot holds all revisions up to the study's
 * current one: after reading the rows with `revision > cache.revision`, the cache is
 * complete up to the study's revision in that snapshot.
 */
import type { Trial } from '../../trials/index.js';
import { isFinished } from '../../trials/index.js';
import type { StudyRecord } from '../storage.js';
import type { StudyRow } from './rows.js';

export class StudyTrialCache {
  /** Everything with a revision up to this one is in `#finished`. */
  revision = 0;
  /** Finished trials by number (holes where trials are live or unknown). */
  readonly #finished: (Trial | undefined)[] = [];
  /** Finished trials' revisions, by number. */
  readonly #revisions: number[] = [];
  #finishedCount = 0;
  #studyKey = '';
  #study: StudyRecord | undefined;

  /** The study record of `row`, decoded (by `decode`) once per distinct content. */
  study(row: StudyRow, decode: (row: StudyRow) => StudyRecord): StudyRecord {
    const key = `${String(row.id)}\u0000${row.name}\u0000${row.objectives}\u0000${row.space}\u0000${row.user_attrs}`;
    if (this.#study === undefined || key !== this.#studyKey) {
      this.#study = decode(row);
      this.#studyKey = key;
    }
    return this.#study;
  }

  /**
   * Takes in the trials read in one snapshot (live ones, and finished ones changed since
   * `revision`) and returns every trial of the study by number. With `keep: false` (some rows
   * of the snapshot could not be read) the cache stays as it was, so that the next read meets
   * those rows again.
   */
  update(
    changed: readonly { readonly trial: Trial; readonly revision: number }[],
    snapshotRevision: number,
    keep = true,
  ): Trial[] {
    const live: Trial[] = [];
    const finished = keep ? this.#finished : this.#finished.slice();
    let finishedCount = this.#finishedCount;
    for (const { trial, revision } of changed) {
      if (!isFinished(trial.status)) {
        live.push(trial);
        continue;
      }
      const known = this.#revisions[trial.number];
      if (known !== undefined && known > revision) continue;
      if (finished[trial.number] === undefined) finishedCount++;
      finished[trial.number] = trial;
      if (keep) this.#revisions[trial.number] = revision;
    }
    if (keep) {
      this.#finishedCount = finishedCount;
      this.revision = Math.max(this.revision, snapshotRevision);
    }
    const all = finished.slice();
    let count = finishedCount;
    for (const trial of live) {
      if (all[trial.number] === undefined) count++;
      all[trial.number] = trial;
    }
    return count === all.length ? (all as Trial[]) : all.filter((t): t is Trial => t !== undefined);
  }
}
