/**
 * The SQL statements behind `SqlStorage`: reading a study with its trials (cached finished
 * trials plus what changed, in one round trip), single trials with their intermediate values
 * (aggregated by the driver or read separately), inserting a trial with the study's next
 * number, revisions and heartbeats. Each runs on the caller's transaction; none commits.
 */
import type { ParamValues } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';
import type { IntermediateValue, JsonValue, Trial } from '../../trials/index.js';
import { StorageErrorCode } from '../storage.js';
import { notRunningError } from '../trial-records.js';
import type { IntermediateRow, SqlParam, StudyRow, TrialRow } from './rows.js';
import {
  LIVE_STATUSES_SQL,
  STUDY_COLUMNS,
  TRIAL_COLUMNS,
  encodeJson,
  groupIntermediates,
  parseIntermediateJson,
  toNumber,
  toTrial,
} from './rows.js';
import type { SqlDriver, SqlExecutor } from './sql-driver.js';
import type { StudyTrialCache } from './trial-cache.js';
import { revisionOf } from './trial-cache.js';

const CHANGED_TRIALS_WHERE = `study_id = ? AND status IN ${LIVE_STATUSES_SQL}`;
// No status condition here on purpose: with one, PostgreSQL's planner (on statistics not yet
// refreshed after a burst of inserts) may pick the (study_id, status) index and filter every
// finished trial, which made asks at 10,000 trials 3x slower. A live trial that also matches is
// merged once by the cache.
const CHANGED_FINISHED_WHERE = 'study_id = ? AND revision > ?';

export class SqlQueries {
  readonly #driver: SqlDriver;
  /** Trial columns, with the intermediate values as JSON when the driver can aggregate them. */
  readonly trialColumns: string;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
    this.trialColumns =
      driver.intermediatesJson === undefined
        ? TRIAL_COLUMNS
        : `${TRIAL_COLUMNS}, ${driver.intermediatesJson} AS intermediate_json`;
  }

  /**
   * The study row (locked until commit when `lock`) and every trial of the study, by number:
   * cached finished ones plus what changed since, read after the lock in the same round trip.
   */
  async studyAndTrials(
    sql: SqlExecutor,
    studyId: number,
    lock: boolean,
    cache: StudyTrialCache,
  ): Promise<{ row: StudyRow; trials: Trial[] }> {
    const params = [studyId, studyId, cache.revision];
    const columns = this.trialColumns;
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

  async intermediatesOfTrial(sql: SqlExecutor, trialId: number): Promise<IntermediateValue[]> {
    const rows = await sql.all<IntermediateRow>(
      'SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id = ? ORDER BY step',
      [trialId],
    );
    return groupIntermediates(rows).get(trialId) ?? [];
  }

  async insertTrial(
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
  async touchRunning(sql: SqlExecutor, trialId: number): Promise<void> {
    const changed = await sql.run(
      "UPDATE trials SET heartbeat_at = ? WHERE id = ? AND status = 'RUNNING'",
      [this.#driver.now(), trialId],
    );
    if (changed === 0) throw notRunningError(await this.requireTrial(sql, trialId));
  }

  /** Takes the next revision of the study (and, in PostgreSQL, its row lock). */
  async nextRevision(sql: SqlExecutor, studyId: number): Promise<number> {
    const rows = await sql.all<{ revision: number | string }>(
      'UPDATE studies SET revision = revision + 1 WHERE id = ? RETURNING revision',
      [studyId],
    );
    return toNumber(first(rows).revision);
  }

  async studyByName(sql: SqlExecutor, name: string, lock = false): Promise<StudyRow | undefined> {
    const rows = await sql.all<StudyRow>(
      `SELECT ${STUDY_COLUMNS} FROM studies WHERE name = ?${lock ? this.#driver.forUpdate : ''}`,
      [name],
    );
    return rows[0];
  }

  async studyById(sql: SqlExecutor, studyId: number, lock = false): Promise<StudyRow> {
    const rows = await sql.all<StudyRow>(
      `SELECT ${STUDY_COLUMNS} FROM studies WHERE id = ?${lock ? this.#driver.forUpdate : ''}`,
      [studyId],
    );
    const row = rows[0];
    if (row === undefined) throw studyIdNotFoundError(studyId);
    return row;
  }

  lockStudy(sql: SqlExecutor, studyId: number): Promise<StudyRow> {
    return this.studyById(sql, studyId, true);
  }

  async studyIdOfTrial(sql: SqlExecutor, trialId: number): Promise<number> {
    const rows = await sql.all<{ study_id: number | string }>(
      'SELECT study_id FROM trials WHERE id = ?',
      [trialId],
    );
    const row = rows[0];
    if (row === undefined) throw trialNotFoundError(trialId);
    return toNumber(row.study_id);
  }

  async trialById(sql: SqlExecutor, trialId: number): Promise<Trial | undefined> {
    const rows = await sql.all<TrialRow>(`SELECT ${this.trialColumns} FROM trials WHERE id = ?`, [
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

  async requireTrial(sql: SqlExecutor, trialId: number): Promise<Trial> {
    const trial = await this.trialById(sql, trialId);
    if (trial === undefined) throw trialNotFoundError(trialId);
    return trial;
  }

  async trialByToken(sql: SqlExecutor, token: string): Promise<Trial | undefined> {
    const rows = await sql.all<{ id: number | string }>(
      'SELECT id FROM trials WHERE request_token = ?',
      [token],
    );
    const row = rows[0];
    return row === undefined ? undefined : this.trialById(sql, toNumber(row.id));
  }
}

/** A trial row's intermediate values: aggregated in the row, or from a separate query. */
export function intermediatesOf(
  row: TrialRow,
  grouped: ReadonlyMap<number, IntermediateValue[]> | undefined,
): IntermediateValue[] {
  if (grouped !== undefined) return grouped.get(toNumber(row.id)) ?? [];
  return row.intermediate_json === undefined || row.intermediate_json === null
    ? []
    : parseIntermediateJson(row.intermediate_json);
}

export function first<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('Expected a row from the database, got none.');
  return row;
}

export function studyIdNotFoundError(studyId: number): HypertunerError {
  return new HypertunerError(StorageErrorCode.StudyNotFound, `No study with id ${studyId}.`, {
    field: 'studyId',
  });
}

export function trialNotFoundError(trialId: number): HypertunerError {
  return new HypertunerError(StorageErrorCode.TrialNotFound, `No trial with id ${trialId}.`, {
    field: 'trialId',
  });
}
