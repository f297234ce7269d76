/**
 * Best-so-far curves of several runs per group (e.g. a tuner's runs over seeds): per group the
 * median over its runs as a line and the range from the lowest to the highest run as a band,
 * against the budget spent (trials, or epochs trained). What `hypertuner example --compare`
 * plots.
 */
import type { Direction } from '../../trials/index.js';
import type { ChartResult } from './chart-common.js';
import { PALETTE, baseOption } from './chart-common.js';
import { plural } from '../../plural.js';

/** One run: (budget spent after a trial, that trial's value or null when it did not complete). */
export type RunCurve = readonly (readonly [spent: number, value: number | null])[];

export interface BandGroup {
  readonly name: string;
  readonly runs: readonly RunCurve[];
}

export interface BandChartOptions {
  readonly title: string;
  /** Axis names, e.g. 'trials' and 'best val_accuracy so far'. */
  readonly x: string;
  readonly y: string;
  readonly direction: Direction;
}

/** A run's best value so far at each budget point 1..max (undefined before its first value). */
export function bestSoFarAt(
  run: RunCurve,
  max: number,
  direction: Direction,
): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  let best: number | undefined;
  let k = 0;
  const sorted = [...run].sort((a, b) => a[0] - b[0]);
  for (let x = 1; x <= max; x++) {
    while (k < sorted.length && (sorted[k]?.[0] ?? Infinity) <= x) {
      const value = sorted[k]?.[1];
      if (
        value !== null &&
        value !== undefined &&
        (best === undefined || (direction === 'maximize' ? value > best : value < best))
      )
        best = value;
      k++;
    }
    out.push(best);
  }
  return out;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Per budget point: median, min and max over the runs that have a value there. */
export function bandOf(
  group: BandGroup,
  max: number,
  direction: Direction,
): { x: number; median: number; min: number; max: number }[] {
  const curves = group.runs.map((run) => bestSoFarAt(run, max, direction));
  const points: { x: number; median: number; min: number; max: number }[] = [];
  for (let i = 0; i < max; i++) {
    const values = curves.flatMap((c) => (c[i] === undefined ? [] : [c[i] as number]));
    if (values.length === 0) continue;
    points.push({
      x: i + 1,
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
    });
  }
  return points;
}

export function bestSoFarBandChart(
  groups: readonly BandGroup[],
  options: BandChartOptions,
): ChartResult {
  const max = Math.max(1, ...groups.flatMap((g) => g.runs.flatMap((r) => r.map((p) => p[0]))));
  const series = groups.flatMap((group, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const band = bandOf(group, max, options.direction);
    const stack = `band-${i}`;
    const common = { type: 'line', step: 'end', showSymbol: false, stack, silent: true };
    return [
      {
        ...common,
        name: `${group.name} lowest`,
        data: band.map((p) => [p.x, p.min]),
        lineStyle: { opacity: 0 },
      },
      {
        ...common,
        name: `${group.name} range`,
        data: band.map((p) => [p.x, p.max - p.min]),
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 },
      },
      {
        type: 'line',
        step: 'end',
        name: group.name,
        showSymbol: false,
        data: band.map((p) => [p.x, p.median]),
        lineStyle: { width: 2.5, color },
        itemStyle: { color },
      },
    ];
  });
  const runs = groups.map((g) => g.runs.length);
  return {
    option: {
      ...baseOption(options.title),
      legend: { top: 32, data: groups.map((g) => g.name) },
      grid: { left: 70, right: 30, top: 70, bottom: 50 },
      xAxis: {
        type: 'value',
        name: options.x,
        nameLocation: 'middle',
        nameGap: 28,
        min: 1,
        max,
        minInterval: 1,
      },
      yAxis: { type: 'value', name: options.y, scale: true },
      series,
    },
    height: 420,
    notes: [
      `Lines: the median over ${runs.every((n) => n === runs[0]) ? plural(runs[0] ?? 0, 'run') : 'the runs'} of each; bands: from the lowest to the highest run.`,
    ],
  };
}
