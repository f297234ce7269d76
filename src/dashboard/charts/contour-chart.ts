/**
 * Contour plot for a pair of parameters: the random forest's two-dimensional marginal (the
 * objective with all other parameters averaged out, as fANOVA defines it) as a filled map,
 * with the trials on top. Axes are in the parameters' own scales (log, grid or choice), as the
 * oracles see them.
 */
import type { Parameter } from '../../space/index.js';
import { HypertunerError, cardinality, decode, encode, isGridEncoded } from '../../space/index.js';
import { sampleInOrder } from '../analysis/downsample.js';
import { pairMarginal } from '../analysis/fanova.js';
import type { ImportanceResult } from '../analysis/importance.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import {
  baseOption,
  emptyChart,
  formatParamValue,
  objectiveAt,
  objectiveLabel,
  valueOf,
} from './chart-common.js';

export interface ContourOptions {
  readonly objectiveIndex?: number;
  /** Parameter on the x axis (default: the most important one). */
  readonly x?: string;
  /** Parameter on the y axis (default: the second most important one). */
  readonly y?: string;
  /** Cells per side. Default 30. */
  readonly size?: number;
  readonly maxPoints?: number;
}

/** The pair a contour plot shows by default: the two most important parameters. */
export function defaultContourPair(
  importance: ImportanceResult,
): readonly [string, string] | undefined {
  const [a, b] = importance.importances;
  return a === undefined || b === undefined ? undefined : [a.name, b.name];
}

function pick(parameters: readonly Parameter[], name: string, field: string): number {
  const index = parameters.findIndex((p) => p.name === name);
  if (index < 0) {
    throw new HypertunerError(
      'CHART_INVALID_PARAMETER',
      `${field} must name a parameter that every completed trial has (${parameters.map((p) => p.name).join(', ')}); got '${name}'.`,
      { field },
    );
  }
  return index;
}

export function contourChart(
  snapshot: StudySnapshot,
  importance: ImportanceResult,
  options: ContourOptions = {},
): ChartResult {
  const index = options.objectiveIndex ?? 0;
  const objective = objectiveAt(snapshot.study.objectives, index);
  const title = `Contour: ${snapshot.study.name}`;
  const parameters = importance.matrix.parameters;
  const pair = defaultContourPair(importance);
  if (pair === undefined || importance.trialsUsed < 2)
    return emptyChart(title, 'A contour plot needs two parameters and two completed trials.');
  const a = pick(parameters, options.x ?? pair[0], 'x');
  const b = pick(
    parameters,
    options.y ?? (options.x === pair[0] || options.x === undefined ? pair[1] : pair[0]),
    'y',
  );
  if (a === b)
    throw new HypertunerError(
      'CHART_INVALID_PARAMETER',
      'x and y must be two different parameters.',
      { field: 'y' },
    );
  const px = parameters[a] as Parameter;
  const py = parameters[b] as Parameter;
  // one cell per value for discrete parameters with few values, else `size` cells
  const size = options.size ?? 30;
  const cellsOf = (p: Parameter): number => {
    const discrete = p.kind === 'int' || p.kind === 'float' ? isGridEncoded(p) : true;
    const n = cardinality(p);
    return discrete && n <= size ? n : size;
  };
  const sizeX = cellsOf(px);
  const sizeY = cellsOf(py);
  const grid = pairMarginal(importance.forest, a, b, sizeX, sizeY);
  const cells: [number, number, number][] = [];
  let min = Infinity;
  let max = -Infinity;
  for (let row = 0; row < sizeY; row++) {
    for (let col = 0; col < sizeX; col++) {
      const v = grid[row * sizeX + col] as number;
      min = Math.min(min, v);
      max = Math.max(max, v);
      cells.push([col, row, Number(v.toPrecision(6))]);
    }
  }
  const labels = (p: Parameter, n: number): string[] =>
    Array.from({ length: n }, (_, k) => formatParamValue(decode(p, (k + 0.5) / n)));
  const done = sampleInOrder(
    snapshot.trials.filter(
      (t) =>
        t.status === 'COMPLETED' &&
        valueOf(t, index) !== undefined &&
        t.params[px.name] !== undefined &&
        t.params[py.name] !== undefined,
    ),
    options.maxPoints ?? 2000,
    3,
  );
  const points = done.map((t) => [
    encode(px, t.params[px.name] as never),
    encode(py, t.params[py.name] as never),
    valueOf(t, index) as number,
    t.number,
  ]);
  const layout = { left: 90, right: 120, top: 50, bottom: 60 };
  const better =
    objective.direction === 'minimize'
      ? ['#08306b', '#2171b5', '#6baed6', '#c6dbef', '#f7fbff']
      : ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
  return {
    option: {
      ...baseOption(title),
      grid: [layout, layout],
      xAxis: [
        {
          type: 'category',
          gridIndex: 0,
          data: labels(px, sizeX),
          name: px.name,
          nameLocation: 'middle',
          nameGap: 34,
          axisLabel: { hideOverlap: true },
          splitArea: { show: false },
        },
        { type: 'value', gridIndex: 1, min: 0, max: 1, show: false },
      ],
      yAxis: [
        {
          type: 'category',
          gridIndex: 0,
          data: labels(py, sizeY),
          name: py.name,
          nameLocation: 'middle',
          nameGap: 64,
          axisLabel: { hideOverlap: true },
        },
        { type: 'value', gridIndex: 1, min: 0, max: 1, show: false },
      ],
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      visualMap: {
        type: 'continuous',
        seriesIndex: 0,
        dimension: 2,
        min,
        max: max > min ? max : min + 1e-9,
        inRange: { color: better },
        right: 10,
        top: 'middle',
        text: [objectiveLabel(objective), ''],
        calculable: true,
        precision: 4,
      },
      series: [
        {
          name: `${objective.name} (forest marginal)`,
          type: 'heatmap',
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: cells,
          progressive: 0,
        },
        {
          name: 'trials',
          type: 'scatter',
          xAxisIndex: 1,
          yAxisIndex: 1,
          symbolSize: 6,
          itemStyle: { color: '#ffffff', borderColor: '#222222', borderWidth: 1, opacity: 0.9 },
          data: points,
        },
      ],
    },
    height: 520,
    notes: [
      `Colour: the random forest's prediction of ${objective.name} with the other parameters averaged out; dots: ${points.length} completed trials.`,
    ],
  };
}
