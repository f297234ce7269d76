/**
 * Contour plot for a pair of parameters: the random forest's two-dimensional marginal (the
 * objective with all other parameters averaged out, as fANOVA defines it; for conditional
 * parameters, a forest of the trials that used both) as a filled map, with the trials on top.
 * Axes are in the parameters' own scales (log, grid or choice), as the oracles see them.
 */
import type { Parameter } from '../../space/index.js';
import { cardinality, decode, encode, isGridEncoded } from '../../space/index.js';
import type { Trial } from '../../trials/index.js';
import { sampleInOrder } from './downsample.js';
import { pairMarginal } from '../../analysis/fanova.js';
import type { ImportanceResult } from '../../analysis/importance.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import {
  baseOption,
  categoriesOf,
  emptyChart,
  formatParamValue,
  isCategorical,
  objectiveAt,
  objectiveLabel,
  valueOf,
} from './chart-common.js';
import { chooseContourPair } from './contour-pair.js';

export interface ContourOptions {
  readonly objectiveIndex?: number;
  /** Parameter on the x axis (default: see chooseContourPair). */
  readonly x?: string;
  /** Parameter on the y axis (default: see chooseContourPair). */
  readonly y?: string;
  /** Cells per side. Default 30. */
  readonly size?: number;
  readonly maxPoints?: number;
}

/** For a choice with one cell per value: whether any of the trials used each value. */
function usedCells(p: Parameter, cells: number, trials: readonly Trial[]): boolean[] | undefined {
  if (!isCategorical(p) || cells !== cardinality(p)) return undefined;
  const used = new Set(trials.map((t) => String(t.params[p.name])));
  return categoriesOf(p).map((c) => used.has(c));
}

export function contourChart(
  snapshot: StudySnapshot,
  importance: ImportanceResult,
  options: ContourOptions = {},
): ChartResult {
  const index = options.objectiveIndex ?? 0;
  const objective = objectiveAt(snapshot.study.objectives, index);
  const title = `Contour: ${snapshot.study.name}`;
  const fit = chooseContourPair(snapshot.study.space.parameters, snapshot.trials, importance, {
    objectiveIndex: index,
    ...(options.x === undefined ? {} : { x: options.x }),
    ...(options.y === undefined ? {} : { y: options.y }),
  });
  if ('reason' in fit) return emptyChart(title, fit.reason);
  const { x: px, y: py } = fit;
  // one cell per value for discrete parameters with few values, else `size` cells
  const size = options.size ?? 30;
  const cellsOf = (p: Parameter): number => {
    const discrete = p.kind === 'int' || p.kind === 'float' ? isGridEncoded(p) : true;
    const n = cardinality(p);
    return discrete && n <= size ? n : size;
  };
  const sizeX = cellsOf(px);
  const sizeY = cellsOf(py);
  const grid = pairMarginal(fit.forest, fit.dimX, fit.dimY, sizeX, sizeY);
  const showX = usedCells(px, sizeX, fit.trials);
  const showY = usedCells(py, sizeY, fit.trials);
  const cells: [number, number, number][] = [];
  let min = Infinity;
  let max = -Infinity;
  for (let row = 0; row < sizeY; row++) {
    for (let col = 0; col < sizeX; col++) {
      if (showX?.[col] === false || showY?.[row] === false) continue;
      const v = grid[row * sizeX + col] as number;
      min = Math.min(min, v);
      max = Math.max(max, v);
      cells.push([col, row, Number(v.toPrecision(6))]);
    }
  }
  const labels = (p: Parameter, n: number): string[] =>
    Array.from({ length: n }, (_, k) => formatParamValue(decode(p, (k + 0.5) / n)));
  const done = sampleInOrder(fit.trials, options.maxPoints ?? 2000, 3);
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
      fit.subset
        ? `Colour: the random forest's prediction of ${objective.name}, fitted on the ${fit.fittedOn} of ${fit.completed} completed trials that used both ${px.name} and ${py.name}; dots: ${points.length} completed trials.`
        : `Colour: the random forest's prediction of ${objective.name} with the other parameters averaged out; dots: ${points.length} completed trials.`,
      ...([showX, showY].some((used) => used?.includes(false))
        ? ['Blank: choices that no trial used with the other parameter.']
        : []),
    ],
  };
}
