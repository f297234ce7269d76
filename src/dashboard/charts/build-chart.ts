/**
 * The charts by name: what the page's `/api/chart` and `hypertuner plot --kind` ask for.
 */
import { HypertunerError } from '../../space/index.js';
import type { StudyData, StudySnapshot } from '../study-data.js';
import type { ChartResult } from './chart-common.js';
import { contourChart } from './contour-chart.js';
import { historyChart } from './history-chart.js';
import { importanceChart } from './importance-chart.js';
import { intermediateChart } from './intermediate-chart.js';
import { parallelChart } from './parallel-chart.js';
import { paretoChart } from './pareto-chart.js';
import { sliceChart } from './slice-chart.js';

export const CHART_KINDS = [
  'history',
  'intermediate',
  'parallel',
  'slice',
  'contour',
  'importance',
  'pareto',
] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface ChartRequest {
  readonly kind: ChartKind;
  /** Index of the objective to plot. Default 0. */
  readonly objective?: number;
  /** contour: parameter on x; pareto: objective index on x. */
  readonly x?: string;
  /** contour: parameter on y; pareto: objective index on y. */
  readonly y?: string;
}

export function parseChartKind(kind: string, field = 'kind'): ChartKind {
  const found = CHART_KINDS.find((k) => k === kind);
  if (found === undefined)
    throw new HypertunerError(
      'CHART_INVALID_KIND',
      `${field} must be one of ${CHART_KINDS.join(', ')}; got '${kind}'.`,
      { field },
    );
  return found;
}

function objectiveIndex(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new HypertunerError(
      'CHART_INVALID_OBJECTIVE',
      `${field} must be an objective index (0, 1, ...); got '${text}'.`,
      { field },
    );
  return n;
}

export function buildChart(
  data: StudyData,
  snapshot: StudySnapshot,
  request: ChartRequest,
): ChartResult {
  const objective = request.objective ?? 0;
  const withObjective = { objectiveIndex: objective };
  switch (request.kind) {
    case 'history':
      return historyChart(snapshot, withObjective);
    case 'intermediate':
      return intermediateChart(snapshot);
    case 'parallel':
      return parallelChart(snapshot, withObjective);
    case 'slice':
      return sliceChart(snapshot, withObjective);
    case 'contour':
      return contourChart(snapshot, data.importances(snapshot, objective), {
        ...withObjective,
        ...(request.x === undefined || request.x === '' ? {} : { x: request.x }),
        ...(request.y === undefined || request.y === '' ? {} : { y: request.y }),
      });
    case 'importance':
      return importanceChart(snapshot, data.importances(snapshot, objective), objective);
    case 'pareto': {
      const x = objectiveIndex(request.x, 'x');
      const y = objectiveIndex(request.y, 'y');
      return paretoChart(snapshot, {
        ...(x === undefined ? {} : { x }),
        ...(y === undefined ? {} : { y }),
      });
    }
  }
}
