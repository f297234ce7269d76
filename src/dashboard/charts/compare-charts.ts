/**
 * Charts that compare studies: their optimization histories overlaid (one colour per study:
 * each completed trial's value as a faint dot, the best value so far as a line), and their
 * parameter importances side by side (one bar per study for each parameter).
 */
import type { ImportanceResult } from '../../analysis/importance.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import { PALETTE, baseOption, emptyChart, objectiveAt, objectiveLabel } from './chart-common.js';
import { historyData } from './history-chart.js';

/** The same objective name and direction in every study, or a note saying they differ. */
function objectivesNote(snapshots: readonly StudySnapshot[], index: number): string[] {
  const labels = new Set(
    snapshots.map((s) => objectiveLabel(objectiveAt(s.study.objectives, index))),
  );
  return labels.size > 1
    ? [`The studies optimise different objectives (${[...labels].join(', ')}): compare with care.`]
    : [];
}

export function compareHistoryChart(
  snapshots: readonly StudySnapshot[],
  objectiveIndex = 0,
): ChartResult {
  const title = `Optimization histories: ${snapshots.length} studies`;
  const histories = snapshots.map((s) => historyData(s, { objectiveIndex, maxPoints: 1000 }));
  if (histories.every((h) => h.completed === 0))
    return emptyChart(title, 'No completed trials yet in these studies.');
  const first = snapshots[0] as StudySnapshot;
  const objective = objectiveAt(first.study.objectives, objectiveIndex);
  const series = snapshots.flatMap((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const h = histories[i];
    if (h === undefined || h.completed === 0) return [];
    return [
      {
        name: s.study.name,
        type: 'line',
        step: 'end',
        showSymbol: false,
        data: h.best,
        lineStyle: { width: 2.5, color },
        itemStyle: { color },
      },
      {
        name: s.study.name,
        type: 'scatter',
        symbolSize: 5,
        data: h.points,
        itemStyle: { color, opacity: 0.35 },
        silent: true,
      },
    ];
  });
  return {
    option: {
      ...baseOption(title),
      legend: { top: 32, type: 'scroll', data: snapshots.map((s) => s.study.name) },
      grid: { left: 70, right: 30, top: 80, bottom: 50 },
      xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, minInterval: 1 },
      yAxis: { type: 'value', name: objectiveLabel(objective), scale: true },
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      series,
    },
    height: 440,
    notes: [
      'Lines: the best value so far of each study; dots: each completed trial.',
      ...objectivesNote(snapshots, objectiveIndex),
    ],
  };
}

export function compareImportanceChart(
  snapshots: readonly StudySnapshot[],
  importances: readonly ImportanceResult[],
): ChartResult {
  const title = 'Hyperparameter importance (fANOVA), side by side';
  const usable = importances.map((r) => r.trialsUsed >= 2 && r.importances.length > 0);
  if (!usable.some(Boolean))
    return emptyChart(title, 'Importances need at least two completed trials in a study.');
  // parameters by their largest importance in any study, most important on top
  const top = new Map<string, number>();
  importances.forEach((r, i) => {
    if (usable[i] === true)
      for (const p of r.importances) top.set(p.name, Math.max(top.get(p.name) ?? 0, p.importance));
  });
  const names = [...top.entries()].sort((a, b) => a[1] - b[1] || b[0].localeCompare(a[0]));
  const categories = names.map(([name]) => name);
  const series = snapshots.flatMap((s, i) => {
    const result = importances[i];
    if (result === undefined || usable[i] !== true) return [];
    const by = new Map(result.importances.map((p) => [p.name, p.importance]));
    return [
      {
        name: s.study.name,
        type: 'bar',
        data: categories.map((c) => (by.has(c) ? Number((by.get(c) as number).toFixed(4)) : null)),
        itemStyle: { color: PALETTE[i % PALETTE.length] },
        barMaxWidth: 16,
      },
    ];
  });
  const skipped = snapshots.filter((_, i) => usable[i] !== true).map((s) => s.study.name);
  return {
    option: {
      ...baseOption(title),
      legend: { top: 32, type: 'scroll', data: series.map((s) => s.name) },
      grid: { left: 40, right: 40, top: 70, bottom: 40, containLabel: true },
      xAxis: {
        type: 'value',
        min: 0,
        max: 1,
        name: 'share of the variance',
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: {
        type: 'category',
        data: categories,
        axisLabel: { width: 200, overflow: 'truncate' },
      },
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      series,
    },
    height: Math.max(280, 110 + categories.length * (14 * series.length + 14)),
    notes: [
      'fANOVA first-order variance shares of each study (its own random forest, as on its Importance tab); a missing bar: the study has no such parameter.',
      ...(skipped.length > 0
        ? [`Not enough completed trials for importances: ${skipped.join(', ')}.`]
        : []),
    ],
  };
}
