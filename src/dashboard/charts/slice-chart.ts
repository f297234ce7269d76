/**
 * Slice plots: the objective against each parameter, one small plot per parameter, points
 * coloured by trial number (later trials darker).
 */
import { sampleInOrder } from './downsample.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartOption, ChartResult } from './chart-common.js';
import {
  axisValue,
  baseOption,
  emptyChart,
  objectiveAt,
  objectiveLabel,
  parameterAxis,
  valueOf,
} from './chart-common.js';

export interface SliceOptions {
  readonly objectiveIndex?: number;
  /** Only these parameters (default: all but constants). */
  readonly parameters?: readonly string[];
  /** Points per plot at most (a seeded sample). Default 2000. */
  readonly maxPoints?: number;
}

export function sliceChart(snapshot: StudySnapshot, options: SliceOptions = {}): ChartResult {
  const index = options.objectiveIndex ?? 0;
  const objective = objectiveAt(snapshot.study.objectives, index);
  const title = `Slice plot: ${snapshot.study.name}`;
  const wanted = options.parameters;
  const parameters = snapshot.study.space.parameters.filter(
    (p) => p.kind !== 'fixed' && (wanted === undefined || wanted.includes(p.name)),
  );
  const done = sampleInOrder(
    snapshot.trials.filter((t) => t.status === 'COMPLETED' && valueOf(t, index) !== undefined),
    options.maxPoints ?? 2000,
    2,
  );
  if (done.length === 0 || parameters.length === 0)
    return emptyChart(title, 'No completed trials yet.');
  const columns = Math.min(3, parameters.length);
  const rows = Math.ceil(parameters.length / columns);
  const rowHeight = 250;
  const top = 50;
  const grids: ChartOption[] = [];
  const xAxes: ChartOption[] = [];
  const yAxes: ChartOption[] = [];
  const series: ChartOption[] = [];
  parameters.forEach((p, k) => {
    const row = Math.floor(k / columns);
    const col = k % columns;
    const width = 100 / columns;
    grids.push({
      left: `${col * width + 6}%`,
      width: `${width - 9}%`,
      top: top + row * rowHeight + 10,
      height: rowHeight - 80,
    });
    xAxes.push({
      gridIndex: k,
      name: p.name,
      nameLocation: 'middle',
      nameGap: 26,
      nameTruncate: { maxWidth: 200 },
      ...parameterAxis(p),
    });
    yAxes.push({
      gridIndex: k,
      type: 'value',
      scale: true,
      name: col === 0 ? objectiveLabel(objective) : '',
      nameTextStyle: { align: 'left' },
    });
    const points = done
      .filter((t) => t.params[p.name] !== undefined)
      .map((t) => [axisValue(p, t.params[p.name] as never), valueOf(t, index) as number, t.number]);
    series.push({
      name: p.name,
      type: 'scatter',
      xAxisIndex: k,
      yAxisIndex: k,
      symbolSize: 6,
      data: points,
    });
  });
  const last = done[done.length - 1]?.number ?? 1;
  return {
    option: {
      ...baseOption(title),
      grid: grids,
      xAxis: xAxes,
      yAxis: yAxes,
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      visualMap: {
        type: 'continuous',
        dimension: 2,
        min: 0,
        max: Math.max(1, last),
        seriesIndex: series.map((_, i) => i),
        inRange: { color: ['#c6dbef', '#2171b5', '#08306b'] },
        orient: 'horizontal',
        right: 10,
        top: 8,
        itemHeight: 80,
        text: ['trial', ''],
        calculable: false,
      },
      series,
    },
    height: top + rows * rowHeight + 10,
    notes: [],
  };
}
