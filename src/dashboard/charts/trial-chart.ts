/**
 * One trial's metrics by step (epoch): a line per metric.
 */
import type { Trial } from '../../trials/index.js';
import type { ChartResult } from './chart-common.js';
import { baseOption, emptyChart } from './chart-common.js';

export function trialMetricsChart(trial: Trial): ChartResult {
  const title = `Trial ${trial.number}: metrics by step`;
  if (trial.intermediate.length === 0)
    return emptyChart(title, 'This trial reported no intermediate values.');
  const steps = [...trial.intermediate].sort((a, b) => a.step - b.step);
  const names = [...new Set(steps.flatMap((s) => Object.keys(s.metrics)))];
  const series = names.map((name) => ({
    name,
    type: 'line',
    showSymbol: steps.length <= 50,
    data: steps
      .filter((s) => s.metrics[name] !== undefined)
      .map((s) => [s.step, s.metrics[name] as number]),
  }));
  return {
    option: {
      ...baseOption(title),
      legend: { top: 32, type: 'scroll' },
      grid: { left: 70, right: 30, top: 70, bottom: 50 },
      xAxis: {
        type: 'value',
        name: 'step',
        nameLocation: 'middle',
        nameGap: 28,
        minInterval: 1,
        scale: true,
      },
      yAxis: { type: 'value', scale: true },
      tooltip: { renderMode: 'richText', confine: true, trigger: 'axis' },
      series,
    },
    height: 360,
    notes: [],
  };
}
