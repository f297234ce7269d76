/**
 * How a parameter is seen by the Parzen estimators: numeric (a position in [0, 1] given by
 * `encode`, possibly on a grid of equal cells) or categorical (a value index). Parameters
 * with a single possible value have no dimension.
 */
import type { Parameter, ParamValue } from '../../space/index.js';
import { cardinality, decode, encode, isGridEncoded } from '../../space/index.js';

export type Dimension =
  | { readonly kind: 'numeric'; readonly parameter: Parameter; readonly cells: number }
  | {
      readonly kind: 'categorical';
      readonly parameter: Parameter;
      readonly values: readonly ParamValue[];
    };

/** The dimension of `parameter`, or undefined when it can take one value only. */
export function dimensionOf(parameter: Parameter): Dimension | undefined {
  if (cardinality(parameter) <= 1) return undefined;
  switch (parameter.kind) {
    case 'int':
    case 'float':
      return {
        kind: 'numeric',
        parameter,
        cells: isGridEncoded(parameter) ? cardinality(parameter) : 0,
      };
    case 'choice':
      // Ordered choices are ordinal: a grid of one cell per value, as `encode` lays them out.
      return parameter.ordered
        ? { kind: 'numeric', parameter, cells: parameter.values.length }
        : { kind: 'categorical', parameter, values: parameter.values };
    case 'boolean':
      return { kind: 'categorical', parameter, values: [false, true] };
    case 'fixed':
      return undefined;
  }
}

/** The internal representation of `value`, or undefined when it is not a value of the dimension. */
export function toInternal(dimension: Dimension, value: ParamValue): number | undefined {
  if (dimension.kind === 'numeric') {
    if (dimension.parameter.kind === 'choice' && !dimension.parameter.values.includes(value))
      return undefined;
    if (dimension.parameter.kind !== 'choice' && typeof value !== 'number') return undefined;
    return encode(dimension.parameter, value);
  }
  const index = dimension.values.indexOf(value);
  return index < 0 ? undefined : index;
}

/** The parameter value of an internal representation. */
export function fromInternal(dimension: Dimension, x: number): ParamValue {
  if (dimension.kind === 'numeric') return decode(dimension.parameter, x);
  return dimension.values[x] as ParamValue;
}

/** The value of a parameter without a dimension. */
export function onlyValue(parameter: Parameter): ParamValue {
  return decode(parameter, 0.5);
}
