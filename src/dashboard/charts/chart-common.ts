/**
 * Shared pieces of the chart options. Charts are ECharts options built here, on the server,
 * as plain JSON: the page only hands them to ECharts, and `hypertuner plot` renders the same
 * options to SVG, PNG or HTML. Tooltips use ECharts' rich-text mode (drawn on the canvas, not
 * HTML), so no string from a study is ever parsed as markup.
 */
import type { Parameter, ParamValue } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';
import type { Objective, Trial } from '../../trials/index.js';

/** An ECharts option object, JSON only (no functions). */
export type ChartOption = Record<string, unknown>;

export interface ChartResult {
  readonly option: ChartOption;
  /** Suggested height in pixels. */
  readonly height: number;
  /** Remarks to show with the chart (e.g. how a large study was downsampled). */
  readonly notes: readonly string[];
}

export const PALETTE = [
  '#3b6fd8',
  '#e4572e',
  '#29a36a',
  '#9b5de5',
  '#f3a712',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
];

export function objectiveLabel(objective: Objective): string {
  return `${objective.name} (${objective.direction === 'minimize' ? 'min' : 'max'})`;
}

/** The objective at `index`, or `CHART_INVALID_OBJECTIVE`. */
export function objectiveAt(objectives: readonly Objective[], index: number): Objective {
  const objective = objectives[index];
  if (objective === undefined || !Number.isInteger(index)) {
    throw new HypertunerError(
      'CHART_INVALID_OBJECTIVE',
      `objective must be an index from 0 to ${objectives.length - 1}; got ${index}.`,
      { field: 'objective' },
    );
  }
  return objective;
}

/** The trial's value of objective `index`, when finite. */
export function valueOf(trial: Trial, index: number): number | undefined {
  const v = trial.values?.[index];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** A number as the charts print it. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(3);
  return Number(value.toPrecision(5)).toString();
}

export function formatParamValue(value: ParamValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** Whether a parameter is shown on a category axis (choices, booleans, constants). */
export function isCategorical(parameter: Parameter): boolean {
  return parameter.kind === 'choice' || parameter.kind === 'boolean' || parameter.kind === 'fixed';
}

/** The categories of a categorical parameter, as strings. */
export function categoriesOf(parameter: Parameter): string[] {
  switch (parameter.kind) {
    case 'choice':
      return parameter.values.map((v) => String(v));
    case 'boolean':
      return ['false', 'true'];
    case 'fixed':
      return [String(parameter.value)];
    default:
      return [];
  }
}

/** Whether a parameter is shown on a log axis. */
export function isLogScale(parameter: Parameter): boolean {
  return (parameter.kind === 'int' || parameter.kind === 'float') && parameter.sampling === 'log';
}

/**
 * Labels of a numeric axis: short numbers (exponents for large or small magnitudes) and no two
 * overlapping. `numberLabels` is a mark that the page and `hypertuner plot` turn into the label
 * formatter (public/js/axis-labels.js), as JSON cannot hold one; `inactive` is the value of an
 * axis's slot for trials that did not use the parameter, labelled "(inactive)".
 */
export function numberLabels(inactive?: number): ChartOption {
  return {
    axisLabel: { hideOverlap: true },
    numberLabels: inactive === undefined ? {} : { inactive },
  };
}

/** The ECharts axis (type, and scale or categories) for a parameter. */
export function parameterAxis(parameter: Parameter): ChartOption {
  if (isCategorical(parameter)) return { type: 'category', data: categoriesOf(parameter) };
  if (isLogScale(parameter)) return { type: 'log', logBase: 10, ...numberLabels() };
  // an integer parameter gets no ticks between its values (num_layers 2, 3, 4; not 2.5)
  return {
    type: 'value',
    scale: true,
    ...(parameter.kind === 'int' ? { minInterval: 1 } : {}),
    ...numberLabels(),
  };
}

/** A parameter value as placed on its axis (category label or number). */
export function axisValue(parameter: Parameter, value: ParamValue): string | number {
  return isCategorical(parameter) ? String(value) : (value as number);
}

/** Options every chart shares. */
export function baseOption(title: string): ChartOption {
  return {
    animation: false,
    color: PALETTE,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    title: { text: title, left: 'center', top: 6, textStyle: { fontSize: 15, fontWeight: 600 } },
    tooltip: { renderMode: 'richText', confine: true },
  };
}

/** A chart with nothing to show yet. */
export function emptyChart(title: string, message: string): ChartResult {
  return {
    option: {
      ...baseOption(title),
      graphic: [
        {
          type: 'text',
          left: 'center',
          top: 'middle',
          style: { text: message, fontSize: 14, fill: '#666' },
        },
      ],
    },
    height: 240,
    notes: [],
  };
}
