/**
 * Optimization history: each COMPLETED trial's value by trial number, and the best value so
 * far as a step line. Large studies keep each bucket's extremes and every improvement.
 */
import type { Trial } from '../../trials/index.js';
import { isBetter } from '../../trials/index.js';
import { downsampleExtremes, sampleInOrder } from './downsample.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import {
  baseOption,
  emptyChart,
  formatNumber,
  objectiveAt,
  objectiveLabel,
  valueOf,
} from './chart-common.js';

export interface HistoryOptions {
  readonly objectiveIndex?: number;
  readonly maxPoints?: number;
}

export interface HistoryData {
  /** [trial number, value] of the plotted trials. */
  readonly points: readonly (readonly [number, number])[];
  /** [trial number, best value so far] at each improvement, and at the last trial. */
  readonly best: readonly (readonly [number, number])[];
  readonly bestValue: number | undefined;
  readonly bestTrial: number | undefined;
  readonly completed: number;
}

export function historyData(snapshot: StudySnapshot, options: HistoryOptions = {}): HistoryData {
  const index = options.objectiveIndex ?? 0;
  const objective = objectiveAt(snapshot.study.objectives, index);
  const done = snapshot.trials.filter(
    (t) => t.status === 'COMPLETED' && valueOf(t, index) !== undefined,
  );
  const improvements = new Set<Trial>();
  const best: [number, number][] = [];
  let bestValue: number | undefined;
  let bestTrial: number | undefined;
  for (const t of done) {
    const v = valueOf(t, index) as number;
    if (bestValue === undefined || isBetter(v, bestValue, objective.direction)) {
      bestValue = v;
      bestTrial = t.number;
      improvements.add(t);
      best.push([t.number, v]);
    }
  }
  const last = done[done.length - 1];
  if (last !== undefined && bestValue !== undefined && best[best.length - 1]?.[0] !== last.number)
    best.push([last.number, bestValue]);
  // half the points keep each range's extremes (and every improvement), half are a seeded
  // sample, so both the envelope and the density survive
  const maxPoints = options.maxPoints ?? 2000;
  const chosen = new Set([
    ...downsampleExtremes(
      done,
      Math.ceil(maxPoints / 2),
      (t) => valueOf(t, index) as number,
      (t) => improvements.has(t),
    ),
    ...sampleInOrder(done, Math.floor(maxPoints / 2), 5),
  ]);
  const kept = done.length <= maxPoints ? done : done.filter((t) => chosen.has(t));
  return {
    points: kept.map((t) => [t.number, valueOf(t, index) as number] as const),
    best,
    bestValue,
    bestTrial,
    completed: done.length,
  };
}

export function historyChart(snapshot: StudySnapshot, options: HistoryOptions = {}): ChartResult {
  const index = options.objectiveIndex ?? 0;
  const objective = objectiveAt(snapshot.study.objectives, index);
  const title = `Optimization history: ${snapshot.study.name}`;
  const data = historyData(snapshot, options);
  if (data.completed === 0) return emptyChart(title, 'No completed trials yet.');
  const notes =
    data.points.length < data.completed
      ? [
          `${data.points.length} of ${data.completed} trials plotted (each range's extremes, every improvement and a seeded sample).`,
        ]
      : [];
  return {
    option: {
      ...baseOption(title),
      legend: { top: 32, data: [objectiveLabel(objective), 'best so far'] },
      grid: { left: 70, right: 30, top: 70, bottom: 50 },
      xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, minInterval: 1 },
      yAxis: { type: 'value', name: objectiveLabel(objective), scale: true },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      series: [
        {
          name: objectiveLabel(objective),
          type: 'scatter',
          symbolSize: 6,
          large: data.points.length > 2000,
          data: data.points,
          itemStyle: { opacity: 0.7 },
        },
        {
          name: 'best so far',
          type: 'line',
          step: 'end',
          showSymbol: false,
          data: data.best,
          lineStyle: { width: 2 },
          color: '#e4572e',
        },
      ],
    },
    height: 420,
    notes:
      data.bestValue === undefined
        ? notes
        : [
            ...notes,
            `Best ${objective.name}: ${formatNumber(data.bestValue)} (trial ${data.bestTrial}).`,
          ],
  };
}
