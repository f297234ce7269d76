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
import type {
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
  validateResult,
} from '../trial-records.js';
import type { IntermediateRow, SqlParam, StudyRow, TrialRow } from './rows.js';
import {
  LIVE_STATUSES_SQL,
  STUDY_COLUMNS,
  TRIAL_COLUMNS,
  encodeJson,
  encodeNumbers,
  groupIntermediates,
  parseIntermediateJson,
  toNumber,
  toStudyRecord,
  toTrial,
} from './rows.js';
import type { SqlDriver, SqlExecutor } from './sql-driver.js';
import { StudyTrialCache, revisionOf } from './trial-cache.js';
import { DatabaseArtifactStore } from '../artifacts/database-artifact-store.js';
import type { DatabaseArtifactStoreOptions } from '../artifacts/database-artifact-store.js';

const CHANGED_TRIALS_WHERE = `study_id = ? AND status IN ${LIVE_STATUSES_SQL}`;
// No status condition here on purpose: with one, PostgreSQL's planner (on statistics not yet
// refreshed after a burst of inserts) may pick the (study_id, status) index and filter every
// finished trial, which made asks at 10,000 trials 3x slower. A live trial that also matches is
// merged once by the cache.
const CHANGED_FINISHED_WHERE = 'study_id = ? AND revision > ?';

export class SqlStorage implements Storage {
  readonly url: string;
  readonly #driver: SqlDriver;
  readonly #caches = new Map<number, StudyTrialCache>();

  /** Trial columns, with the intermediate values as JSON when the driver can aggregate them. */
  readonly #trialColumns: string;

  constructor(url: string, driver: SqlDriver) {
    this.url = url;
    this.#driver = driver;
    this.#trialColumns =
      driver.intermediatesJson === undefined
        ? TRIAL_COLUMNS
        : `${TRIAL_COLUMNS}, ${driver.intermediatesJson} AS intermediate_json`;
  }

  async createStudy(input: CreateStudyInput): Promise<StudyRecord> {
    const space = input.space === undefined ? new SearchSpace() : SearchSpace.fromJSON(input.space);
    const createdAt = Date.now();
    const objectives = encodeJson(input.objectives);
    return this.#driver.transaction('write', async (sql, attempt) => {
      const existing = await this.#studyByName(sql, input.name);
      if (existing !== undefined) {
        // A retry after a lost commit finds the study it created itself.
        if (
          attempt > 0 &&
          toNumber(existing.created_at) === createdAt &&
          existing.objectives === objectives
        ) {
          return toStudyRecord(existing);
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
        return toStudyRecord(first(rows));
      } catch (error) {
        if (this.#driver.isUniqueViolation(error)) throw studyExistsError(input.name);
        throw error;
      }
    });
  }

  async loadStudy(name: string): Promise<StudyRecord | undefined> {
    return this.#driver.transaction('read', async (sql) => {
      const row = await this.#studyByName(sql, name);
      return row === undefined ? undefined : toStudyRecord(row);
    });
  }

  async listStudies(): Promise<StudySummary[]> {
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
      return studies.map((row) => {
        const study = toStudyRecord(row);
        const trialCounts = emptyCounts();
        for (const c of counts) {
          if (toNumber(c.study_id) === study.id)
            trialCounts[c.status as TrialStatus] = toNumber(c.n);
        }
        const b = best.find((x) => toNumber(x.study_id) === study.id);
        const bound = study.objectives[0]?.direction === 'maximize' ? b?.hi : b?.lo;
        return {
          ...study,
          trialCounts,
          bestValue: bound === null || bound === undefined ? undefined : toNumber(bound),
        };
      });
    });
  }

  async deleteStudy(name: string): Promise<void> {
    await this.#driver.transaction('write', async (sql, attempt) => {
      const row = await this.#studyByName(sql, name, true);
      if (row === undefined) {
        if (attempt > 0) return; // the lost attempt deleted it
        throw studyNotFoundError(name);
      }
      const id = toNumber(row.id);
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
      const row = await this.#lockStudy(sql, studyId);
      const current = SearchSpace.fromJSON(JSON.parse(row.space) as unknown);
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
      const row = await this.#lockStudy(sql, studyId);
      const attrs = { ...(JSON.parse(row.user_attrs) as Record<string, JsonValue>), [key]: value };
      await sql.run('UPDATE studies SET user_attrs = ? WHERE id = ?', [encodeJson(attrs), studyId]);
    });
  }

  async getTrials(
    studyId: number,
    options: { readonly statuses?: readonly TrialStatus[] } = {},
  ): Promise<Trial[]> {
    const trials = await this.#driver.transaction('read', (sql) =>
      this.#studyAndTrials(sql, studyId, false).then((r) => r.trials),
    );
    const statuses = options.statuses;
    return statuses === undefined ? trials : trials.filter((t) => statuses.includes(t.status));
  }

  async getTrial(trialId: number): Promise<Trial | undefined> {
    return this.#driver.transaction('read', (sql) => this.#trialById(sql, trialId));
  }

  async startTrial(
    studyId: number,
    workerId: string,
    decide: (snapshot: StudySnapshot) => StartDecision,
  ): Promise<StartOutcome> {
    const token = randomUUID();
    return this.#driver.transaction('write', async (sql, attempt): Promise<StartOutcome> => {
      if (attempt > 0) {
        const done = await this.#trialByToken(sql, token);
        if (done !== undefined) return { kind: 'started', trial: done };
      }
      // The lock and the read are one round trip; the lock is held from there to commit.
      const { row, trials } = await this.#studyAndTrials(sql, studyId, true);
      const study = this.#cacheFor(studyId).study(row);
      const decision = decide({ study, trials });
      const now = Date.now();
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
          return { kind: 'started', trial: toTrial(claimedRow, []) };
        }
        case 'create': {
          const trial = await this.#insertTrial(sql, studyId, decision.params, {
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

  async enqueueTrial(
    studyId: number,
    params: ParamValues,
    options: EnqueueOptions = {},
  ): Promise<Trial> {
    const token = randomUUID();
    return this.#driver.transaction('write', async (sql, attempt) => {
      if (attempt > 0) {
        const done = await this.#trialByToken(sql, token);
        if (done !== undefined) return done;
      }
      await this.#lockStudy(sql, studyId);
      return this.#insertTrial(sql, studyId, params, {
        status: 'WAITING',
        now: Date.now(),
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
      await this.#touchRunning(sql, trialId);
      await sql.run(
        'INSERT INTO intermediate_values (trial_id, step, value, metrics) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value, metrics = excluded.metrics',
        [trialId, intermediate.step, intermediate.value, encodeNumbers(intermediate.metrics ?? {})],
      );
    });
  }

  async heartbeat(trialId: number): Promise<void> {
    await this.#driver.transaction('single', (sql) => this.#touchRunning(sql, trialId));
  }

  async finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    validateResult(result);
    const fields: SqlParam[] = [
      result.status,
      result.values === undefined ? null : encodeNumbers(result.values),
      firstValue(result.values),
      encodeNumbers(result.metrics ?? {}),
      result.error ?? null,
      Date.now(),
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
          `WITH s AS (UPDATE studies SET revision = revision + 1 WHERE id = (SELECT study_id FROM trials WHERE id = ? AND status = 'RUNNING') RETURNING revision AS next_revision) UPDATE trials SET ${set}, revision = s.next_revision FROM s WHERE trials.id = ? AND trials.status = 'RUNNING' RETURNING ${this.#trialColumns}`,
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
                `UPDATE trials SET ${set}, revision = ? WHERE id = ? AND status = 'RUNNING' RETURNING ${this.#trialColumns}`,
                [...fields, toNumber(revision), trialId],
              );
      }
      const row = rows[0];
      if (row !== undefined) {
        const intermediates =
          this.#driver.intermediatesJson === undefined
            ? await this.#intermediatesOfTrial(sql, trialId)
            : intermediatesOf(row, undefined);
        return toTrial(row, intermediates);
      }
      const before = await this.#trialById(sql, trialId);
      if (before === undefined) throw trialNotFoundError(trialId);
      // A retry after a lost commit finds the trial it finished itself.
      if (attempt > 0 && before.status === result.status && before.error === result.error)
        return before;
      throw notRunningError(before);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.#driver.transaction('write', async (sql) => {
      const studyId = await this.#studyIdOfTrial(sql, trialId);
      const revision = await this.#nextRevision(sql, studyId);
      const rows = await sql.all<{ user_attrs: string }>(
        `SELECT user_attrs FROM trials WHERE id = ?${this.#driver.forUpdate}`,
        [trialId],
      );
      const attrs = {
        ...(JSON.parse(first(rows).user_attrs) as Record<string, JsonValue>),
        [key]: value,
      };
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
    const checkNow = options.now ?? Date.now();
    if (!candidates.some((row) => isStale(toTrial(row, []), { ...options, now: checkNow })))
      return [];
    return this.#driver.transaction('write', async (sql) => {
      await this.#lockStudy(sql, studyId);
      const now = options.now ?? Date.now();
      const running = await sql.all<TrialRow>(
        `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND status = 'RUNNING' ORDER BY number`,
        [studyId],
      );
      const reaped: Trial[] = [];
      for (const row of running) {
        const trial = toTrial(row, []);
        if (!isStale(trial, { ...options, now })) continue;
        const revision = await this.#nextRevision(sql, studyId);
        const changed = await sql.run(
          "UPDATE trials SET status = 'FAILED', finished_at = ?, error = ?, revision = ? WHERE id = ? AND status = 'RUNNING'",
          [now, staleErrorText(trial, now), revision, trial.id],
        );
        if (changed === 0) continue;
        reaped.push(await this.#requireTrial(sql, trial.id));
        const root = retryRoot(trial);
        const retries = await sql.all<{ n: number | string }>(
          'SELECT COUNT(*) AS n FROM trials WHERE study_id = ? AND retry_of = ?',
          [studyId, root],
        );
        if (toNumber(first(retries).n) < options.maxRetries) {
          await this.#insertTrial(sql, studyId, trial.params, {
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

  /**
   * The study row (locked until commit when `lock`) and every trial of the study, by number:
   * cached finished ones plus what changed since, read after the lock in the same round trip.
   */
  async #studyAndTrials(
    sql: SqlExecutor,
    studyId: number,
    lock: boolean,
  ): Promise<{ row: StudyRow; trials: Trial[] }> {
    const cache = this.#cacheFor(studyId);
    const params = [studyId, studyId, cache.revision];
    const columns = this.#trialColumns;
    const [studyRows, trialRows] = (await sql.allBatch([
      {
        sql: `SELECT ${STUDY_COLUMNS} FROM studies WHERE id = ?${lock ? this.#driver.forUpdate : ''}`,
        params: [studyId],
      },
      {
        sql: `SELECT ${columns} FROM trials WHERE ${CHANGED_TRIALS_WHERE} UNION ALL SELECT ${columns} FROM trials WHERE ${CHANGED_FINISHED_WHERE}`,
        params,
      },
    ])) as [StudyRow[], TrialRow[]];
    const row = studyRows[0];
    if (row === undefined) throw studyIdNotFoundError(studyId);
    const intermediates =
      trialRows.length === 0 || this.#driver.intermediatesJson !== undefined
        ? undefined
        : groupIntermediates(
            await sql.all<IntermediateRow>(
              `SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id IN (SELECT id FROM trials WHERE ${CHANGED_TRIALS_WHERE} UNION ALL SELECT id FROM trials WHERE ${CHANGED_FINISHED_WHERE}) ORDER BY trial_id, step`,
              params,
            ),
          );
    const changed = trialRows.map((r) => ({
      trial: toTrial(r, intermediatesOf(r, intermediates)),
      revision: revisionOf(r),
    }));
    return { row, trials: cache.update(changed, revisionOf(row)) };
  }

  async #intermediatesOfTrial(sql: SqlExecutor, trialId: number): Promise<IntermediateValue[]> {
    const rows = await sql.all<IntermediateRow>(
      'SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id = ? ORDER BY step',
      [trialId],
    );
    return groupIntermediates(rows).get(trialId) ?? [];
  }

  async #insertTrial(
    sql: SqlExecutor,
    studyId: number,
    params: ParamValues,
    fields: {
      readonly status: 'RUNNING' | 'WAITING';
      readonly now: number;
      readonly workerId: string | undefined;
      readonly token: string;
      readonly oracleAttrs: Readonly<Record<string, JsonValue>>;
      readonly userAttrs: Readonly<Record<string, JsonValue>>;
      readonly retryOf: number | undefined;
    },
  ): Promise<Trial> {
    const running = fields.status === 'RUNNING';
    const rest: SqlParam[] = [
      fields.status,
      encodeJson(params),
      '{}',
      fields.now,
      running ? fields.now : null,
      running ? fields.now : null,
      fields.workerId ?? null,
      fields.retryOf ?? null,
      encodeJson(fields.oracleAttrs),
      encodeJson(fields.userAttrs),
      fields.token,
    ];
    const insert = `INSERT INTO trials (study_id, number, status, params, metrics, created_at, started_at, heartbeat_at, worker_id, retry_of, oracle_attrs, user_attrs, request_token) VALUES (?, ${'?'}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${TRIAL_COLUMNS}`;
    if (this.#driver.writableCte) {
      // One statement: take the study's next number and insert the trial with it.
      const rows = await sql.all<TrialRow>(
        `WITH n AS (UPDATE studies SET next_number = next_number + 1 WHERE id = ? RETURNING next_number - 1 AS number) ${insert.replace('VALUES (?, ?,', 'VALUES (?, (SELECT number FROM n),')}`,
        [studyId, studyId, ...rest],
      );
      return toTrial(first(rows), []);
    }
    const counter = await sql.all<{ next_number: number | string }>(
      'UPDATE studies SET next_number = next_number + 1 WHERE id = ? RETURNING next_number',
      [studyId],
    );
    const number = toNumber(first(counter).next_number) - 1;
    const rows = await sql.all<TrialRow>(insert, [studyId, number, ...rest]);
    return toTrial(first(rows), []);
  }

  /** Marks a RUNNING trial alive now, or throws why it cannot. */
  async #touchRunning(sql: SqlExecutor, trialId: number): Promise<void> {
    const changed = await sql.run(
      "UPDATE trials SET heartbeat_at = ? WHERE id = ? AND status = 'RUNNING'",
      [Date.now(), trialId],
    );
    if (changed === 0) throw notRunningError(await this.#requireTrial(sql, trialId));
  }

  /** Takes the next revision of the study (and, in PostgreSQL, its row lock). */
  async #nextRevision(sql: SqlExecutor, studyId: number): Promise<number> {
    const rows = await sql.all<{ revision: number | string }>(
      'UPDATE studies SET revision = revision + 1 WHERE id = ? RETURNING revision',
      [studyId],
    );
    return toNumber(first(rows).revision);
  }

  async #studyByName(sql: SqlExecutor, name: string, lock = false): Promise<StudyRow | undefined> {
    const rows = await sql.all<StudyRow>(
      `SELECT ${STUDY_COLUMNS} FROM studies WHERE name = ?${lock ? this.#driver.forUpdate : ''}`,
      [name],
    );
    return rows[0];
  }

  async #studyById(sql: SqlExecutor, studyId: number, lock = false): Promise<StudyRow> {
    const rows = await sql.all<StudyRow>(
      `SELECT ${STUDY_COLUMNS} FROM studies WHERE id = ?${lock ? this.#driver.forUpdate : ''}`,
      [studyId],
    );
    const row = rows[0];
    if (row === undefined) throw studyIdNotFoundError(studyId);
    return row;
  }

  #lockStudy(sql: SqlExecutor, studyId: number): Promise<StudyRow> {
    return this.#studyById(sql, studyId, true);
  }

  async #studyIdOfTrial(sql: SqlExecutor, trialId: number): Promise<number> {
    const rows = await sql.all<{ study_id: number | string }>(
      'SELECT study_id FROM trials WHERE id = ?',
      [trialId],
    );
    const row = rows[0];
    if (row === undefined) throw trialNotFoundError(trialId);
    return toNumber(row.study_id);
  }

  async #trialById(sql: SqlExecutor, trialId: number): Promise<Trial | undefined> {
    const rows = await sql.all<TrialRow>(`SELECT ${this.#trialColumns} FROM trials WHERE id = ?`, [
      trialId,
    ]);
    const row = rows[0];
    if (row === undefined) return undefined;
    if (this.#driver.intermediatesJson !== undefined)
      return toTrial(row, intermediatesOf(row, undefined));
    const intermediates = await sql.all<IntermediateRow>(
      'SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id = ? ORDER BY step',
      [trialId],
    );
    return toTrial(row, groupIntermediates(intermediates).get(trialId) ?? []);
  }

  async #requireTrial(sql: SqlExecutor, trialId: number): Promise<Trial> {
    const trial = await this.#trialById(sql, trialId);
    if (trial === undefined) throw trialNotFoundError(trialId);
    return trial;
  }

  async #trialByToken(sql: SqlExecutor, token: string): Promise<Trial | undefined> {
    const rows = await sql.all<{ id: number | string }>(
      'SELECT id FROM trials WHERE request_token = ?',
      [token],
    );
    const row = rows[0];
    return row === undefined ? undefined : this.#trialById(sql, toNumber(row.id));
  }
}

/** A trial row's intermediate values: aggregated in the row, or from a separate query. */
function intermediatesOf(
  row: TrialRow,
  grouped: ReadonlyMap<number, IntermediateValue[]> | undefined,
): IntermediateValue[] {
  if (grouped !== undefined) return grouped.get(toNumber(row.id)) ?? [];
  return row.intermediate_json === undefined || row.intermediate_json === null
    ? []
    : parseIntermediateJson(row.intermediate_json);
}

function first<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('Expected a row from the database, got none.');
  return row;
}

function firstValue(values: readonly number[] | undefined): number | null {
  const v = values?.[0];
  return v === undefined || Number.isNaN(v) ? null : v;
}

function studyExistsError(name: string): HypertunerError {
  return new HypertunerError(
    StorageErrorCode.StudyExists,
    `A study called '${name}' already exists.`,
    { field: 'study' },
  );
}

function studyIdNotFoundError(studyId: number): HypertunerError {
  return new HypertunerError(StorageErrorCode.StudyNotFound, `No study with id ${studyId}.`, {
    field: 'studyId',
  });
}

function trialNotFoundError(trialId: number): HypertunerError {
  return new HypertunerError(StorageErrorCode.TrialNotFound, `No trial with id ${trialId}.`, {
    field: 'trialId',
  });
}

function assertNever(value: never): never {
  throw new Error(`Unexpected decision ${JSON.stringify(value)}.`);
}
