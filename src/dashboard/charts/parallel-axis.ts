/**
 * A parameter's axis in parallel coordinates, with a slot for trials that did not use the
 * parameter (conditional parameters): the category "(inactive)" on a categorical axis, and on
 * a numeric one the highest tick below the lowest value, labelled "(inactive)", with no numeric
 * tick between it and the values (units 64-512: "(inactive)" where 0 would be, then 100). A
 * line must cross every axis, so this is where it crosses instead of at a made-up value.
 */
import type { Parameter, ParamValue } from '../../space/index.js';
import type { ChartOption } from './chart-common.js';
import {
  axisValue,
  categoriesOf,
  isCategorical,
  isLogScale,
  numberLabels,
  parameterAxis,
} from './chart-common.js';

export const INACTIVE = '(inactive)';

export interface ParallelParameterAxis {
  readonly axis: ChartOption;
  /** Where a trial's value (undefined: the parameter was inactive) sits on the axis. */
  place(value: ParamValue | undefined): string | number;
}

/** 1, 2 or 5 times a power of ten, at least `x`. */
function niceStep(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const step = [1, 2, 5, 10].find((m) => m * power >= x * (1 - 1e-9)) ?? 10;
  return step * power;
}

/** A numeric axis from `lo` to `hi` with its lowest tick the inactive slot, the next above `lo`. */
function numericWithSlot(parameter: Parameter, lo: number, hi: number): [ChartOption, number] {
  if (isLogScale(parameter) && lo > 0) {
    // the decade at or below lo; a decade lower when lo is one (a trial sits on that tick)
    const decade = Math.floor(Math.log10(lo));
    const slot = 10 ** (10 ** decade < lo ? decade : decade - 1);
    const max = 10 ** Math.ceil(Math.log10(hi));
    return [{ type: 'log', logBase: 10, min: slot, max, ...numberLabels(slot) }, slot];
  }
  const interval = niceStep((hi > lo ? hi - lo : Math.abs(lo) || 1) / 5);
  const first = Math.floor(lo / interval);
  // the tick at or below lo; a tick lower when lo is on it
  const below = lo - first * interval > interval * 1e-9 ? first : first - 1;
  const slot = Number((below * interval).toPrecision(12));
  const max = Number((Math.max(first + 1, Math.ceil(hi / interval)) * interval).toPrecision(12));
  return [{ type: 'value', min: slot, max, interval, ...numberLabels(slot) }, slot];
}

function declaredRange(parameter: Parameter): [number, number] {
  return parameter.kind === 'int' || parameter.kind === 'float'
    ? [parameter.min, parameter.max]
    : [0, 1];
}

/** The axis of `parameter` for trials with these parameter values. */
export function parallelParameterAxis(
  parameter: Parameter,
  values: readonly (ParamValue | undefined)[],
): ParallelParameterAxis {
  const anyInactive = values.some((v) => v === undefined);
  if (!anyInactive)
    return { axis: parameterAxis(parameter), place: (v) => axisValue(parameter, v as ParamValue) };
  if (isCategorical(parameter)) {
    return {
      axis: { type: 'category', data: [INACTIVE, ...categoriesOf(parameter)] },
      place: (v) => (v === undefined ? INACTIVE : axisValue(parameter, v)),
    };
  }
  const active = values.filter((v): v is number => typeof v === 'number');
  const [lo, hi] =
    active.length === 0 ? declaredRange(parameter) : [Math.min(...active), Math.max(...active)];
  const [axis, slot] = numericWithSlot(parameter, lo, hi);
  return { axis, place: (v) => (v === undefined ? slot : axisValue(parameter, v)) };
}
