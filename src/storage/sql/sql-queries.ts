/**
 * The SQL statements behind `SqlStorage`: reading a study with its trials (cached finished
 * trials plus what changed, in one round trip), single trials with their intermediate values
 * (aggregated by the driver or read separately), inserting a trial with the study's next
 * number, revisions and heartbeats. Each runs on the caller's transaction; none commits.
 */
import type { ParamValues } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';
import type { IntermediateValue, JsonValue, Trial } from '../../trials/index.js';
import type { CorruptRecord, CorruptRowOptions, StudyRecord } from '../storage.js';
import { StorageErrorCode } from '../storage.js';
import { notRunningError } from '../trial-records.js';
import type { IntermediatesOrError } from './decode-rows.js';
import {
  groupIntermediates,
  parseIntermediateJson,
  revisionOf,
  toStudyRecord,
  toTrial,
} from './decode-rows.js';
import type { IntermediateRow, SqlParam, StudyRow, TrialRow } from './rows.js';
import { LIVE_STATUSES_SQL, STUDY_COLUMNS, TRIAL_COLUMNS, encodeJson, toNumber } from './rows.js';
import type { SqlDriver, SqlExecutor } from './sql-driver.js';
import type { StudyTrialCache } from './trial-cache.js';

const CHANGED_TRIALS_WHERE = `study_id = ? AND status IN ${LIVE_STATUSES_SQL}`;
// No status condition here on purpose: with one, PostgreSQL's planner (on statistics not yet
// refreshed after a burst of inserts) may pick the (study_id, status) index and filter every
// finished trial, which made asks at 10,000 trials 3x slower. A live trial that also matches is
// merged once by the cache.
const CHANGED_FINISHED_WHERE = 'study_id = ? AND revision > ?';

export class SqlQueries {
  readonly #driver: SqlDriver;
  /** The storage's URL (password redacted), for errors. */
  readonly #url: string;
  /** Trial columns, with the intermediate values as JSON when the driver can aggregate them. */
  readonly trialColumns: string;

  constructor(driver: SqlDriver, url: string) {
    this.#driver = driver;
    this.#url = url;
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
    options: CorruptRowOptions = {},
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
    if (typeof row.name === 'string') this.knowStudyName(studyId, row.name);
    const intermediates =
      trialRows.length === 0 || this.#driver.intermediatesJson !== undefined
        ? undefined
        : groupIntermediates(
            await sql.all<IntermediateRow>(
              `SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id IN (SELECT id FROM trials WHERE ${CHANGED_TRIALS_WHERE} UNION ALL SELECT id FROM trials WHERE ${CHANGED_FINISHED_WHERE}) ORDER BY trial_id, step`,
              params,
            ),
          );
    const changed: { trial: Trial; revision: number }[] = [];
    let complete = true;
    for (const r of trialRows) {
      try {
        const trial = this.trial(r, () => intermediatesOf(r, intermediates));
        changed.push({ trial, revision: this.#checked(() => revisionOf(r), r) });
      } catch (error) {
        const record = corruptRecordOf(error);
        if (record === undefined || options.onCorrupt === undefined) throw error;
        options.onCorrupt(record);
        complete = false;
      }
    }
    return {
      row,
      trials: cache.update(
        changed,
        this.#checked(() => revisionOf(row), undefined, row),
        complete,
      ),
    };
  }

  /**
   * The trial of `row`, every field checked: a damaged row is a `STORAGE_CORRUPT` error naming
   * this storage, the trial's study and number, and the field.
   */
  trial(row: TrialRow, intermediates: IntermediatesOrError | (() => IntermediatesOrError)): Trial {
    return this.#checked(
      () => toTrial(row, typeof intermediates === 'function' ? intermediates() : intermediates),
      row,
    );
  }

  /** The study record of `row`, every field checked (see `trial`). */
  study(row: StudyRow): StudyRecord {
    return this.#checked(() => toStudyRecord(row), undefined, row);
  }

  /**
   * `read()`, its `STORAGE_CORRUPT` error (from decode-rows) given the context: this storage,
   * the study (by name when the cache of names has it) and the trial of `trialRow`.
   */
  #checked<T>(read: () => T, trialRow?: TrialRow, studyRow?: StudyRow): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof HypertunerError) || error.code !== StorageErrorCode.Corrupt)
        throw error;
      throw this.corruptError(error, trialRow, studyRow);
    }
  }

  /** A decode error of a row as the `STORAGE_CORRUPT` error that says where it is. */
  corruptError(error: HypertunerError, trialRow?: TrialRow, studyRow?: StudyRow): HypertunerError {
    if (corruptRecordOf(error) !== undefined) return error; // has its context already
    const studyId = safeInteger(trialRow?.study_id ?? studyRow?.id);
    const studyName =
      typeof studyRow?.name === 'string' ? studyRow.name : this.#studyNames.get(studyId ?? -1);
    const trialNumber = safeInteger(trialRow?.number);
    const trialId = safeInteger(trialRow?.id);
    const field = error.field ?? 'row';
    const study =
      studyName !== undefined
        ? `study ${JSON.stringify(studyName)}`
        : studyId !== undefined
          ? `study id ${studyId}`
          : 'a study';
    const trial =
      trialRow === undefined
        ? ''
        : trialNumber !== undefined
          ? `, trial ${trialNumber}`
          : `, trial id ${trialId ?? '?'}`;
    const what = trialRow === undefined ? 'the study' : 'this trial';
    const wrapped = new HypertunerError(
      StorageErrorCode.Corrupt,
      `Damaged data in ${this.#url}, ${study}${trial}: ${error.message}. The row was edited by hand or the database is damaged; only ${what} cannot be read (fix or delete that row).`,
      { field, cause: error },
    );
    corruptRecords.set(wrapped, {
      studyId,
      studyName,
      trialNumber,
      trialId,
      field,
      error: wrapped,
    });
    return wrapped;
  }

  /** Study names by id, as last read: errors about a trial name its study. */
  readonly #studyNames = new Map<number, string>();

  /** Remembers a study's name for the errors of its trials. */
  knowStudyName(studyId: number, name: string): void {
    this.#studyNames.set(studyId, name);
  }

  async intermediatesOfTrial(sql: SqlExecutor, trialId: number): Promise<IntermediateValue[]> {
    const rows = await sql.all<IntermediateRow>(
      'SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id = ? ORDER BY step',
      [trialId],
    );
    const found = groupIntermediates(rows).get(trialId) ?? [];
    if (found instanceof HypertunerError) throw found;
    return found;
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
      return this.trial(first(rows), []);
    }
    const counter = await sql.all<{ next_number: number | string }>(
      'UPDATE studies SET next_number = next_number + 1 WHERE id = ? RETURNING next_number',
      [studyId],
    );
    const number = toNumber(first(counter).next_number) - 1;
    const rows = await sql.all<TrialRow>(insert, [studyId, number, ...rest]);
    return this.trial(first(rows), []);
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
    try {
      if (this.#driver.intermediatesJson !== undefined)
        return this.trial(row, () => intermediatesOf(row, undefined));
      const intermediates = await sql.all<IntermediateRow>(
        'SELECT trial_id, step, value, metrics FROM intermediate_values WHERE trial_id = ? ORDER BY step',
        [trialId],
      );
      return this.trial(row, groupIntermediates(intermediates).get(trialId) ?? []);
    } catch (error) {
      // a damaged trial names its study: look its name up (on this rare path only)
      const studyId = safeInteger(row.study_id);
      if (
        corruptRecordOf(error) !== undefined &&
        studyId !== undefined &&
        !this.#studyNames.has(studyId)
      ) {
        const names = await sql.all<{ name: unknown }>('SELECT name FROM studies WHERE id = ?', [
          studyId,
        ]);
        const name = names[0]?.name;
        if (typeof name === 'string') {
          this.knowStudyName(studyId, name);
          throw this.corruptError((error as HypertunerError).cause as HypertunerError, row);
        }
      }
      throw error;
    }
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

/**
 * A trial row's intermediate values: aggregated in the row, or from a separate query (where a
 * damaged row is its trial's error).
 */
export function intermediatesOf(
  row: TrialRow,
  grouped: ReadonlyMap<number, IntermediateValue[] | HypertunerError> | undefined,
): IntermediatesOrError {
  if (grouped !== undefined) return grouped.get(toNumber(row.id)) ?? [];
  return row.intermediate_json === undefined || row.intermediate_json === null
    ? []
    : parseIntermediateJson(row.intermediate_json);
}

/** The context of the `STORAGE_CORRUPT` errors made by `SqlQueries.corruptError`. */
const corruptRecords = new WeakMap<HypertunerError, CorruptRecord>();

/** What a `STORAGE_CORRUPT` error of a read says is damaged, or undefined for any other error. */
export function corruptRecordOf(error: unknown): CorruptRecord | undefined {
  return error instanceof HypertunerError ? corruptRecords.get(error) : undefined;
}

function safeInteger(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
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
