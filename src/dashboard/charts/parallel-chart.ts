/**
 * Parallel coordinates: one axis per parameter and one for the objective, one line per
 * COMPLETED trial, coloured by the objective (darker is better).
 */
import { rankTrials } from '../../trials/index.js';
import { sampleInOrder } from './downsample.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import { baseOption, emptyChart, objectiveAt, objectiveLabel, valueOf } from './chart-common.js';
import { INACTIVE, parallelParameterAxis } from './parallel-axis.js';

export interface ParallelOptions {
  readonly objectiveIndex?: number;
  /** Lines drawn at most (a seeded sample, the best trials always in). Default 1000. */
  readonly maxLines?: number;
}

export function parallelChart(snapshot: StudySnapshot, options: ParallelOptions = {}): ChartResult {
  const index = options.objectiveIndex ?? 0;
  const objective = objectiveAt(snapshot.study.objectives, index);
  const title = `Parallel coordinates: ${snapshot.study.name}`;
  const parameters = snapshot.study.space.parameters.filter((p) => p.kind !== 'fixed');
  const done = snapshot.trials.filter(
    (t) => t.status === 'COMPLETED' && valueOf(t, index) !== undefined,
  );
  if (done.length === 0 || parameters.length === 0)
    return emptyChart(title, 'No completed trials yet.');
  const maxLines = options.maxLines ?? 1000;
  let shown = done;
  if (done.length > maxLines) {
    const best = new Set(rankTrials(done, [objective]).slice(0, 50));
    const rest = sampleInOrder(
      done.filter((t) => !best.has(t)),
      maxLines - best.size,
      1,
    );
    const keep = new Set([...best, ...rest]);
    shown = done.filter((t) => keep.has(t));
  }
  const values = done.map((t) => valueOf(t, index) as number);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const paramAxes = parameters.map((p) =>
    parallelParameterAxis(
      p,
      shown.map((t) => t.params[p.name]),
    ),
  );
  const axes = [
    ...parameters.map((p, dim) => ({ dim, name: p.name, ...paramAxes[dim]?.axis })),
    { dim: parameters.length, name: objectiveLabel(objective), type: 'value', scale: true },
  ];
  const data = shown.map((t) => [
    ...paramAxes.map((axis, dim) => axis.place(t.params[parameters[dim]?.name ?? ''])),
    valueOf(t, index) as number,
  ]);
  const conditional = parameters.some((p) => shown.some((t) => t.params[p.name] === undefined));
  return {
    option: {
      ...baseOption(title),
      parallel: {
        left: 60,
        right: 210,
        top: 70,
        bottom: 40,
        parallelAxisDefault: {
          nameLocation: 'end',
          nameGap: 14,
          nameTextStyle: { fontSize: 12 },
          nameTruncate: { maxWidth: 120 },
          // on a box of their own: the lines cross the axes right where the labels are
          axisLabel: {
            backgroundColor: 'rgba(255, 255, 255, 0.9)',
            padding: [1, 3],
            borderRadius: 2,
          },
        },
      },
      parallelAxis: axes,
      visualMap: {
        type: 'continuous',
        dimension: parameters.length,
        min,
        max: max > min ? max : min + 1,
        // enough decimals that the ends differ: 0.79 and 0.86, not 1 and 1
        precision: legendPrecision(min, max),
        inRange: {
          color:
            objective.direction === 'minimize'
              ? ['#08306b', '#4292c6', '#c6dbef']
              : ['#c6dbef', '#4292c6', '#08306b'],
        },
        right: 10,
        top: 'middle',
        text: [objectiveLabel(objective), ''],
        calculable: true,
      },
      series: [
        {
          type: 'parallel',
          lineStyle: { width: 1.2, opacity: shown.length > 300 ? 0.35 : 0.7 },
          data,
          progressive: 0,
        },
      ],
    },
    height: 460,
    notes: [
      ...(shown.length < done.length
        ? [`${shown.length} of ${done.length} trials drawn (the 50 best and a seeded sample).`]
        : []),
      ...(conditional
        ? [`A trial that did not use a parameter crosses its axis at "${INACTIVE}", at the bottom.`]
        : []),
    ],
  };
}

/** Decimals of the colour legend's end labels: about three significant digits of the range. */
export function legendPrecision(min: number, max: number): number {
  const range = Math.abs(max - min);
  if (!(range > 0) || !Number.isFinite(range)) return 2;
  return Math.min(10, Math.max(0, Math.ceil(-Math.log10(range)) + 2));
}
