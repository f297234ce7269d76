/**
 * study.importances() and `hypertuner importance`: the fANOVA numbers the dashboard's
 * importance chart draws, for one objective or some parameters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChart } from '../../src/dashboard/charts/build-chart.js';
import { StudyData } from '../../src/dashboard/study-data.js';
import { RandomSearchOracle, Study, openStorage } from '../../src/index.js';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-importance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('study.importances', () => {
  it('returns the numbers the dashboard draws; by objective and for some parameters', async () => {
    const url = `sqlite:${join(root, 'importance.db')}`;
    const storage = await openStorage(url);
    const study = await Study.open({
      storage,
      name: 'imp',
      objective: [
        { name: 'loss', direction: 'minimize' },
        { name: 'cost', direction: 'minimize' },
      ],
      oracle: new RandomSearchOracle({ seed: 5 }),
    });
    await study.optimize(
      ({ hp }) => {
        const x = hp.Float('x', { min: -1, max: 1 });
        const y = hp.Float('y', { min: 0, max: 1 });
        const kind = hp.Choice('kind', ['a', 'b']);
        return { loss: 10 * x * x + 0.1 * y + (kind === 'a' ? 0 : 3), cost: y + 0.01 * x };
      },
      { maxTrials: 40 },
    );
    const result = await study.importances();
    expect(result.objective).toBe('loss');
    expect(result.trialsUsed).toBe(40);
    expect(result.importances.map((i) => i.name)).toEqual(['x', 'kind', 'y']);
    expect(result.importances.reduce((a, i) => a + i.importance, 0)).toBeCloseTo(1, 12);

    // the dashboard's chart of the same study: the same parameters, the same numbers
    const data = new StudyData(storage);
    const snapshot = await data.snapshot('imp');
    expect(data.importances(snapshot, 0).importances).toEqual(result.importances);
    const chart = buildChart(data, snapshot, { kind: 'importance' });
    const option = chart.option as {
      yAxis: { data: string[] };
      series: { data: number[] }[];
    };
    expect([...option.yAxis.data].reverse()).toEqual(result.importances.map((i) => i.name));
    expect([...(option.series[0]?.data ?? [])].reverse()).toEqual(
      result.importances.map((i) => Number(i.importance.toFixed(4))),
    );

    const cost = await study.importances({ objective: 'cost' });
    expect(cost).toEqual(await study.importances({ objective: 1 }));
    expect(cost.importances[0]?.name).toBe('y');
    expect(data.importances(snapshot, 1).importances).toEqual(cost.importances);
    const some = await study.importances({ params: ['y', 'kind'] });
    expect(some.importances.map((i) => i.name).sort()).toEqual(['kind', 'y']);
    expect(some.importances.reduce((a, i) => a + i.importance, 0)).toBeCloseTo(1, 12);
    await expect(study.importances({ objective: 'nope' })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      message: expect.stringMatching(/'loss' \(0\), 'cost' \(1\)/),
    });
    await expect(study.importances({ params: ['z'] })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      field: 'params',
    });
    await storage.close();

    const cli = await runCli(['importance', 'imp', '--storage', url, '--json']);
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(JSON.stringify(result)));
    const text = await runCli([
      ...['importance', 'imp', '--storage', url, '--objective', 'cost'],
      ...['--params', 'x,y'],
    ]);
    expect(text.stdout).toMatch(
      /^Importances for 'cost' \(fANOVA, 40 completed trials\):\ny +0\.\d+ +#+\nx /,
    );
  });
});
