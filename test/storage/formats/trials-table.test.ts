/**
 * study.trialsTable() and `hypertuner export --format csv|jsonl`: Optuna's trials_dataframe
 * shape, and CSV files that Python's csv module and pandas.read_csv read back to the same
 * values (conditional parameters, several objectives, names and values with commas, quotes
 * and newlines).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStorage, RandomSearchOracle, Study, openStorage } from '../../../src/index.js';
import type { Storage, TrialsTable } from '../../../src/index.js';
import { buildTrialsTable, trialsTableCsv } from '../../../src/storage/index.js';
import { pandasTimedelta } from '../../../src/storage/formats/table-text.js';
import { runPython } from '../../helpers/python.js';
import { AWKWARD_NAME, AWKWARD_VALUES, fillRichStudy } from '../../helpers/rich-study.js';
import { runCli } from '../../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-table-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const readBack = fileURLToPath(new URL('./read-trials-csv.py', import.meta.url));

const PARAM = 'x, "y"\nz';

/** A study of two objectives: a parameter named with a comma, quotes and a newline, a failure. */
async function fillMultiObjective(storage: Storage): Promise<void> {
  const study = await Study.open({
    storage,
    name: 'multi',
    objective: [
      { name: 'loss', direction: 'minimize' },
      { name: 'acc', direction: 'maximize' },
    ],
    oracle: new RandomSearchOracle({ seed: 11 }),
  });
  let n = 0;
  await study.optimize(
    ({ hp }) => {
      const x = hp.Float(PARAM, { min: -2, max: 2 });
      if (n++ === 2) throw new Error('failed, "on purpose"');
      return { loss: x * x, acc: n === 4 ? Infinity : 1 / (1 + x * x) };
    },
    { maxTrials: 6, maxRetriesPerTrial: 0 },
  );
}

describe('trialsTable', () => {
  it("has Optuna's trials_dataframe columns, sorted as Optuna sorts them", async () => {
    const storage = new MemoryStorage();
    const trials = await fillRichStudy(storage);
    const study = await Study.open({
      storage,
      name: 'rich',
      oracle: new RandomSearchOracle(),
    });
    const table = await study.trialsTable();
    const params = [
      ...['dropout', 'layers', 'lr', 'momentum', 'optimizer', AWKWARD_NAME, 'units', 'use_bias'],
    ].map((p) => `params_${p}`);
    expect(table.columns).toEqual([
      ...['number', 'value', 'datetime_start', 'datetime_complete', 'duration'],
      ...params,
      ...['user_attrs_epochs', 'user_attrs_note', 'user_attrs_queued'],
      'system_attrs_fail_reason',
      'state',
    ]);
    expect(table.rows.map((r) => r['state'])).toEqual([
      ...['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'PRUNED'],
      ...['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'RUNNING', 'WAITING'],
    ]);
    trials.forEach((trial, i) => {
      const row = table.rows[i] as Record<string, unknown>;
      expect(Object.keys(row)).toEqual(table.columns);
      expect(row['number']).toBe(trial.number);
      expect(row['value']).toBe(trial.values?.[0] ?? null);
      expect(row['params_momentum']).toBe(trial.params['momentum'] ?? null);
      expect(row[`params_${AWKWARD_NAME}`]).toBe(trial.params[AWKWARD_NAME] ?? null);
      if (trial.finishedAt !== undefined && trial.startedAt !== undefined) {
        expect(row['datetime_start']).toEqual(new Date(trial.startedAt));
        expect(row['duration']).toBe(trial.finishedAt - trial.startedAt);
      } else {
        expect([row['datetime_complete'], row['duration']]).toEqual([null, null]);
      }
    });
    // the conditional parameter is empty where the optimizer was adam, set where it was sgd
    const byOptimizer = (o: string): unknown[] =>
      table.rows.filter((r) => r['params_optimizer'] === o).map((r) => r['params_momentum']);
    expect(byOptimizer('adam').every((m) => m === null)).toBe(true);
    expect(byOptimizer('sgd').every((m) => typeof m === 'number')).toBe(true);
    expect(table.rows[3]?.['system_attrs_fail_reason']).toBe(trials[3]?.error);

    const few = await study.trialsTable({ attrs: ['number', 'intermediate_values', 'state'] });
    expect(few.columns).toEqual([
      ...['number', 'intermediate_values_0', 'intermediate_values_1'],
      ...['intermediate_values_2', 'state'],
    ]);
    await expect(
      study.trialsTable({ attrs: ['number', 'nope' as 'number'] }),
    ).rejects.toMatchObject({ code: 'OPTIONS_INVALID', field: 'attrs' });
  });

  it('sorts numeric keys as numbers, and gives values_<i> for several objectives', async () => {
    const storage = new MemoryStorage();
    await fillMultiObjective(storage);
    const record = await storage.loadStudy('multi');
    if (record === undefined) throw new Error('no study');
    const trials = await storage.getTrials(record.id);
    const table = buildTrialsTable(record, trials, { attrs: ['value', 'state'] });
    expect(table.columns).toEqual(['values_0', 'values_1', 'state']);
    expect(table.rows[2]).toEqual({ values_0: null, values_1: null, state: 'FAIL' });
    const stepped = buildTrialsTable(
      record,
      [
        {
          ...(trials[0] as (typeof trials)[number]),
          intermediate: [10, 2, 1].map((step) => ({ step, value: step, metrics: {} })),
        },
      ],
      { attrs: ['intermediate_values'] },
    );
    expect(stepped.columns).toEqual([1, 2, 10].map((step) => `intermediate_values_${step}`));
    expect(pandasTimedelta(62_500)).toBe('0 days 00:01:02.500000');
    expect(pandasTimedelta(90_061_000)).toBe('1 days 01:01:01');
  });

  it('exports CSV that the csv module and pandas.read_csv read back to the same values', async () => {
    const db = join(root, 'table.db');
    const storage = await openStorage(`sqlite:${db}`);
    await fillRichStudy(storage);
    await fillMultiObjective(storage);
    const multi = await storage.loadStudy('multi');
    if (multi === undefined) throw new Error('no study');
    const multiTable = buildTrialsTable(multi, await storage.getTrials(multi.id));
    const richRecord = await storage.loadStudy('rich');
    if (richRecord === undefined) throw new Error('no study');
    const richTable = buildTrialsTable(richRecord, await storage.getTrials(richRecord.id));
    await storage.close();

    const richCsv = join(root, 'rich.csv');
    const exported = await runCli([
      ...['export', 'rich', '--storage', `sqlite:${db}`, '--format', 'csv'],
      ...['--out', richCsv],
    ]);
    expect(exported.stderr).toBe('');
    const multiCsv = join(root, 'multi.csv');
    writeFileSync(multiCsv, trialsTableCsv(multiTable));
    const text = readFileSync(richCsv, 'utf8');
    expect(text.split('\r\n')[0]).toContain(`"params_${AWKWARD_NAME.replaceAll('"', '""')}"`);
    expect(text.endsWith('\r\n')).toBe(true);
    for (const value of AWKWARD_VALUES) {
      if (richTable.rows.some((r) => r[`params_${AWKWARD_NAME}`] === value))
        expect(text).toContain(`"${value.replaceAll('"', '""')}"`);
    }

    const cases = [caseOf(richCsv, richTable), caseOf(multiCsv, multiTable)];
    const input = join(root, 'cases.json');
    writeFileSync(input, JSON.stringify(cases));
    const report = await runPython(readBack, [input]);
    expect(report).toMatch(/rich\.csv: \d+ cells, 0 differ/);
    expect(report).toMatch(/multi\.csv: \d+ cells, 0 differ/);

    // JSON lines: the same table, one object per trial
    const lines = await runCli([
      ...['export', 'multi', '--storage', `sqlite:${db}`, '--format', 'jsonl'],
    ]);
    const parsed = lines.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as object);
    expect(parsed.map((row) => Object.keys(row))).toEqual(
      multiTable.rows.map(() => multiTable.columns),
    );
    expect(parsed.map((row) => (row as Record<string, unknown>)['values_1'])).toEqual(
      multiTable.rows.map((r) => (r['values_1'] === Infinity ? 'inf' : r['values_1'])),
    );
    const bad = await runCli(['export', 'rich', '--storage', `sqlite:${db}`, '--format', 'xls']);
    expect(bad.stderr).toMatch(/--format must be one of csv, jsonl.*\[OPTIONS_INVALID\]/);
  });
});

/** What the Python script checks: the file, its columns, each column's kind, the expected cells. */
function caseOf(path: string, table: TrialsTable): unknown {
  const kinds: Record<string, string> = {
    datetime_start: 'datetime',
    datetime_complete: 'datetime',
    duration: 'duration',
  };
  const rows = table.rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([column, cell]) => [
        column,
        cell instanceof Date
          ? cell.getTime()
          : typeof cell === 'number' && !Number.isFinite(cell)
            ? { $float: String(cell).replace('Infinity', 'inf') }
            : cell,
      ]),
    ),
  );
  return { path, columns: table.columns, kinds, rows };
}
