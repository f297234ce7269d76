/**
 * Encoding of parameter values to and from [0, 1]: log and reverse_log warping, step grids
 * (each grid value owns an equal slice of the interval) and choice indices.
 * `decode(p, encode(p, v)) === v` for every valid discrete value, and within rounding for
 * continuous floats.
 */
import type { Parameter, ParamValue, IntParameter, FloatParameter } from './parameter.js';
import { gridIndex, gridSize, gridValue } from './parameter.js';

/** Whether the parameter is encoded on a grid of equal slices (as opposed to a continuous warp). */
export function isGridEncoded(parameter: IntParameter | FloatParameter): boolean {
  if (parameter.kind === 'float') return parameter.step !== undefined;
  return parameter.sampling === 'linear' || parameter.step !== undefined;
}

function warp(parameter: IntParameter | FloatParameter, value: number): number {
  const { min, max } = parameter;
  if (max === min) return 0.5;
  switch (parameter.sampling) {
    case 'linear':
      return (value - min) / (max - min);
    case 'log':
      return Math.log(value / min) / Math.log(max / min);
    case 'reverse_log':
      return 1 - Math.log((max + min - value) / min) / Math.log(max / min);
  }
}

function unwarp(parameter: IntParameter | FloatParameter, u: number): number {
  const { min, max } = parameter;
  if (max === min) return min;
  switch (parameter.sampling) {
    case 'linear':
      return min + u * (max - min);
    case 'log':
      return min * Math.exp(u * Math.log(max / min));
    case 'reverse_log':
      return max + min - min * Math.exp((1 - u) * Math.log(max / min));
  }
}

const clampUnit = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

function sliceOf(index: number, count: number): number {
  return (index + 0.5) / count;
}

function indexOf(u: number, count: number): number {
  return Math.min(count - 1, Math.floor(clampUnit(u) * count));
}

/** Maps a value of `parameter` into [0, 1]. */
export function encode(parameter: Parameter, value: ParamValue): number {
  switch (parameter.kind) {
    case 'int':
    case 'float': {
      const numeric = value as number;
      if (isGridEncoded(parameter)) {
        return sliceOf(gridIndex(parameter, numeric), gridSize(parameter));
      }
      return clampUnit(warp(parameter, numeric));
    }
    case 'choice':
      return sliceOf(Math.max(0, parameter.values.indexOf(value)), parameter.values.length);
    case 'boolean':
      return value === true ? 0.75 : 0.25;
    case 'fixed':
      return 0.5;
  }
}

/** Maps `u` in [0, 1] to a valid value of `parameter` (values outside [0, 1] are clamped). */
export function decode(parameter: Parameter, u: number): ParamValue {
  switch (parameter.kind) {
    case 'int':
    case 'float': {
      if (isGridEncoded(parameter)) {
        return gridValue(parameter, indexOf(u, gridSize(parameter)));
      }
      const raw = Math.min(parameter.max, Math.max(parameter.min, unwarp(parameter, clampUnit(u))));
      return parameter.kind === 'int' ? Math.round(raw) : raw;
    }
    case 'choice':
      return parameter.values[indexOf(u, parameter.values.length)] as ParamValue;
    case 'boolean':
      return u >= 0.5;
    case 'fixed':
      return parameter.value;
  }
}
