/**
 * Intermediate values: a learning curve per trial (value by step). PRUNED trials are drawn
 * dashed in red with a cross where they stopped; RUNNING ones in a lighter style.
 */
import { strideSample } from './downsample.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import { PALETTE, baseOption, emptyChart, objectiveLabel } from './chart-common.js';

export interface IntermediateOptions {
  /** Curves drawn at most (the latest trials). Default 100. */
  readonly maxTrials?: number;
  /** Points per curve at most. Default 200. */
  readonly maxSteps?: number;
}

export function intermediateChart(
  snapshot: StudySnapshot,
  options: IntermediateOptions = {},
): ChartResult {
  const title = `Intermediate values: ${snapshot.study.name}`;
  const withCurves = snapshot.trials.filter((t) => t.intermediate.length > 0);
  if (withCurves.length === 0)
    return emptyChart(title, 'No trial has reported intermediate values.');
  const maxTrials = options.maxTrials ?? 100;
  const shown = withCurves.slice(-maxTrials);
  const objective = snapshot.study.objectives[0];
  const series = shown.map((t, k) => {
    const pruned = t.status === 'PRUNED';
    const running = t.status === 'RUNNING';
    const points = strideSample(
      [...t.intermediate].sort((a, b) => a.step - b.step),
      options.maxSteps ?? 200,
    ).map((p) => [p.step, p.value]);
    const lastPoint = points[points.length - 1];
    return {
      name: `trial ${t.number}${pruned ? ' (pruned)' : running ? ' (running)' : ''}`,
      type: 'line',
      showSymbol: points.length <= 30,
      symbolSize: 4,
      data: points,
      color: pruned ? '#d62728' : PALETTE[k % PALETTE.length],
      lineStyle: {
        width: pruned ? 1.2 : 1.6,
        type: pruned ? 'dashed' : 'solid',
        opacity: running ? 0.55 : 0.9,
      },
      ...(pruned && lastPoint !== undefined
        ? {
            markPoint: {
              symbol: 'pin',
              symbolSize: 26,
              itemStyle: { color: '#d62728' },
              label: { show: true, formatter: '✕', fontSize: 10 },
              data: [{ name: 'pruned', coord: lastPoint }],
            },
          }
        : {}),
    };
  });
  const notes =
    withCurves.length > shown.length
      ? [`The latest ${shown.length} of ${withCurves.length} curves are drawn.`]
      : [];
  const pruned = shown.filter((t) => t.status === 'PRUNED').length;
  return {
    option: {
      ...baseOption(title),
      legend: shown.length <= 12 ? { top: 32, type: 'scroll' } : { show: false },
      grid: { left: 70, right: 30, top: shown.length <= 12 ? 70 : 50, bottom: 50 },
      xAxis: {
        type: 'value',
        name: 'step',
        nameLocation: 'middle',
        nameGap: 28,
        minInterval: 1,
        scale: true,
      },
      yAxis: {
        type: 'value',
        name: objective === undefined ? 'value' : objectiveLabel(objective),
        scale: true,
      },
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      series,
    },
    height: 420,
    notes: [...notes, `${shown.length} curves, ${pruned} pruned (dashed red).`],
  };
}
