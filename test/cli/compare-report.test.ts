/**
 * The report of `example --compare` on hand-made runs: medians and spreads, the table, the
 * verdict's judgement against the seed-to-seed spread, and the best-so-far bands of the plot.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/cli/example/compare-member.js';
import { runCurve } from '../../src/cli/example/compare-plot.js';
import {
  comparisonTable,
  spreadOf,
  summarizeRuns,
  verdictLines,
} from '../../src/cli/example/compare-report.js';
import type { TunerName } from '../../src/cli/example/options.js';
import { bandOf, bestSoFarAt, bestSoFarBandChart } from '../../src/dashboard/charts/band-chart.js';

function run(tuner: TunerName, seed: number, testAccuracy: number, values: number[]): RunResult {
  return {
    study: `s-${tuner}-${seed}`,
    tuner,
    seed,
    trials: values.length,
    bestValue: Math.max(...values),
    bestTrial: values.indexOf(Math.max(...values)),
    bestParams: {},
    testLoss: 1 - testAccuracy,
    testAccuracy,
    timeMs: 1000 * seed,
    history: values.map((value, number) => ({ number, epochs: 2, value })),
    layers: '',
  };
}

describe('medians and spreads', () => {
  it('takes the middle value, or the mean of the two middle ones, and ignores NaN', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spreadOf([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spreadOf([5, Number.NaN])).toEqual({ median: 5, min: 5, max: 5 });
    expect(spreadOf([]).median).toBeNaN();
  });

  it('prints a Markdown table of median (min-max) per tuner, in the order given', () => {
    const results = [
      run('random', 1, 0.8, [0.7, 0.81]),
      run('bayesian', 1, 0.85, [0.84, 0.8]),
      run('random', 2, 0.82, [0.83, 0.6]),
      run('bayesian', 2, 0.86, [0.8, 0.87]),
      run('random', 3, 0.84, [0.85, 0.1]),
      run('bayesian', 3, 0.9, [0.9, 0.2]),
    ];
    const table = comparisonTable(summarizeRuns(results, ['random', 'bayesian']));
    expect(table.split('\n')).toEqual([
      '| tuner | seeds | trials | best val_accuracy | test loss | test accuracy | time |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| random | 3 | 2 | 0.8300 (0.8100-0.8500) | 0.1800 (0.1600-0.2000) | 0.8200 (0.8000-0.8400) | 2.0s (1.0s-3.0s) |',
      '| bayesian | 3 | 2 | 0.8700 (0.8400-0.9000) | 0.1400 (0.1000-0.1500) | 0.8600 (0.8500-0.9000) | 2.0s (1.0s-3.0s) |',
    ]);
  });
});

describe('the verdict', () => {
  it('calls a difference larger than every tuner’s seed-to-seed range a difference', () => {
    const results = [
      run('random', 1, 0.8, [0.8]),
      run('random', 2, 0.81, [0.8]),
      run('tpe', 1, 0.85, [0.8]),
      run('tpe', 2, 0.86, [0.8]),
    ];
    const [line] = verdictLines(summarizeRuns(results, ['random', 'tpe']));
    expect(line).toBe(
      "Verdict: tpe vs random, median test accuracy 0.8550 vs 0.8050 (+0.0500) is larger than the seed-to-seed spread (0.0100): tpe did better than random (tpe's run ahead in 4 of 4 pairs of runs).",
    );
  });

  it('calls a difference within the spread no significant difference, counting ties as half', () => {
    const results = [
      run('random', 1, 0.8, [0.8]),
      run('random', 2, 0.9, [0.8]),
      run('bayesian', 1, 0.86, [0.8]),
      run('bayesian', 2, 0.8, [0.8]),
    ];
    const [line] = verdictLines(summarizeRuns(results, ['random', 'bayesian']));
    expect(line).toMatch(
      /\(-0\.0200\) is within the seed-to-seed spread \(0\.1000\): no significant difference between bayesian and random/,
    );
    expect(line).toMatch(/ahead in 1\.5 of 4 pairs/);
  });

  it('says that one seed per tuner cannot be judged', () => {
    const [line] = verdictLines(
      summarizeRuns(
        [run('random', 1, 0.8, [0.8]), run('hyperband', 1, 0.9, [0.8])],
        ['random', 'hyperband'],
      ),
    );
    expect(line).toMatch(/one seed per tuner gives no seed-to-seed spread to judge it by/);
  });
});

describe('best-so-far bands', () => {
  it('steps each run to its best value so far, skipping trials without one', () => {
    expect(
      bestSoFarAt(
        [
          [1, 0.5],
          [2, null],
          [3, 0.7],
          [4, 0.6],
        ],
        5,
        'maximize',
      ),
    ).toEqual([0.5, 0.5, 0.7, 0.7, 0.7]);
    expect(
      bestSoFarAt(
        [
          [2, 3],
          [4, 1],
        ],
        4,
        'minimize',
      ),
    ).toEqual([undefined, 3, 3, 1]);
  });

  it('takes median, lowest and highest over the runs at each point, by trials or epochs', () => {
    const runs = [
      run('random', 1, 0, [0.5, 0.9]),
      run('random', 2, 0, [0.7, 0.6]),
      run('random', 3, 0, [0.6, 0.8]),
    ];
    const byTrials = bandOf(
      { name: 'random', runs: runs.map((r) => runCurve(r, false)) },
      2,
      'maximize',
    );
    expect(byTrials).toEqual([
      { x: 1, median: 0.6, min: 0.5, max: 0.7 },
      { x: 2, median: 0.8, min: 0.7, max: 0.9 },
    ]);
    expect(runCurve(runs[0] as RunResult, true)).toEqual([
      [2, 0.5],
      [4, 0.9],
    ]);
    const chart = bestSoFarBandChart(
      [{ name: 'random', runs: runs.map((r) => runCurve(r, false)) }],
      {
        title: 't',
        x: 'trials',
        y: 'best',
        direction: 'maximize',
      },
    );
    const series = chart.option.series as { name: string; data: number[][] }[];
    expect(series.map((s) => s.name)).toEqual(['random lowest', 'random range', 'random']);
    expect(series[1]?.data.map((p) => Number(p[1]?.toFixed(10)))).toEqual([0.2, 0.2]);
    expect(chart.notes[0]).toMatch(/median over 3 runs/);
  });
});
