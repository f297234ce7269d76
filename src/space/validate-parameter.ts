/**
 * Checks a parameter definition and throws a `HypertunerError` whose code says what is wrong
 * and whose message names the parameter, the field and what is allowed.
 */
import { HypertunerError } from './errors.js';
import type { Parameter, ParamValue, IntParameter, FloatParameter } from './parameter.js';
import { SAMPLINGS, isActive, isOnGrid, roundingSlack } from './parameter.js';

/** Error codes of search-space definitions. */
export const SpaceErrorCode = {
  InvalidName: 'SPACE_INVALID_NAME',
  NotFinite: 'SPACE_NOT_FINITE',
  NotInteger: 'SPACE_NOT_INTEGER',
  MinGreaterThanMax: 'SPACE_MIN_GREATER_THAN_MAX',
  InvalidStep: 'SPACE_INVALID_STEP',
  InvalidSampling: 'SPACE_INVALID_SAMPLING',
  LogNeedsPositiveMin: 'SPACE_LOG_NEEDS_POSITIVE_MIN',
  EmptyChoices: 'SPACE_EMPTY_CHOICES',
  MixedChoiceTypes: 'SPACE_MIXED_CHOICE_TYPES',
  DuplicateChoice: 'SPACE_DUPLICATE_CHOICE',
  InvalidChoiceValue: 'SPACE_INVALID_CHOICE_VALUE',
  DefaultOutOfRange: 'SPACE_DEFAULT_OUT_OF_RANGE',
  Redeclared: 'SPACE_REDECLARED',
  UnknownParent: 'SPACE_UNKNOWN_PARENT',
  UnknownParameter: 'SPACE_UNKNOWN_PARAMETER',
  InvalidValue: 'SPACE_INVALID_VALUE',
  InvalidJson: 'SPACE_INVALID_JSON',
  InvalidKind: 'SPACE_INVALID_KIND',
} as const;
export type SpaceErrorCode = (typeof SpaceErrorCode)[keyof typeof SpaceErrorCode];

/** The kinds of parameter. */
const PARAMETER_KINDS: readonly Parameter['kind'][] = [
  'int',
  'float',
  'choice',
  'boolean',
  'fixed',
];

const builderName: Record<Parameter['kind'], string> = {
  int: 'hp.Int',
  float: 'hp.Float',
  choice: 'hp.Choice',
  boolean: 'hp.Boolean',
  fixed: 'hp.Fixed',
};

function fail(parameter: Parameter, code: SpaceErrorCode, detail: string): never {
  throw new HypertunerError(
    code,
    `${builderName[parameter.kind]}('${parameter.name}'): ${detail}`,
    {
      field: parameter.name,
    },
  );
}

function validateNumeric(parameter: IntParameter | FloatParameter): void {
  const { min, max, step, sampling } = parameter;
  for (const [field, value] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (!Number.isFinite(value)) {
      fail(parameter, SpaceErrorCode.NotFinite, `${field} must be a finite number, got ${value}.`);
    }
    if (parameter.kind === 'int' && !Number.isInteger(value)) {
      fail(parameter, SpaceErrorCode.NotInteger, `${field} must be an integer, got ${value}.`);
    }
  }
  if (min > max) {
    fail(
      parameter,
      SpaceErrorCode.MinGreaterThanMax,
      `min (${min}) is greater than max (${max}); min must be <= max.`,
    );
  }
  if (!SAMPLINGS.includes(sampling)) {
    fail(
      parameter,
      SpaceErrorCode.InvalidSampling,
      `sampling must be one of ${SAMPLINGS.join(', ')}, got '${String(sampling)}'.`,
    );
  }
  if (sampling !== 'linear' && min <= 0) {
    fail(
      parameter,
      SpaceErrorCode.LogNeedsPositiveMin,
      `sampling '${sampling}' needs min > 0, got min ${min}.`,
    );
  }
  if (step !== undefined) {
    if (!Number.isFinite(step) || step <= 0) {
      fail(parameter, SpaceErrorCode.InvalidStep, `step must be a number > 0, got ${step}.`);
    }
    if (parameter.kind === 'int' && sampling === 'linear' && !Number.isInteger(step)) {
      fail(parameter, SpaceErrorCode.NotInteger, `step must be an integer, got ${step}.`);
    }
    if (sampling === 'log' && step <= 1) {
      fail(
        parameter,
        SpaceErrorCode.InvalidStep,
        `with log sampling step is a multiplier and must be > 1, got ${step}.`,
      );
    }
    if (sampling === 'reverse_log') {
      fail(
        parameter,
        SpaceErrorCode.InvalidStep,
        `step is not allowed with reverse_log sampling; use linear or log sampling for a stepped range.`,
      );
    }
  }
  const value = parameter.default;
  if (!Number.isFinite(value) || value < min || value > max) {
    fail(
      parameter,
      SpaceErrorCode.DefaultOutOfRange,
      `default (${value}) must be within [${min}, ${max}].`,
    );
  }
  if (parameter.kind === 'int' && !Number.isInteger(value)) {
    fail(parameter, SpaceErrorCode.DefaultOutOfRange, `default must be an integer, got ${value}.`);
  }
  const onGrid = step !== undefined || (parameter.kind === 'int' && sampling === 'linear');
  if (onGrid && !isOnGrid(parameter, value)) {
    fail(
      parameter,
      SpaceErrorCode.DefaultOutOfRange,
      `default (${value}) is not on the grid of step ${step ?? 1} from ${min}.`,
    );
  }
}

function typeOfChoice(value: unknown): string {
  return typeof value;
}

/** Throws when `parameter` is not a valid definition. */
export function validateParameter(parameter: Parameter): void {
  if (typeof parameter.name !== 'string' || parameter.name.length === 0) {
    throw new HypertunerError(
      SpaceErrorCode.InvalidName,
      'A parameter name must be a non-empty string.',
      { field: 'name' },
    );
  }
  switch (parameter.kind) {
    case 'int':
    case 'float':
      validateNumeric(parameter);
      return;
    case 'choice': {
      const { values } = parameter;
      if (!Array.isArray(values) || values.length === 0) {
        fail(
          parameter,
          SpaceErrorCode.EmptyChoices,
          'values must be a non-empty list of numbers, strings or booleans.',
        );
      }
      const firstType = typeOfChoice(values[0]);
      for (const value of values) {
        const type = typeOfChoice(value);
        if (type !== 'number' && type !== 'string' && type !== 'boolean') {
          fail(
            parameter,
            SpaceErrorCode.InvalidChoiceValue,
            `values must be numbers, strings or booleans, got ${type}.`,
          );
        }
        if (type === 'number' && !Number.isFinite(value)) {
          fail(
            parameter,
            SpaceErrorCode.InvalidChoiceValue,
            `values must be finite numbers, got ${String(value)}.`,
          );
        }
        if (type !== firstType) {
          fail(
            parameter,
            SpaceErrorCode.MixedChoiceTypes,
            `values must all be of one type (number, string or boolean); got ${firstType} and ${type}.`,
          );
        }
      }
      if (new Set(values).size !== values.length) {
        fail(parameter, SpaceErrorCode.DuplicateChoice, 'values must be distinct.');
      }
      if (!values.includes(parameter.default)) {
        fail(
          parameter,
          SpaceErrorCode.DefaultOutOfRange,
          `default (${String(parameter.default)}) must be one of the values: ${values.map(String).join(', ')}.`,
        );
      }
      return;
    }
    case 'boolean':
      if (typeof (parameter.default as unknown) !== 'boolean') {
        fail(
          parameter,
          SpaceErrorCode.DefaultOutOfRange,
          `default must be true or false, got ${String(parameter.default)}.`,
        );
      }
      return;
    case 'fixed': {
      const type = typeof parameter.value;
      if (type !== 'number' && type !== 'string' && type !== 'boolean') {
        fail(
          parameter,
          SpaceErrorCode.InvalidChoiceValue,
          `value must be a number, string or boolean, got ${type}.`,
        );
      }
      if (type === 'number' && !Number.isFinite(parameter.value)) {
        // a trial's values are stored as JSON, which has no Infinity or NaN
        fail(
          parameter,
          SpaceErrorCode.InvalidChoiceValue,
          `value must be a finite number, a string or a boolean, got ${String(parameter.value)}.`,
        );
      }
      return;
    }
    default: {
      // reached by a definition read from JSON, never by the builders
      const unknownKind: never = parameter;
      const { kind, name } = unknownKind as { readonly kind: unknown; readonly name: string };
      throw new HypertunerError(
        SpaceErrorCode.InvalidKind,
        `Parameter '${name}': kind must be one of ${PARAMETER_KINDS.join(', ')}, got ${JSON.stringify(kind) ?? String(kind)}.`,
        { field: name },
      );
    }
  }
}

/** Whether `value` is a value `parameter` can take. */
export function isValidValue(parameter: Parameter, value: ParamValue): boolean {
  switch (parameter.kind) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      const slack = roundingSlack(parameter);
      if (value < parameter.min - slack || value > parameter.max + slack) return false;
      if (parameter.kind === 'int' && !Number.isInteger(value)) return false;
      const onGrid =
        parameter.step !== undefined ||
        (parameter.kind === 'int' && parameter.sampling === 'linear');
      return !onGrid || isOnGrid(parameter, value);
    }
    case 'choice':
      return parameter.values.includes(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'fixed':
      return value === parameter.value;
  }
}

/** Checks that a trial's values fit the parameters (unknown names and inactive ones included). */
export function validateValues(
  parameters: readonly Parameter[],
  values: Readonly<Record<string, ParamValue>>,
): void {
  const byName = new Map(parameters.map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(values)) {
    const parameter = byName.get(name);
    if (parameter === undefined) continue; // a parameter the space has not seen yet is allowed
    if (!isValidValue(parameter, value)) {
      throw new HypertunerError(
        SpaceErrorCode.InvalidValue,
        `Value ${JSON.stringify(value)} is not valid for parameter '${name}' (${describeRange(parameter)}).`,
        { field: name },
      );
    }
    if (!isActive(parameter, values)) {
      throw new HypertunerError(
        SpaceErrorCode.InvalidValue,
        `Parameter '${name}' has a value but its condition does not hold.`,
        { field: name },
      );
    }
  }
}

/** A short human description of the values a parameter allows. */
export function describeRange(parameter: Parameter): string {
  switch (parameter.kind) {
    case 'int':
    case 'float':
      return `${parameter.kind} in [${parameter.min}, ${parameter.max}]${parameter.step === undefined ? '' : ` step ${parameter.step}`}${parameter.sampling === 'linear' ? '' : `, ${parameter.sampling}`}`;
    case 'choice':
      return `one of ${parameter.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'fixed':
      return `fixed ${JSON.stringify(parameter.value)}`;
  }
}
