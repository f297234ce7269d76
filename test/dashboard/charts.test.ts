/**
 * The chart options the server builds, checked on plain trials: conditional parameters in
 * parallel coordinates and contour plots, the contour's choice of axes, and axis labels of
 * log and huge ranges.
 */
import { describe, expect, it } from 'vitest';
import { computeImportances } from '../../src/analysis/importance.js';
import { contourChart } from '../../src/dashboard/charts/contour-chart.js';
import { importanceChart } from '../../src/dashboard/charts/importance-chart.js';
import { parallelParameterAxis } from '../../src/dashboard/charts/parallel-axis.js';
import { parallelChart } from '../../src/dashboard/charts/parallel-chart.js';
import { sliceChart } from '../../src/dashboard/charts/slice-chart.js';
import { renderChartFile } from '../../src/dashboard/render/render-chart-file.js';
import type { StudySnapshot } from '../../src/dashboard/study-data.js';
import { countByStatus } from '../../src/dashboard/study-data.js';
import { Random } from '../../src/math/random.js';
import { SearchSpace } from '../../src/space/index.js';
import type { Parameter, ParamValues, Sampling } from '../../src/space/index.js';
import type { Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

type Axis = {
  name?: string;
  type?: string;
  data?: string[];
  min?: number;
  axisLabel?: { hideOverlap?: boolean };
  numberLabels?: { inactive?: number };
};

function float(name: string, min: number, max: number, sampling: Sampling = 'linear'): Parameter {
  return { kind: 'float', name, min, max, step: undefined, sampling, default: min, conditions: [] };
}

function int(name: string, min: number, max: number, sampling: Sampling = 'linear'): Parameter {
  return { kind: 'int', name, min, max, step: undefined, sampling, default: min, conditions: [] };
}

function choice(name: string, values: string[]): Parameter {
  return {
    kind: 'choice',
    name,
    values,
    ordered: false,
    default: values[0] as string,
    conditions: [],
  };
}

function snapshotOf(parameters: Parameter[], trials: Trial[]): StudySnapshot {
  return {
    study: {
      id: 1,
      name: 'test',
      objectives: [{ name: 'loss', direction: 'minimize' }],
      space: new SearchSpace(parameters),
      createdAt: 0,
      userAttrs: {},
    },
    trials,
    damaged: [],
    counts: countByStatus(trials),
    fingerprint: '1',
    completedFingerprint: '1',
    readAt: 0,
  };
}

function trial(number: number, params: ParamValues, value: number): Trial {
  return trialRecord(number, { params, values: [value], finishedAt: 1 });
}

/** svm trials have C and kernel, mlp trials layers and dropout (as make-studies.ts). */
function conditionalStudy(): StudySnapshot {
  const parameters = [
    choice('model', ['svm', 'mlp']),
    float('C', 1e-3, 1e3, 'log'),
    choice('kernel', ['rbf', 'linear']),
    int('layers', 1, 5),
    float('dropout', 0, 0.5),
  ];
  const rng = new Random(2);
  const trials = Array.from({ length: 30 }, (_, i) => {
    if (i % 2 === 0) {
      const C = 10 ** (-3 + 6 * rng.next());
      const kernel = rng.next() < 0.5 ? 'rbf' : 'linear';
      return trial(
        i,
        { model: 'svm', C, kernel },
        Math.abs(Math.log10(C)) + (kernel === 'rbf' ? 0 : 0.3),
      );
    }
    const layers = 1 + Math.floor(5 * rng.next());
    const dropout = 0.5 * rng.next();
    return trial(i, { model: 'mlp', layers, dropout }, 0.1 * layers + dropout);
  });
  return snapshotOf(parameters, trials);
}

function importances(snapshot: StudySnapshot) {
  return computeImportances(snapshot.study.space.parameters, snapshot.trials, { seed: 0 });
}

describe('parallel coordinates', () => {
  it('draws an inactive parameter at a labelled "(inactive)" slot, never at a made-up value', () => {
    const snapshot = conditionalStudy();
    const { option, notes } = parallelChart(snapshot);
    const axes = option.parallelAxis as Axis[];
    const data = (option.series as { data: (string | number)[][] }[])[0]?.data ?? [];
    const dim = (name: string) => axes.findIndex((a) => a.name === name);
    const svm = snapshot.trials.filter((t) => t.params.model === 'svm');
    expect(data).toHaveLength(30);
    expect(data.flat()).not.toContain('-');

    // a categorical axis gets the category "(inactive)", first (at the bottom)
    const kernel = axes[dim('kernel')];
    expect(kernel?.data).toEqual(['(inactive)', 'rbf', 'linear']);
    data.forEach((row, i) => {
      const used = snapshot.trials[i]?.params.kernel;
      expect(row[dim('kernel')]).toBe(used ?? '(inactive)');
    });

    // a numeric axis gets a slot below every value, its own labelled tick
    for (const name of ['C', 'layers', 'dropout']) {
      const axis = axes[dim(name)] as Axis;
      const slot = axis.numberLabels?.inactive as number;
      expect(slot, name).toBe(axis.min);
      data.forEach((row, i) => {
        const used = snapshot.trials[i]?.params[name] as number | undefined;
        if (used === undefined) expect(row[dim(name)]).toBe(slot);
        else {
          expect(row[dim(name)]).toBe(used);
          expect(used).toBeGreaterThan(slot);
        }
      });
    }
    // the C values keep their log axis, with the slot the decade below the smallest
    const minC = Math.min(...svm.map((t) => t.params.C as number));
    expect(axes[dim('C')]?.type).toBe('log');
    const decade = Math.floor(Math.log10(minC));
    expect(axes[dim('C')]?.numberLabels?.inactive).toBe(
      10 ** (10 ** decade < minC ? decade : decade - 1),
    );
    expect(notes.join(' ')).toContain('(inactive)');
  });

  it('puts no numeric tick between "(inactive)" and the lowest value', () => {
    // units 64-512 (ticks every 100): "(inactive)" where 0 would be, then 100; no "0" tick above
    // it, a value no trial had; a value on a tick (200 every 50, 0.1) puts the slot a tick lower
    const cases: [Parameter, number[], number][] = [
      [int('units', 64, 512), [64, 128, 512], 0],
      [int('units', 64, 512), [200, 320, 448], 150],
      [float('dropout', 0, 0.5), [0.1, 0.3, 0.5], 0],
      [float('dropout', 0, 0.5), [0, 0.25, 0.5], -0.1],
      [float('lr', 1e-5, 1e-1, 'log'), [3e-4, 1e-2], 1e-4],
      [float('lr', 1e-5, 1e-1, 'log'), [1e-3, 1e-2], 1e-4],
    ];
    for (const [parameter, active, slot] of cases) {
      const axis = parallelParameterAxis(parameter, [...active, undefined]);
      const option = axis.axis as { min: number; interval?: number; type: string };
      expect(axis.place(undefined), `${active}`).toBeCloseTo(slot, 12);
      expect(option.min).toBe(axis.place(undefined));
      // the next tick up is at or above the lowest value
      const next = option.type === 'log' ? option.min * 10 : option.min + (option.interval ?? 0);
      expect(next, `${active}`).toBeGreaterThanOrEqual(Math.min(...active) * (1 - 1e-12));
      expect(option.min).toBeLessThan(Math.min(...active));
    }
  });

  it('leaves the axes of a study without conditional parameters as they were', () => {
    const parameters = [float('x', 0, 1), choice('c', ['a', 'b'])];
    const trials = [trial(0, { x: 0.2, c: 'a' }, 1), trial(1, { x: 0.7, c: 'b' }, 2)];
    const { option, notes } = parallelChart(snapshotOf(parameters, trials));
    const axes = option.parallelAxis as Axis[];
    expect(axes[1]?.data).toEqual(['a', 'b']);
    expect(axes[0]?.min).toBeUndefined();
    expect(notes).toEqual([]);
  });
});

describe('contour plot', () => {
  it('plots conditional parameters from the trials that used both', () => {
    const snapshot = conditionalStudy();
    const chart = contourChart(snapshot, importances(snapshot));
    const { option, notes } = chart;
    const series = option.series as { type: string; data: unknown[] }[];
    expect(series[0]?.type).toBe('heatmap');
    const x = (option.xAxis as Axis[])[0]?.name;
    const y = (option.yAxis as Axis[])[0]?.name;
    // the only pairs used together in two or more trials, both varying: svm's or mlp's
    expect([
      ['C', 'kernel'],
      ['kernel', 'C'],
      ['layers', 'dropout'],
      ['dropout', 'layers'],
    ]).toContainEqual([x, y]);
    const both = snapshot.trials.filter(
      (t) => t.params[x as string] !== undefined && t.params[y as string] !== undefined,
    );
    expect(series[1]?.data).toHaveLength(both.length);
    expect(notes[0]).toContain(`fitted on the ${both.length} of 30 completed trials`);

    const chosen = contourChart(snapshot, importances(snapshot), { x: 'layers', y: 'dropout' });
    expect((chosen.option.xAxis as Axis[])[0]?.name).toBe('layers');
    expect((chosen.option.yAxis as Axis[])[0]?.name).toBe('dropout');
    expect((chosen.option.series as { data: unknown[] }[])[1]?.data).toHaveLength(15);
    // only x chosen: y is a parameter used with it
    const onlyX = contourChart(snapshot, importances(snapshot), { x: 'C' });
    expect((onlyX.option.yAxis as Axis[])[0]?.name).toBe('kernel');
  });

  it('says why a pair that was never used together cannot be plotted', () => {
    const snapshot = conditionalStudy();
    const { option } = contourChart(snapshot, importances(snapshot), { x: 'C', y: 'layers' });
    const text = JSON.stringify(option.graphic);
    expect(text).toContain('0 completed trials used both C and layers');
    expect(text).toContain('choose parameters that are active in the same trials');
    const flat = contourChart(snapshot, importances(snapshot), { x: 'model', y: 'C' });
    expect(JSON.stringify(flat.option.graphic)).toContain('model took a single value');
  });

  it('takes the next most important parameter for x when only y is the most important', () => {
    const parameters = [float('a', 0, 1), float('b', 0, 1), float('c', 0, 1)];
    const rng = new Random(1);
    const trials = Array.from({ length: 60 }, (_, i) => {
      const p = { a: rng.next(), b: rng.next(), c: rng.next() };
      return trial(i, p, 10 * p.a + 3 * p.b + 0.1 * p.c);
    });
    const snapshot = snapshotOf(parameters, trials);
    const importance = importances(snapshot);
    const [first, second] = importance.importances.map((i) => i.name);
    const { option } = contourChart(snapshot, importance, { y: first as string });
    expect((option.xAxis as Axis[])[0]?.name).toBe(second);
    expect((option.yAxis as Axis[])[0]?.name).toBe(first);
    expect(() => contourChart(snapshot, importance, { x: 'a', y: 'a' })).toThrow(
      /two different parameters/,
    );
  });
});

describe('axis labels', () => {
  it('prints log and huge ranges in exponent notation, hiding overlapping labels', async () => {
    const parameters = [
      float('lr', 1e-8, 1, 'log'),
      int('big', 1, 1e9, 'log'),
      float('huge', -1e12, 1e12),
    ];
    const rng = new Random(3);
    const trials = Array.from({ length: 40 }, (_, i) =>
      trial(
        i,
        {
          lr: 10 ** (-8 * rng.next()),
          big: Math.round(10 ** (9 * rng.next())),
          huge: -1e12 + 2e12 * rng.next(),
        },
        rng.next(),
      ),
    );
    const chart = sliceChart(snapshotOf(parameters, trials));
    for (const axis of chart.option.xAxis as Axis[]) expect(axis.axisLabel?.hideOverlap).toBe(true);
    const svg = (await renderChartFile(chart, 'svg', { width: 1200 })) as string;
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toContain('1e-8');
    expect(labels).toContain('1e9');
    expect(labels.some((l) => /^-?\de11$|^-?1e12$/.test(l ?? ''))).toBe(true);
    for (const label of labels) expect(label).not.toMatch(/0{5}|,000,000/);
  });
});

describe('parallel coordinates on a real-looking accuracy study', () => {
  /** val_accuracy between 0.79 and 0.86, as the example's studies (maximised). */
  function accuracyStudy(): StudySnapshot {
    const parameters = [float('learning_rate', 1e-4, 1e-2, 'log'), int('num_layers', 2, 4)];
    const rng = new Random(5);
    const trials = Array.from({ length: 50 }, (_, i) =>
      trial(
        i,
        { learning_rate: 10 ** (-4 + 2 * rng.next()), num_layers: 2 + Math.floor(3 * rng.next()) },
        0.79 + 0.07 * rng.next(),
      ),
    );
    const snapshot = snapshotOf(parameters, trials);
    return {
      ...snapshot,
      study: { ...snapshot.study, objectives: [{ name: 'val_accuracy', direction: 'maximize' }] },
    };
  }

  it('labels the colour legend with distinct ends (0.79..., 0.86..., not 1 and 1)', async () => {
    const chart = parallelChart(accuracyStudy());
    const map = chart.option.visualMap as { min: number; max: number; precision: number };
    expect(map.precision).toBe(4); // range 0.07: three significant digits of it
    expect(map.min.toFixed(map.precision)).not.toBe(map.max.toFixed(map.precision));
    const svg = (await renderChartFile(chart, 'svg', { width: 1000 })) as string;
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toContain(map.min.toFixed(4));
    expect(labels).toContain(map.max.toFixed(4));
  });

  it('puts axis labels on a background above the lines, integer axes without fractional ticks', () => {
    const chart = parallelChart(accuracyStudy());
    const parallel = chart.option.parallel as {
      parallelAxisDefault: { axisLabel: { backgroundColor: string } };
    };
    expect(parallel.parallelAxisDefault.axisLabel.backgroundColor).toMatch(/255, 255, 255/);
    const axes = chart.option.parallelAxis as (Axis & { minInterval?: number })[];
    expect(axes.find((a) => a.name === 'num_layers')?.minInterval).toBe(1);
    expect(axes.find((a) => a.name === 'learning_rate')?.type).toBe('log');
  });
});

describe('importances of a study with conditional parameters', () => {
  it('lists every parameter, conditional ones included, and says how they are counted', () => {
    const snapshot = conditionalStudy();
    const chart = importanceChart(snapshot, importances(snapshot));
    const names = (chart.option.yAxis as Axis).data ?? [];
    expect([...names].sort()).toEqual(['C', 'dropout', 'kernel', 'layers', 'model']);
    expect(chart.notes.join(' ')).toMatch(
      /Conditional parameters, with the share of trials that used them: .*C \(50%\)/,
    );
  });
});
