/**
 * Optuna journal files both ways: `hypertuner export --format optuna-journal` writes a file
 * that Debian's python3-optuna opens as the same study (trials, states, best value and
 * parameters, intermediate values, distributions, user attributes, times) and continues with
 * TPE; `hypertuner import` reads it back with Python's trials, and a hypertuner search
 * continues. A study made by Optuna alone (NSGA-II, two objectives, a None choice) comes over
 * with what has no place in hypertuner listed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MemoryStorage,
  RandomSearchOracle,
  Study,
  TpeOracle,
  exportOptunaJournal,
  importOptunaJournal,
  openStorage,
} from '../../../src/index.js';
import type { Trial } from '../../../src/index.js';
import { budgetUsed, isLostTrial } from '../../../src/trials/index.js';
import { parsePythonJson } from '../../../src/storage/formats/python-json.js';
import { runPython } from '../../helpers/python.js';
import { AWKWARD_NAME, fillRichStudy, richObjective } from '../../helpers/rich-study.js';
import { runCli } from '../../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const script = fileURLToPath(new URL('./optuna-journal.py', import.meta.url));

interface PyTrial {
  readonly number: number;
  readonly state: string;
  readonly value: number | null;
  readonly values: number[] | null;
  readonly params: Record<string, unknown>;
  readonly distributions: Record<string, Record<string, unknown>>;
  readonly intermediate_values: Record<string, number>;
  readonly user_attrs: Record<string, unknown>;
  readonly system_attrs: Record<string, unknown>;
  readonly datetime_start: number | null;
  readonly datetime_complete: number | null;
}

interface PyStudy {
  readonly name: string;
  readonly directions: string[];
  readonly user_attrs: Record<string, unknown>;
  readonly best_value: number | null;
  readonly best_params: Record<string, unknown> | null;
  readonly trials: PyTrial[];
  readonly ran?: number[];
  readonly before?: number;
}

async function python(...args: string[]): Promise<PyStudy> {
  return parsePythonJson(await runPython(script, args)) as PyStudy;
}

const OPTUNA_STATE = {
  COMPLETED: 'COMPLETE',
  FAILED: 'FAIL',
  PRUNED: 'PRUNED',
  RUNNING: 'RUNNING',
  WAITING: 'WAITING',
};

/** What an import says of the rich study's RUNNING trial (number 10). */
const RUNNING_NOTE =
  'trial 10: RUNNING in the journal, and no worker here runs it; imported as FAILED (worker lost), out of the trial budget';

/** `trial` is `running` imported: FAILED as a trial whose worker was lost, all else kept. */
function expectLostOnImport(trial: Trial, running: Trial): void {
  expect(running.status).toBe('RUNNING');
  expect(trial.status).toBe('FAILED');
  expect(isLostTrial(trial)).toBe(true);
  expect(trial.error).toMatch(/^worker lost: RUNNING in the Optuna journal it was imported from/);
  expect(trial.finishedAt).toBe(running.startedAt);
  const { status: _s, error: _e, finishedAt: _f, ...kept } = comparable(trial);
  const { status: _s2, error: _e2, finishedAt: _f2, ...was } = comparable(running);
  expect(kept).toEqual(was);
}

/** A trial without what a storage gives it on its own (ids, the worker running it). */
function comparable(trial: Trial): Partial<Trial> {
  const { id: _id, workerId: _w, heartbeatAt: _h, ...rest } = trial;
  return rest;
}

describe('Optuna journal files', () => {
  it('Optuna opens an exported study, continues it with TPE, and hypertuner imports it back and continues', async () => {
    const source = join(root, 'rich.db');
    const storage = await openStorage(`sqlite:${source}`);
    const trials = await fillRichStudy(storage);
    const best = trials
      .filter((t) => t.status === 'COMPLETED')
      .reduce((a, b) => ((a.values?.[0] ?? 0) <= (b.values?.[0] ?? 0) ? a : b));
    await storage.close();

    const file = join(root, 'rich.log');
    const exported = await runCli([
      ...['export', 'rich', '--storage', `sqlite:${source}`],
      ...['--format', 'optuna-journal', '--out', file],
    ]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const again = await runCli([
      ...['export', 'rich', '--storage', `sqlite:${source}`],
      ...['--format', 'optuna-journal', '--out', file],
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^hypertuner: Cannot write --out .*: it exists, and an Optuna journal file may hold other studies; .* \[FILE_NOT_WRITABLE\]\n$/,
    );

    const py = await python('dump', file, 'rich');
    expect(py.name).toBe('rich');
    expect(py.directions).toEqual(['MINIMIZE']);
    expect(py.user_attrs).toEqual({ oracle: 'tpe', owner: 'tests', tags: ['a', 'b'] });
    expect(py.trials).toHaveLength(trials.length);
    expect(py.best_value).toBe(best.values?.[0]);
    expect(py.best_params).toEqual(best.params);
    trials.forEach((trial, i) => {
      const t = py.trials[i] as PyTrial;
      expect(t.number).toBe(trial.number);
      expect(t.state).toBe(OPTUNA_STATE[trial.status]);
      expect(t.value).toBe(trial.values?.[0] ?? null);
      expect(t.user_attrs).toEqual(trial.userAttrs);
      expect(t.datetime_start).toBe(trial.status === 'WAITING' ? null : trial.startedAt);
      expect(t.datetime_complete).toBe(trial.finishedAt ?? null);
      if (trial.status === 'WAITING') {
        expect(t.params).toEqual({});
        expect(t.system_attrs['fixed_params']).toEqual(trial.params);
        return;
      }
      expect(t.params).toEqual(trial.params);
      expect(t.intermediate_values).toEqual(
        Object.fromEntries(trial.intermediate.map((iv) => [String(iv.step), iv.value])),
      );
      if (trial.status === 'FAILED') expect(t.system_attrs['fail_reason']).toBe(trial.error);
    });
    const withMomentum = py.trials.find((t) => 'momentum' in t.params) as PyTrial;
    expect(withMomentum.distributions).toEqual({
      optimizer: { name: 'CategoricalDistribution', choices: ['adam', 'sgd'] },
      lr: { name: 'FloatDistribution', low: 1e-4, high: 0.1, step: null, log: true },
      units: { name: 'IntDistribution', low: 16, high: 128, step: 16, log: false },
      layers: { name: 'IntDistribution', low: 1, high: 64, step: 1, log: true },
      dropout: { name: 'FloatDistribution', low: 0, high: 0.5, step: 0.1, log: false },
      use_bias: { name: 'CategoricalDistribution', choices: [false, true] },
      [AWKWARD_NAME]: {
        name: 'CategoricalDistribution',
        choices: ['a,b', 'say "hi"', 'two\nlines'],
      },
      momentum: { name: 'FloatDistribution', low: 0, high: 0.99, step: null, log: false },
    });

    // Optuna continues the study: the queued trial first (its fixed_params), then TPE's
    const continued = await python('continue', file, 'rich', '5');
    expect(continued.ran).toEqual([11, 12, 13, 14, 15]);
    const queued = continued.trials[11] as PyTrial;
    expect(queued.state).toBe('COMPLETE');
    expect(queued.params).toMatchObject(trials[11]?.params ?? {});

    const target = join(root, 'back.db');
    const imported = await runCli([
      ...['import', file, '--format', 'optuna-journal', '--storage', `sqlite:${target}`],
    ]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(
      `Imported study 'rich' (16 trials) from ${file} into sqlite:${target}.\n` +
        `note: ${RUNNING_NOTE}\n`,
    );

    const back = await openStorage(`sqlite:${target}`);
    const study = await Study.open({
      storage: back,
      name: 'rich',
      objective: 'loss',
      oracle: new TpeOracle({ seed: 3, nStartupTrials: 0 }),
    });
    const backTrials = await study.trials();
    expect(backTrials).toHaveLength(16);
    // what hypertuner wrote comes back as it was, the RUNNING trial as one whose worker was lost
    backTrials.slice(0, 10).forEach((trial, i) => {
      expect(comparable(trial)).toEqual(comparable(trials[i] as Trial));
    });
    expectLostOnImport(backTrials[10] as Trial, trials[10] as Trial);
    // and Python's trials as Python ran them
    for (const number of continued.ran ?? []) {
      const mine = backTrials[number] as Trial;
      const theirs = continued.trials[number] as PyTrial;
      expect(mine.status).toBe('COMPLETED');
      expect(mine.params).toEqual(theirs.params);
      expect(mine.values).toEqual([theirs.value]);
      expect(mine.metrics).toEqual({ loss: theirs.value });
      expect(mine.userAttrs).toEqual({
        ...(number === 11 ? { queued: true } : {}),
        from: 'python',
      });
      expect(mine.intermediate.map((iv) => [iv.step, iv.value])).toEqual(
        Object.entries(theirs.intermediate_values).map(([s, v]) => [Number(s), v]),
      );
      // Optuna keeps microseconds, hypertuner milliseconds
      expect(Math.abs((mine.startedAt ?? 0) - (theirs.datetime_start ?? 0))).toBeLessThan(1);
      expect(Math.abs((mine.finishedAt ?? 0) - (theirs.datetime_complete ?? 0))).toBeLessThan(1);
    }
    expect(study.space.toJSON()).toEqual(
      (await (await openStorage(`sqlite:${source}`)).loadStudy('rich'))?.space.toJSON(),
    );

    // a hypertuner search continues from there, with the same declarations
    await study.optimize((trial) => richObjective(trial), { nTrials: 3 });
    const after = await study.trials();
    expect(after).toHaveLength(19);
    expect(after.slice(16).map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    await study.close();
    await back.close();
  }, 120_000);

  it('imports a study Optuna made alone, listing what hypertuner has no place for', async () => {
    const file = join(root, 'born.log');
    const py = await python('born', file);
    const storage = new MemoryStorage();
    const result = await importOptunaJournal(storage, readFileSync(file, 'utf8'));
    expect(result.study.name).toBe('born');
    expect(result.study.objectives).toEqual([
      { name: 'values_0', direction: 'minimize' },
      { name: 'values_1', direction: 'maximize' },
    ]);
    expect(result.study.userAttrs).toEqual({ team: 'python' });
    expect(result.study.space.parameters).toEqual([
      expect.objectContaining({ kind: 'float', name: 'x', min: -1, max: 1, sampling: 'linear' }),
      expect.objectContaining({ kind: 'int', name: 'n', min: 2, max: 32, sampling: 'log' }),
      expect.objectContaining({ kind: 'choice', name: 'act', values: ['relu', 'tanh'] }),
      expect.objectContaining({ kind: 'float', name: 'slope', min: 0.1, max: 1, step: 0.1 }),
    ]);
    expect(result.notes).toEqual([
      "parameter 'maybe' left out of every trial: its choices include None, which hypertuner's parameters cannot hold",
      "user attribute 'weird' is left out of 8 trials: it holds NaN or Infinity, which JSON cannot",
      'trial system attributes not imported (hypertuner has no place for them): nsga2:generation (8 trials)',
      expect.stringMatching(
        /^study system attributes not imported: sampler_note, nsga2:population/,
      ),
    ]);
    const trials = await storage.getTrials(result.study.id);
    expect(trials.map((t) => t.status)).toEqual(
      py.trials.map((t) =>
        t.state === 'COMPLETE' ? 'COMPLETED' : t.state === 'FAIL' ? 'FAILED' : t.state,
      ),
    );
    trials.forEach((trial, i) => {
      const t = py.trials[i] as PyTrial;
      const { maybe: _maybe, ...params } = trial.status === 'WAITING' ? {} : t.params;
      if (trial.status !== 'WAITING') expect(trial.params).toEqual(params);
      expect(trial.values).toEqual(t.values ?? undefined);
    });
    expect(trials.at(-1)?.params).toEqual({ x: -0.5, n: 8, act: 'relu' });

    // the queued trial runs first, then the oracle's
    const study = await Study.open({
      storage,
      name: 'born',
      objective: [
        { name: 'values_0', direction: 'minimize' },
        { name: 'values_1', direction: 'maximize' },
      ],
      oracle: new RandomSearchOracle({ seed: 1 }),
    });
    await study.optimize(
      ({ hp }) => {
        const x = hp.Float('x', { min: -1, max: 1 });
        const n = hp.Int('n', { min: 2, max: 32, sampling: 'log' });
        hp.Choice('act', ['relu', 'tanh']);
        return { values_0: x * x + n / 32, values_1: -x };
      },
      { nTrials: 3 },
    );
    const after = await storage.getTrials(result.study.id);
    expect(after[8]?.status).toBe('COMPLETED');
    expect(after[8]?.params).toMatchObject({ x: -0.5, n: 8, act: 'relu' });
    expect(after.slice(9).every((t) => t.status === 'COMPLETED')).toBe(true);
  }, 60_000);

  it('an export imported again is the same study, field by field (the API both ways), its RUNNING trial FAILED as lost, and a search goes on at once', async () => {
    const storage = new MemoryStorage();
    const trials = await fillRichStudy(storage);
    const journal = await exportOptunaJournal(storage, 'rich');
    expect(journal.notes).toEqual([]);
    const result = await importOptunaJournal(storage, journal.text, { toName: 'again' });
    expect(result.notes).toEqual([RUNNING_NOTE]);
    const record = await storage.loadStudy('rich');
    expect(result.study.objectives).toEqual(record?.objectives);
    expect(result.study.userAttrs).toEqual(record?.userAttrs);
    expect(result.study.createdAt).toBe(record?.createdAt);
    expect(result.study.space.toJSON()).toEqual(record?.space.toJSON());
    const again = await storage.getTrials(result.study.id);
    const running = trials.findIndex((t) => t.status === 'RUNNING');
    expect(running).toBe(10);
    const others = (list: readonly Trial[]) => list.filter((_, i) => i !== running);
    expect(others(again).map(comparable)).toEqual(others(trials).map(comparable));
    expectLostOnImport(again[running] as Trial, trials[running] as Trial);

    // out of the budget: a search with maxTrials starts its trials at once (the imported trial
    // left RUNNING would hold a place until reaped, a minute later)
    const study = await Study.open({
      storage,
      name: 'again',
      objective: 'loss',
      oracle: new RandomSearchOracle({ seed: 2 }),
    });
    const budget = budgetUsed(again);
    expect(budget).toBe(10);
    await study.optimize((trial) => richObjective(trial), {
      maxTrials: budget + 2,
      timeoutMs: 30_000,
    });
    const after = await study.trials();
    // the queued trial, then one new trial: the budget's 12 with the 10 before
    expect(after.slice(11).map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(after).toHaveLength(13);
    await study.close();
  });

  it('keeps the exported space, its conditions included, and adds a parameter Optuna trials brought', async () => {
    const storage = new MemoryStorage();
    await fillRichStudy(storage);
    const { text } = await exportOptunaJournal(storage, 'rich');
    const w = '"worker_id": "py-1"';
    const wd =
      '{\\"name\\": \\"FloatDistribution\\", \\"attributes\\": {\\"step\\": null, \\"low\\": 1e-06, \\"high\\": 0.01, \\"log\\": true}}';
    const optimizer =
      '{\\"name\\": \\"CategoricalDistribution\\", \\"attributes\\": {\\"choices\\": [\\"adam\\", \\"sgd\\"]}}';
    const more = [
      `{"op_code": 4, ${w}, "study_id": 0, "datetime_start": "2026-01-02T03:04:05.678901"}`,
      `{"op_code": 5, ${w}, "trial_id": 12, "param_name": "optimizer", "param_value_internal": 1, "distribution": "${optimizer}"}`,
      `{"op_code": 5, ${w}, "trial_id": 12, "param_name": "wd", "param_value_internal": 0.0001, "distribution": "${wd}"}`,
      `{"op_code": 7, ${w}, "trial_id": 12, "step": 0, "intermediate_value": NaN}`,
      `{"op_code": 6, ${w}, "trial_id": 12, "state": 1, "values": [0.5], "datetime_complete": "2026-01-02T03:04:06.000000"}`,
      // on a finished trial: Optuna's replay ignores it, and so do we
      `{"op_code": 8, ${w}, "trial_id": 12, "user_attr": {"late": 1}}`,
    ];
    const result = await importOptunaJournal(storage, `${text}${more.join('\n')}\n`, {
      toName: 'grown',
    });
    expect(result.notes).toEqual([
      'parameters new since the export join the search space as Optuna recorded them: wd',
      RUNNING_NOTE,
      'trial 12: the intermediate value NaN at step 0 is left out (hypertuner keeps finite values at steps >= 0)',
    ]);
    const record = await storage.loadStudy('rich');
    expect(result.study.space.parameters).toEqual([
      ...(record?.space.parameters ?? []),
      expect.objectContaining({ kind: 'float', name: 'wd', min: 1e-6, max: 0.01, sampling: 'log' }),
    ]);
    const last = (await storage.getTrials(result.study.id)).at(-1);
    expect(last).toMatchObject({
      number: 12,
      status: 'COMPLETED',
      params: { optimizer: 'sgd', wd: 0.0001 },
      values: [0.5],
      intermediate: [],
      userAttrs: {},
      startedAt: new Date(2026, 0, 2, 3, 4, 5, 678).getTime(),
      finishedAt: new Date(2026, 0, 2, 3, 4, 6).getTime(),
    });
  });

  it('refuses a broken file, an unknown study and a name in use, in one line each', async () => {
    const storage = new MemoryStorage();
    await fillRichStudy(storage);
    const { text } = await exportOptunaJournal(storage, 'rich');
    const lines = text.split('\n');
    const broken = [...lines.slice(0, 3), '{"op_code": 4, "study_id": ', ...lines.slice(3)].join(
      '\n',
    );
    await expect(importOptunaJournal(new MemoryStorage(), broken)).rejects.toMatchObject({
      code: 'IMPORT_INVALID_FILE',
      message: expect.stringMatching(/^Optuna journal: line 4: not an operation of a journal file/),
    });
    // a last line cut short is skipped, as Optuna skips it
    const cut = `${text}{"op_code": 4, "worker_id"`;
    const skipped = await importOptunaJournal(new MemoryStorage(), cut);
    expect(skipped.trials).toBe(12);
    expect(skipped.notes[0]).toMatch(/cut short .* skipped/);
    await expect(
      importOptunaJournal(new MemoryStorage(), text, { study: 'other' }),
    ).rejects.toMatchObject({
      code: 'IMPORT_INVALID_FILE',
      message: "Optuna journal: The file has no study 'other'; it has 'rich'.",
    });
    await expect(importOptunaJournal(storage, text)).rejects.toMatchObject({
      code: 'STUDY_EXISTS',
    });
    await expect(
      importOptunaJournal(new MemoryStorage(), text, { objectives: ['a', 'b'] }),
    ).rejects.toMatchObject({ code: 'OPTIONS_INVALID', field: 'objectives' });

    const file = join(root, 'broken.log');
    writeFileSync(file, broken);
    const none = join(root, 'none.db');
    const cli = await runCli(['import', file, '--storage', `sqlite:${none}`]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^hypertuner: Optuna journal: line 4: not an operation .* \[IMPORT_INVALID_FILE\]$/,
      ),
    ]);
    expect(existsSync(none)).toBe(false);

    // names from the file reach the terminal with their control characters escaped
    const hostile = join(root, 'hostile.log');
    const choices =
      '{\\"name\\": \\"CategoricalDistribution\\", \\"attributes\\": {\\"choices\\": [null, 1]}}';
    writeFileSync(
      hostile,
      [
        '{"op_code": 0, "worker_id": "w", "study_name": "h", "directions": [2]}',
        `{"op_code": 4, "worker_id": "w", "study_id": 0, "datetime_start": null, "state": 4, "value": null, "values": null, "distributions": {"a\\u001b[31mb": "${choices}"}, "params": {"a\\u001b[31mb": 0}}`,
        '',
      ].join('\n'),
    );
    const shown = await runCli(['import', hostile, '--storage', `sqlite:${join(root, 'h.db')}`]);
    expect(shown.stderr).toBe('');
    expect(shown.stdout.split('\n')[1]).toBe(
      "note: parameter 'a\\x1b[31mb' left out of every trial: its choices include None, which hypertuner's parameters cannot hold",
    );
  }, 60_000);
});
