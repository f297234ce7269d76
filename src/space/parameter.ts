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

/** Grid size of a stepped numeric parameter (int without step has step 1). */
export function gridSize(parameter: IntParameter | FloatParameter): number {
  const step = parameter.step ?? 1;
  if (parameter.sampling === 'linear') {
    return Math.floor((parameter.max - parameter.min) / step + 1e-9) + 1;
  }
  if (parameter.step === undefined) return parameter.max - parameter.min + 1;
  return Math.floor(Math.log(parameter.max / parameter.min) / Math.log(step) + 1e-9) + 1;
}

/** The k-th grid value of a stepped numeric parameter. */
export function gridValue(parameter: IntParameter | FloatParameter, k: number): number {
  const step = parameter.step ?? 1;
  const raw =
    parameter.sampling === 'linear' || parameter.step === undefined
      ? parameter.min + k * step
      : parameter.min * Math.pow(step, k);
  return parameter.kind === 'int' ? Math.round(raw) : roundToPrecision(raw);
}

/** Index of the grid value nearest to `value`. */
export function gridIndex(parameter: IntParameter | FloatParameter, value: number): number {
  const step = parameter.step ?? 1;
  const raw =
    parameter.sampling === 'linear' || parameter.step === undefined
      ? (value - parameter.min) / step
      : Math.log(value / parameter.min) / Math.log(step);
  return Math.min(gridSize(parameter) - 1, Math.max(0, Math.round(raw)));
}

/** Removes binary noise such as 0.30000000000000004 so grid values print and compare cleanly. */
export function roundToPrecision(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}
