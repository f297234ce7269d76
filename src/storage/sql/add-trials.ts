/**
 * `addTrials` over SQL: trials given whole (a copy, an import) written in the caller's
 * transaction, which holds the study's lock: numbers taken from the study's counter in one
 * statement, the rows and their intermediate values in multi-row inserts (a few hundred rows a
 * statement, so a large study costs few round trips), finished trials under one new revision so
 * that readers' caches pick them up.
 */
import type { IntermediateValue, Trial } from '../../trials/index.js';
import { isFinished } from '../../trials/index.js';
import type { TrialTemplate } from '../storage.js';
import type { SqlParam, TrialRow } from './rows.js';
import { toTrial } from './decode-rows.js';
import { TRIAL_COLUMNS, encodeJson, encodeNumbers, firstValue, toNumber } from './rows.js';
import type { SqlExecutor } from './sql-driver.js';
import { first } from './sql-queries.js';

const TRIALS_PER_INSERT = 100;
const INTERMEDIATES_PER_INSERT = 400;

const TRIAL_INSERT_COLUMNS =
  'study_id, number, status, params, objective_values, first_value, metrics, error, created_at, started_at, finished_at, heartbeat_at, worker_id, retry_of, oracle_attrs, user_attrs, revision, request_token';
const TRIAL_INSERT_PLACEHOLDERS = `(${TRIAL_INSERT_COLUMNS.split(',')
  .map(() => '?')
  .join(', ')})`;

/**
 * Inserts `templates` as the next trials of study `studyId` (whose row the caller has locked),
 * each with request token `${token}:${index}`. Returns the trials, in the order given.
 */
export async function insertTrials(
  sql: SqlExecutor,
  studyId: number,
  templates: readonly TrialTemplate[],
  token: string,
): Promise<Trial[]> {
  if (templates.length === 0) return [];
  const counter = await sql.all<{ next_number: number | string; revision: number | string }>(
    'UPDATE studies SET next_number = next_number + ?, revision = revision + 1 WHERE id = ? RETURNING next_number, revision',
    [templates.length, studyId],
  );
  const { next_number, revision } = first(counter);
  const firstNumber = toNumber(next_number) - templates.length;
  const rows: TrialRow[] = [];
  for (let start = 0; start < templates.length; start += TRIALS_PER_INSERT) {
    const chunk = templates.slice(start, start + TRIALS_PER_INSERT);
    const params = chunk.flatMap((t, i) =>
      trialRowParams(
        t,
        studyId,
        firstNumber + start + i,
        toNumber(revision),
        `${token}:${start + i}`,
      ),
    );
    rows.push(
      ...(await sql.all<TrialRow>(
        `INSERT INTO trials (${TRIAL_INSERT_COLUMNS}) VALUES ${chunk.map(() => TRIAL_INSERT_PLACEHOLDERS).join(', ')} RETURNING ${TRIAL_COLUMNS}`,
        params,
      )),
    );
  }
  const byNumber = new Map(rows.map((row) => [toNumber(row.number), row]));
  const rowOf = (index: number): TrialRow => {
    const row = byNumber.get(firstNumber + index);
    if (row === undefined) throw new Error(`Trial ${firstNumber + index} was not inserted.`);
    return row;
  };
  const intermediates: SqlParam[][] = templates.flatMap((t, i) =>
    t.intermediate.map((iv) => [
      toNumber(rowOf(i).id),
      iv.step,
      iv.value,
      encodeNumbers(iv.metrics ?? {}),
    ]),
  );
  for (let start = 0; start < intermediates.length; start += INTERMEDIATES_PER_INSERT) {
    const chunk = intermediates.slice(start, start + INTERMEDIATES_PER_INSERT);
    await sql.run(
      `INSERT INTO intermediate_values (trial_id, step, value, metrics) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      chunk.flat(),
    );
  }
  return templates.map((t, i) => toTrial(rowOf(i), sortedByStep(t.intermediate)));
}

/** Whether the trials of batch `token` are stored (a retried transaction whose commit was lost). */
export async function insertedTrials(
  sql: SqlExecutor,
  token: string,
  trialById: (id: number) => Promise<Trial | undefined>,
): Promise<Trial[] | undefined> {
  const rows = await sql.all<{ id: number | string; number: number | string }>(
    'SELECT id, number FROM trials WHERE request_token LIKE ? ORDER BY number',
    [`${token}:%`],
  );
  if (rows.length === 0) return undefined;
  const trials = await Promise.all(rows.map((row) => trialById(toNumber(row.id))));
  return trials.filter((t): t is Trial => t !== undefined);
}

function trialRowParams(
  t: TrialTemplate,
  studyId: number,
  number: number,
  revision: number,
  token: string,
): SqlParam[] {
  return [
    studyId,
    number,
    t.status,
    encodeJson(t.params),
    t.values === undefined ? null : encodeNumbers(t.values),
    firstValue(t.values),
    encodeNumbers(t.metrics),
    t.error ?? null,
    t.createdAt,
    t.startedAt ?? null,
    t.finishedAt ?? null,
    t.heartbeatAt ?? null,
    t.workerId ?? null,
    t.retryOf ?? null,
    encodeJson(t.oracleAttrs),
    encodeJson(t.userAttrs),
    // live trials are read afresh every time; finished ones by revision (see trial-cache.ts)
    isFinished(t.status) ? revision : 0,
    token,
  ];
}

function sortedByStep(list: readonly IntermediateValue[]): IntermediateValue[] {
  return [...list].sort((a, b) => a.step - b.step);
}
