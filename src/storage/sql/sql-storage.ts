/**
 * The storage contract over SQL, shared by the SQLite and PostgreSQL adapters: one engine,
 * thin drivers (`SqlDriver`). Every operation is one transaction. Writes that create, claim,
 * finish or fail trials lock the study row first (SQLite: the whole database), so trial
 * numbers are dense and `startTrial`'s `decide` sees a history nobody changes under it.
 * With many workers that lock is the bottleneck, so it is held for as few round trips as
 * possible (PostgreSQL): `startTrial` locks and reads in one round trip and creates the trial
 * with one statement, then commits; `finishTrial` is one autocommitted statement; reaping
 * looks for stale trials without the lock and takes it only when it finds some.
 */
import { randomUUID } from 'node:crypto';
import { HypertunerError, SearchSpace } from '../../space/index.js';
import type { ParamValues, SearchSpaceJson } from '../../space/index.js';
import type { IntermediateValue, JsonValue, Trial, TrialStatus } from '../../trials/index.js';
import { TRIAL_STATUSES } from '../../trials/index.js';
import { plural } from '../../plural.js';
import type {
  CorruptRecord,
  CorruptRowOptions,
  CreateStudyInput,
  EnqueueOptions,
  ReapOptions,
  StartDecision,
  StartOutcome,
  Storage,
  StudyRecord,
  StudySnapshot,
  StudySummary,
  TrialResult,
  TrialTemplate,
} from '../storage.js';
import { StorageErrorCode } from '../storage.js';
import {
  emptyCounts,
  isStale,
  notRunningError,
  retryRoot,
  staleErrorText,
  studyNotFoundError,
  validateIntermediate,
  validateParams,
  validateResult,
  validateTemplate,
} from '../trial-records.js';
import { checkStudyName, isStorableText } from '../stored-text.js';
import { integer } from './decode-rows.js';
import type { SqlParam, StudyRow, TrialRow } from './rows.js';
import { insertTrials, insertedTrials } from './add-trials.js';
import {
  STUDY_COLUMNS,
  TRIAL_COLUMNS,
  encodeJson,
  encodeNumbers,
  firstValue,
  toNumber,
} from './rows.js';
import type { SqlDriver } from './sql-driver.js';
import { StudyTrialCache } from './trial-cache.js';
import {
  SqlQueries,
  corruptRecordOf,
  first,
  intermediatesOf,
  trialNotFoundError,
} from './sql-queries.js';
import { DatabaseArtifactStore } from '../artifacts/database-artifact-store.js';
import type { DatabaseArtifactStoreOptions } from '../artifacts/database-artifact-store.js';

export class SqlStorage implements Storage {
  readonly url: string;
  readonly #driver: SqlDriver;
  readonly #queries: SqlQueries;
  readonly #caches = new Map<number, StudyTrialCache>();

  constructor(url: string, driver: SqlDriver) {
    this.url = url;
    this.#driver = driver;
    this.#queries = new SqlQueries(driver, url);
  }

  async createStudy(input: CreateStudyInput): Promise<StudyRecord> {
    checkStudyName(input.name);
    const space = input.space === undefined ? new SearchSpace() : SearchSpace.fromJSON(input.space);
    const createdAt = input.createdAt ?? this.#driver.now();
    const objectives = encodeJson(input.objectives);
    return this.#driver.transaction('write', async (sql, attempt) => {
      const existing = await this.#queries.studyByName(sql, input.name);
      if (existing !== undefined) {
        // A retry after a lost commit finds the study it created itself.
        if (
          attempt > 0 &&
          toNumber(existing.created_at) === createdAt &&
          existing.objectives === objectives
        ) {
          return this.#queries.study(existing);
        }
        throw studyExistsError(input.name);
      }
      try {
        const rows = await sql.all<StudyRow>(
          `INSERT INTO studies (name, objectives, space, user_attrs, created_at) VALUES (?, ?, ?, ?, ?) RETURNING ${STUDY_COLUMNS}`,
          [
            input.name,
            objectives,
            encodeJson(space.toJSON()),
            encodeJson(input.userAttrs ?? {}),
            createdAt,
          ],
        );
        return this.#queries.study(first(rows));
      } catch (error) {
        if (this.#driver.isUniqueViolation(error)) throw studyExistsError(input.name);
        throw error;
      }
    });
  }

  async loadStudy(name: string): Promise<StudyRecord | undefined> {
    // a name that cannot be stored is no study's (and must not match its U+FFFD form)
    if (typeof name !== 'string' || !isStorableText(name)) return undefined;
    return this.#driver.transaction('read', async (sql) => {
      const row = await this.#queries.studyByName(sql, name);
      return row === undefined ? undefined : this.#queries.study(row);
    });
  }

  async listStudies(options: CorruptRowOptions = {}): Promise<StudySummary[]> {
    return this.#driver.transaction('read', async (sql) => {
      const studies = await sql.all<StudyRow>(`SELECT ${STUDY_COLUMNS} FROM studies ORDER BY id`);
      const counts = await sql.all<{
        study_id: number | string;
        status: string;
        n: number | string;
      }>('SELECT study_id, status, COUNT(*) AS n FROM trials GROUP BY study_id, status');
      const best = await sql.all<{
        study_id: number | string;
        lo: number | string | null;
        hi: number | string | null;
      }>(
        "SELECT study_id, MIN(first_value) AS lo, MAX(first_value) AS hi FROM trials WHERE status = 'COMPLETED' GROUP BY study_id",
      );
      const summaries: StudySummary[] = [];
      for (const row of studies) {
        let study: StudyRecord;
        try {
          study = this.#queries.study(row);
        } catch (error) {
          const record = corruptRecordOf(error);
          if (record === undefined || options.onCorrupt === undefined) throw error;
          options.onCorrupt(record);
          continue;
        }
        const trialCounts = emptyCounts();
        for (const c of counts) {
          if (toNumber(c.study_id) !== study.id) continue;
          if (!TRIAL_STATUSES.includes(c.status as TrialStatus)) {
            // a status nobody writes: the trials that have it are damaged
            const error = this.#queries.corruptError(
              new HypertunerError(
                StorageErrorCode.Corrupt,
                `status of ${plural(toNumber(c.n), 'trial')} is ${JSON.stringify(c.status)}, not one of ${TRIAL_STATUSES.join(', ')}`,
                { field: 'status' },
              ),
              undefined,
              row,
            );
            const record = corruptRecordOf(error);
            if (record === undefined || options.onCorrupt === undefined) throw error;
            options.onCorrupt(record);
            continue;
          }
          trialCounts[c.status as TrialStatus] = toNumber(c.n);
        }
        const b = best.find((x) => toNumber(x.study_id) === study.id);
        const bound = study.objectives[0]?.direction === 'maximize' ? b?.hi : b?.lo;
        const bestValue = bound === null || bound === undefined ? undefined : toNumber(bound);
        summaries.push({
          ...study,
          trialCounts,
          // a damaged value is the trial's to report (`trials`); the summary leaves it out
          bestValue: bestValue === undefined || Number.isNaN(bestValue) ? undefined : bestValue,
        });
      }
      return summaries;
    });
  }

  async deleteStudy(name: string): Promise<void> {
    if (typeof name !== 'string' || !isStorableText(name)) throw studyNotFoundError(String(name));
    await this.#driver.transaction('write', async (sql, attempt) => {
      const row = await this.#queries.studyByName(sql, name, true);
      if (row === undefined) {
        if (attempt > 0) return; // the lost attempt deleted it
        throw studyNotFoundError(name);
      }
      const id = integer(row.id, 'id');
      await sql.run('DELETE FROM artifacts WHERE study_id = ?', [id]);
      await sql.run(
        'DELETE FROM intermediate_values WHERE trial_id IN (SELECT id FROM trials WHERE study_id = ?)',
        [id],
      );
      await sql.run('DELETE FROM trials WHERE study_id = ?', [id]);
      await sql.run('DELETE FROM studies WHERE id = ?', [id]);
      this.#caches.delete(id);
    });
  }

  async mergeSearchSpace(studyId: number, space: SearchSpaceJson): Promise<SearchSpace> {
    const addition = SearchSpace.fromJSON(space);
    return this.#driver.transaction('write', async (sql) => {
      const row = await this.#queries.lockStudy(sql, studyId);
      const current = this.#queries.study(row).space;
      const merged = current.merge(addition);
      if (merged !== current)
        await sql.run('UPDATE studies SET space = ? WHERE id = ?', [
          encodeJson(merged.toJSON()),
          studyId,
        ]);
      return merged;
    });
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.#driver.transaction('write', async (sql) => {
      const row = await this.#queries.lockStudy(sql, studyId);
      const attrs = { ...this.#queries.study(row).userAttrs, [key]: value };
      await sql.run('UPDATE studies SET user_attrs = ? WHERE id = ?', [encodeJson(attrs), studyId]);
    });
  }

  async getTrials(
    studyId: number,
    options: { readonly statuses?: readonly TrialStatus[] } & CorruptRowOptions = {},
  ): Promise<Trial[]> {
    // reported once per read, even when a transaction is run again
    const found: CorruptRecord[] = [];
    const trials = await this.#driver.transaction('read', (sql) => {
      found.length = 0;
      return this.#queries
        .studyAndTrials(
          sql,
          studyId,
          false,
          this.#cacheFor(studyId),
          options.onCorrupt === undefined ? {} : { onCorrupt: (r) => found.push(r) },
        )
        .then((r) => r.trials);
    });
    for (const record of found) options.onCorrupt?.(record);
    const statuses = options.statuses;
    return statuses === undefined ? trials : trials.filter((t) => statuses.includes(t.status));
  }

  async getTrial(trialId: number): Promise<Trial | undefined> {
    return this.#driver.transaction('read', (sql) => this.#queries.trialById(sql, trialId));
  }

  async startTrial(
    studyId: number,
    workerId: string,
    decide: (snapshot: StudySnapshot) => StartDecision,
  ): Promise<StartOutcome> {
    const token = randomUUID();
    return this.#driver.transaction('write', async (sql, attempt): Promise<StartOutcome> => {
      if (attempt > 0) {
        const done = await this.#queries.trialByToken(sql, token);
        if (done !== undefined) return { kind: 'started', trial: done };
      }
      // The lock and the read are one round trip; the lock is held from there to commit.
      const { row, trials } = await this.#queries.studyAndTrials(
        sql,
        studyId,
        true,
        this.#cacheFor(studyId),
      );
      const study = this.#cacheFor(studyId).study(row, (r) => this.#queries.study(r));
      const decision = decide({ study, trials });
      const now = this.#driver.now();
      switch (decision.kind) {
        case 'claim': {
          // WAITING trials are claimed only under the study lock: no other claimer can race.
          const claimed = await sql.all<TrialRow>(
            `UPDATE trials SET status = 'RUNNING', started_at = ?, heartbeat_at = ?, worker_id = ?, request_token = ? WHERE id = ? AND study_id = ? AND status = 'WAITING' RETURNING ${TRIAL_COLUMNS}`,
            [now, now, workerId, token, decision.trialId, studyId],
          );
          const claimedRow = claimed[0];
          if (claimedRow === undefined) {
            throw new HypertunerError(
              StorageErrorCode.TrialNotWaiting,
              `Trial id ${decision.trialId} is not WAITING in study ${studyId}; only waiting trials can be claimed.`,
              { field: 'trialId' },
            );
          }
          // a WAITING trial has reported no intermediate values
          return { kind: 'started', trial: this.#queries.trial(claimedRow, []) };
        }
        case 'create': {
          const trial = await this.#queries.insertTrial(sql, studyId, decision.params, {
            status: 'RUNNING',
            now,
            workerId,
            token,
            oracleAttrs: decision.oracleAttrs ?? {},
            userAttrs: {},
            retryOf: undefined,
          });
          return { kind: 'started', trial };
        }
        case 'wait':
        case 'exhausted':
        case 'stop':
          return { kind: decision.kind, reason: decision.reason };
        default:
          return assertNever(decision);
      }
    });
  }

  async addTrials(studyId: number, templates: readonly TrialTemplate[]): Promise<Trial[]> {
    templates.forEach((template, i) => validateTemplate(template, i));
    const token = randomUUID();
    return this.#driver.transaction('write', async (sql, attempt) => {
      if (attempt > 0) {
        const done = await insertedTrials(sql, token, (id) => this.#queries.trialById(sql, id));
        if (done !== undefined) return done;
      }
      await this.#queries.lockStudy(sql, studyId);
      return insertTrials(sql, studyId, templates, token);
    });
  }

  async enqueueTrial(
    studyId: number,
    params: ParamValues,
    options: EnqueueOptions = {},
  ): Promise<Trial> {
    validateParams(params);
    const token = randomUUID();
    return this.#driver.transaction('write', async (sql, attempt) => {
      if (attempt > 0) {
        const done = await this.#queries.trialByToken(sql, token);
        if (done !== undefined) return done;
      }
      await this.#queries.lockStudy(sql, studyId);
      return this.#queries.insertTrial(sql, studyId, params, {
        status: 'WAITING',
        now: this.#driver.now(),
        workerId: undefined,
        token,
        oracleAttrs: options.oracleAttrs ?? {},
        userAttrs: options.userAttrs ?? {},
        retryOf: options.retryOf,
      });
    });
  }

  async reportIntermediate(trialId: number, intermediate: IntermediateValue): Promise<void> {
    validateIntermediate(intermediate);
    await this.#driver.transaction('write', async (sql) => {
      await this.#queries.touchRunning(sql, trialId);
      await sql.run(
        'INSERT INTO intermediate_values (trial_id, step, value, metrics) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value, metrics = excluded.metrics',
        [trialId, intermediate.step, intermediate.value, encodeNumbers(intermediate.metrics ?? {})],
      );
    });
  }

  async heartbeat(trialId: number): Promise<void> {
    await this.#driver.transaction('single', (sql) => this.#queries.touchRunning(sql, trialId));
  }

  async finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    validateResult(result);
    const fields: SqlParam[] = [
      result.status,
      result.values === undefined ? null : encodeNumbers(result.values),
      firstValue(result.values),
      encodeNumbers(result.metrics ?? {}),
      result.error ?? null,
      this.#driver.now(),
      result.params === undefined ? null : encodeJson(result.params),
    ];
    const set =
      'status = ?, objective_values = ?, first_value = ?, metrics = ?, error = ?, finished_at = ?, params = COALESCE(?, params)';
    const cte = this.#driver.writableCte;
    return this.#driver.transaction(cte ? 'single' : 'write', async (sql, attempt) => {
      let rows: TrialRow[];
      if (cte) {
        // One statement: take the study's next revision (and its row lock, until the
        // statement commits) and finish the trial with it.
        rows = await sql.all<TrialRow>(
          `WITH s AS (UPDATE studies SET revision = revision + 1 WHERE id = (SELECT study_id FROM trials WHERE id = ? AND status = 'RUNNING') RETURNING revision AS next_revision) UPDATE trials SET ${set}, revision = s.next_revision FROM s WHERE trials.id = ? AND trials.status = 'RUNNING' RETURNING ${this.#queries.trialColumns}`,
          [trialId, ...fields, trialId],
        );
      } else {
        const revisions = await sql.all<{ revision: number | string }>(
          "UPDATE studies SET revision = revision + 1 WHERE id = (SELECT study_id FROM trials WHERE id = ? AND status = 'RUNNING') RETURNING revision",
          [trialId],
        );
        const revision = revisions[0]?.revision;
        rows =
          revision === undefined
            ? []
            : await sql.all<TrialRow>(
                `UPDATE trials SET ${set}, revision = ? WHERE id = ? AND status = 'RUNNING' RETURNING ${this.#queries.trialColumns}`,
                [...fields, toNumber(revision), trialId],
              );
      }
      const row = rows[0];
      if (row !== undefined) {
        const intermediates =
          this.#driver.intermediatesJson === undefined
            ? await this.#queries.intermediatesOfTrial(sql, trialId)
            : intermediatesOf(row, undefined);
        return this.#queries.trial(row, intermediates);
      }
      const before = await this.#queries.trialById(sql, trialId);
      if (before === undefined) throw trialNotFoundError(trialId);
      // A retry after a lost commit finds the trial it finished itself.
      if (attempt > 0 && before.status === result.status && before.error === result.error)
        return before;
      throw notRunningError(before);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.#driver.transaction('write', async (sql) => {
      const studyId = await this.#queries.studyIdOfTrial(sql, trialId);
      const revision = await this.#queries.nextRevision(sql, studyId);
      const rows = await sql.all<TrialRow>(
        `SELECT ${TRIAL_COLUMNS} FROM trials WHERE id = ?${this.#driver.forUpdate}`,
        [trialId],
      );
      const attrs = { ...this.#queries.trial(first(rows), []).userAttrs, [key]: value };
      await sql.run('UPDATE trials SET user_attrs = ?, revision = ? WHERE id = ?', [
        encodeJson(attrs),
        revision,
        trialId,
      ]);
    });
  }

  async reapStaleTrials(studyId: number, options: ReapOptions): Promise<Trial[]> {
    // Most of the time nothing is stale: find that out without taking the study lock.
    const candidates = await this.#driver.transaction('single', (sql) =>
      sql.all<TrialRow>(
        `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND status = 'RUNNING'`,
        [studyId],
      ),
    );
    const checkNow = options.now ?? this.#driver.now();
    if (
      !candidates.some((row) =>
        isStale(this.#queries.trial(row, []), { ...options, now: checkNow }),
      )
    )
      return [];
    return this.#driver.transaction('write', async (sql) => {
      await this.#queries.lockStudy(sql, studyId);
      const now = options.now ?? this.#driver.now();
      const running = await sql.all<TrialRow>(
        `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND status = 'RUNNING' ORDER BY number`,
        [studyId],
      );
      const reaped: Trial[] = [];
      for (const row of running) {
        const trial = this.#queries.trial(row, []);
        if (!isStale(trial, { ...options, now })) continue;
        const root = retryRoot(trial);
        const counted = await sql.all<{ n: number | string }>(
          'SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND retry_of = ?',
          [studyId, root],
        );
        const retries = toNumber(first(counted).n);
        const lost = { times: retries + 1, retried: retries < options.maxRetries };
        const revision = await this.#queries.nextRevision(sql, studyId);
        const changed = await sql.run(
          "UPDATE trials SET status = 'FAILED', finished_at = ?, error = ?, revision = ? WHERE id = ? AND status = 'RUNNING'",
          [
            now,
            staleErrorText(trial, now, { ...lost, maxRetries: options.maxRetries }),
            revision,
            trial.id,
          ],
        );
        if (changed === 0) continue;
        reaped.push(await this.#queries.requireTrial(sql, trial.id));
        if (lost.retried) {
          await this.#queries.insertTrial(sql, studyId, trial.params, {
            status: 'WAITING',
            now,
            workerId: undefined,
            token: randomUUID(),
            oracleAttrs: trial.oracleAttrs,
            userAttrs: {},
            retryOf: root,
          });
        }
      }
      return reaped;
    });
  }

  /**
   * An artifact store keeping bytes in this database (`artifacts` table); see
   * `openArtifactStore`. `onClose` runs when the store is closed (the storage stays open).
   */
  artifactStore(
    options: DatabaseArtifactStoreOptions = {},
    onClose?: () => Promise<void>,
  ): DatabaseArtifactStore {
    return new DatabaseArtifactStore(this.url, this.#driver, options, onClose);
  }

  async close(): Promise<void> {
    this.#caches.clear();
    await this.#driver.close();
  }

  #cacheFor(studyId: number): StudyTrialCache {
    let cache = this.#caches.get(studyId);
    if (cache === undefined) {
      cache = new StudyTrialCache();
      this.#caches.set(studyId, cache);
    }
    return cache;
  }
}

function studyExistsError(name: string): HypertunerError {
  return new HypertunerError(
    StorageErrorCode.StudyExists,
    `A study called '${name}' already exists.`,
    { field: 'study' },
  );
}

function assertNever(value: never): never {
  throw new Error(`Unexpected decision ${JSON.stringify(value)}.`);
}
