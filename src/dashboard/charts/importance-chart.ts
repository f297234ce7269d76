/**
 * Hyperparameter importances as horizontal bars, most important on top.
 */
import type { ImportanceResult } from '../../analysis/importance.js';
import type { StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import { baseOption, emptyChart, objectiveAt } from './chart-common.js';

export function importanceChart(
  snapshot: StudySnapshot,
  importance: ImportanceResult,
  objectiveIndex = 0,
): ChartResult {
  const objective = objectiveAt(snapshot.study.objectives, objectiveIndex);
  const title = `Hyperparameter importance (fANOVA): ${snapshot.study.name}`;
  if (importance.importances.length === 0 || importance.trialsUsed < 2)
    return emptyChart(title, 'Importances need at least two completed trials.');
  const rows = [...importance.importances].reverse();
  return {
    option: {
      ...baseOption(title),
      grid: { left: 40, right: 70, top: 50, bottom: 40, containLabel: true },
      xAxis: {
        type: 'value',
        min: 0,
        max: 1,
        name: `share of ${objective.name}'s variance`,
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { width: 220, overflow: 'truncate' },
      },
      tooltip: { renderMode: 'richText', confine: true, trigger: 'item' },
      series: [
        {
          type: 'bar',
          name: 'importance',
          data: rows.map((r) => Number(r.importance.toFixed(4))),
          barMaxWidth: 28,
          itemStyle: { color: '#3b6fd8' },
          label: { show: true, position: 'right', formatter: '{c}' },
        },
      ],
    },
    height: Math.max(260, 90 + rows.length * 36),
    notes: [
      `fANOVA first-order variance shares of a ${importance.forest.trees.length}-tree random forest fitted to ${importance.trialsUsed} completed trials (seeded), scaled to sum to 1.`,
      ...conditionalNote(importance),
    ],
  };
}

/** Which parameters only some trials used, and how the importances treat them. */
export function conditionalNote(importance: ImportanceResult): string[] {
  const { parameters, inactiveShare } = importance.matrix;
  const used = parameters.flatMap((p, j) => {
    const share = inactiveShare[j] as number;
    return share > 0 ? [`${p.name} (${Math.round(100 * (1 - share))}%)`] : [];
  });
  if (used.length === 0) return [];
  return [
    `Conditional parameters, with the share of trials that used them: ${used.join(', ')}. A trial that did not use one counts as its own value of it, so its importance includes whether it was used at all.`,
  ];
}
