/**
 * The Pareto front of a multi-objective study: every COMPLETED trial for two of its
 * objectives, the non-dominated ones highlighted and joined.
 */
import { paretoFront } from '../../trials/index.js';
import { sampleInOrder } from './downsample.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import { baseOption, emptyChart, objectiveAt, objectiveLabel, valueOf } from './chart-common.js';

export interface ParetoOptions {
  /** Objective on the x axis (default 0). */
  readonly x?: number;
  /** Objective on the y axis (default 1). */
  readonly y?: number;
  readonly maxPoints?: number;
}

export function paretoChart(snapshot: StudySnapshot, options: ParetoOptions = {}): ChartResult {
  const { objectives, name } = snapshot.study;
  const title = `Pareto front: ${name}`;
  if (objectives.length < 2)
    return emptyChart(title, 'The Pareto front needs a study with two or more objectives.');
  const ix = options.x ?? 0;
  const iy = options.y ?? 1;
  const ox = objectiveAt(objectives, ix);
  const oy = objectiveAt(objectives, iy);
  const done = snapshot.trials.filter(
    (t) => t.status === 'COMPLETED' && objectives.every((_, i) => valueOf(t, i) !== undefined),
  );
  if (done.length === 0) return emptyChart(title, 'No completed trials yet.');
  const front = paretoFront(done, objectives);
  const onFront = new Set(front);
  const others = sampleInOrder(
    done.filter((t) => !onFront.has(t)),
    options.maxPoints ?? 3000,
    4,
  );
  const point = (t: (typeof done)[number]): number[] => [
    valueOf(t, ix) as number,
    valueOf(t, iy) as number,
    t.number,
  ];
  const frontPoints = front.map(point).sort((a, b) => (a[0] as number) - (b[0] as number));
  return {
    option: {
      ...baseOption(title),
      legend: { top: 32, data: ['trials', 'Pareto front'] },
      grid: { left: 80, right: 40, top: 70, bottom: 55 },
      xAxis: {
        type: 'value',
        scale: true,
        name: objectiveLabel(ox),
        nameLocation: 'middle',
        nameGap: 30,
      },
      yAxis: {
        type: 'value',
        scale: true,
        name: objectiveLabel(oy),
        nameLocation: 'middle',
        nameGap: 55,
      },
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      series: [
        {
          name: 'trials',
          type: 'scatter',
          symbolSize: 6,
          data: others.map(point),
          itemStyle: { color: '#9aa5b1', opacity: 0.7 },
        },
        {
          name: 'Pareto front',
          type: 'scatter',
          symbolSize: 9,
          data: frontPoints,
          itemStyle: { color: '#e4572e' },
          z: 3,
        },
        {
          name: 'Pareto front line',
          type: 'line',
          data: objectives.length === 2 ? frontPoints : [],
          showSymbol: false,
          lineStyle: { color: '#e4572e', type: 'dashed', width: 1 },
          silent: true,
        },
      ],
    },
    height: 460,
    notes: [`${front.length} of ${done.length} completed trials are on the Pareto front.`],
  };
}
