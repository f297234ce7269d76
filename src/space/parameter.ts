/**
 * Parameter definitions: readonly tagged data, one kind per variant. Builders live in
 * `hyper-parameters.ts`; validation in `validate-parameter.ts`.
 */

/** A value a parameter can take. */
export type ParamValue = number | string | boolean;

/** The values of one trial: active parameters only. */
export type ParamValues = Readonly<Record<string, ParamValue>>;

/** How a numeric range is sampled and encoded. */
export const Sampling = { Linear: 'linear', Log: 'log', ReverseLog: 'reverse_log' } as const;
export type Sampling = (typeof Sampling)[keyof typeof Sampling];
export const SAMPLINGS: readonly Sampling[] = Object.values(Sampling);

/** The parameter is active only when the parent parameter's value is one of `values`. */
export interface Condition {
  readonly parentName: string;
  readonly values: readonly ParamValue[];
}

interface ParameterBase {
  readonly name: string;
  /** All must hold for the parameter to be active. */
  readonly conditions: readonly Condition[];
}

/** An integer in [min, max]; with `step`, on the grid min, min+step, ... (log: min, min*step, ...). */
export interface IntParameter extends ParameterBase {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly step: number | undefined;
  readonly sampling: Sampling;
  readonly default: number;
}

/** A real number in [min, max]; with `step`, on a grid as for `IntParameter`. */
export interface FloatParameter extends ParameterBase {
  readonly kind: 'float';
  readonly min: number;
  readonly max: number;
  readonly step: number | undefined;
  readonly sampling: Sampling;
  readonly default: number;
}

/** One of a list of values of one type; `ordered` says whether the order means anything. */
export interface ChoiceParameter extends ParameterBase {
  readonly kind: 'choice';
  readonly values: readonly ParamValue[];
  readonly ordered: boolean;
  readonly default: ParamValue;
}

/** true or false. */
export interface BooleanParameter extends ParameterBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/** A constant, recorded so that it shows in results. */
export interface FixedParameter extends ParameterBase {
  readonly kind: 'fixed';
  readonly value: ParamValue;
  readonly default: ParamValue;
}

export type Parameter =
  IntParameter | FloatParameter | ChoiceParameter | BooleanParameter | FixedParameter;

/** Whether every condition of `parameter` holds for `values`. */
export function isActive(parameter: Parameter, values: ParamValues): boolean {
  return parameter.conditions.every((condition) => {
    const parentValue = values[condition.parentName];
    return parentValue !== undefined && condition.values.includes(parentValue);
  });
}

/** The number of distinct values a parameter can take, or `Infinity` for a continuous one. */
export function cardinality(parameter: Parameter): number {
  switch (parameter.kind) {
    case 'int':
      return parameter.step === undefined && parameter.sampling !== 'linear'
        ? parameter.max - parameter.min + 1
        : gridSize(parameter);
    case 'float':
      return parameter.step === undefined ? Infinity : gridSize(parameter);
    case 'choice':
      return parameter.values.length;
    case 'boolean':
      return 2;
    case 'fixed':
      return 1;
  }
}

/** The number of raw grid points min, min+step, ... (log: min, min*step, ...) up to max. */
function rawGridSize(parameter: IntParameter | FloatParameter): number {
  const step = parameter.step ?? 1;
  if (parameter.sampling === 'linear') {
    return Math.floor((parameter.max - parameter.min) / step + 1e-9) + 1;
  }
  if (parameter.step === undefined) return parameter.max - parameter.min + 1;
  return Math.floor(Math.log(parameter.max / parameter.min) / Math.log(step) + 1e-9) + 1;
}

/** The k-th raw grid point, before rounding. */
function rawGridValue(parameter: IntParameter | FloatParameter, k: number): number {
  const step = parameter.step ?? 1;
  return parameter.sampling === 'linear' || parameter.step === undefined
    ? parameter.min + k * step
    : parameter.min * Math.pow(step, k);
}

const distinctIntGrids = new WeakMap<IntParameter, readonly number[]>();

/**
 * The grid of an Int with log sampling and a step: the raw points rounded to integers, each
 * once (a step such as 1.5 rounds 1.5 and 2.25 both to 2). Other grids have distinct values.
 */
function distinctIntGrid(parameter: IntParameter | FloatParameter): readonly number[] | undefined {
  if (parameter.kind !== 'int' || parameter.sampling !== 'log' || parameter.step === undefined) {
    return undefined;
  }
  let grid = distinctIntGrids.get(parameter);
  if (grid === undefined) {
    const values: number[] = [];
    const size = rawGridSize(parameter);
    for (let k = 0; k < size; k++) {
      const value = Math.min(parameter.max, Math.round(rawGridValue(parameter, k)));
      if (values[values.length - 1] !== value) values.push(value);
    }
    grid = values;
    distinctIntGrids.set(parameter, grid);
  }
  return grid;
}

/** Grid size of a stepped numeric parameter (int without step has step 1): distinct values. */
export function gridSize(parameter: IntParameter | FloatParameter): number {
  return distinctIntGrid(parameter)?.length ?? rawGridSize(parameter);
}

/** The k-th grid value of a stepped numeric parameter (floats rounded to 12 significant digits). */
export function gridValue(parameter: IntParameter | FloatParameter, k: number): number {
  const grid = distinctIntGrid(parameter);
  if (grid !== undefined) {
    return grid[Math.min(grid.length - 1, Math.max(0, k))] as number;
  }
  const raw = rawGridValue(parameter, k);
  // floats rounded to 12 digits, min included: the values stored studies hold (a grid value may
  // then lie a rounding error outside [min, max]; `isValidValue` allows for that)
  return parameter.kind === 'int' ? Math.round(raw) : roundToPrecision(raw);
}

/** How far a float may lie outside [min, max] by the 12-digit rounding of its grid values. */
export function roundingSlack(parameter: IntParameter | FloatParameter): number {
  return parameter.kind === 'int'
    ? 0
    : 1e-11 * Math.max(Math.abs(parameter.min), Math.abs(parameter.max));
}

/** Index of the grid value nearest to `value`. */
export function gridIndex(parameter: IntParameter | FloatParameter, value: number): number {
  const grid = distinctIntGrid(parameter);
  if (grid !== undefined) return nearestIndex(grid, value);
  const step = parameter.step ?? 1;
  const raw =
    parameter.sampling === 'linear' || parameter.step === undefined
      ? (value - parameter.min) / step
      : Math.log(value / parameter.min) / Math.log(step);
  return Math.min(gridSize(parameter) - 1, Math.max(0, Math.round(raw)));
}

/** Index of the value of the ascending `grid` nearest to `value` (the lower one on a tie). */
function nearestIndex(grid: readonly number[], value: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((grid[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && value - (grid[lo - 1] as number) <= (grid[lo] as number) - value) return lo - 1;
  return lo;
}

/**
 * Whether `value` is on the grid of a stepped numeric parameter. Ints must match exactly;
 * floats within rounding (a billionth of a step, or of the value on a log grid), so that
 * 2/3 is on the grid of step 1/3 whose value prints as 0.666666666667.
 */
export function isOnGrid(parameter: IntParameter | FloatParameter, value: number): boolean {
  const nearest = gridValue(parameter, gridIndex(parameter, value));
  if (parameter.kind === 'int' || nearest === value) return nearest === value;
  const tolerance =
    parameter.sampling === 'linear'
      ? Math.max(1e-9 * (parameter.step ?? 1), 1e-11 * Math.abs(value))
      : 1e-9 * Math.abs(nearest);
  return Math.abs(nearest - value) <= tolerance;
}

/** Removes binary noise such as 0.30000000000000004 so grid values print and compare cleanly. */
export function roundToPrecision(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}
