/**
 * Keras' `validationSplit`: the last fraction of the examples (before any shuffling) is held
 * out. Typed arrays are split into views; tensors are read once into typed arrays.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';
import type { TunerInput } from '../hyper-model.js';

/** Examples as a flat typed array. */
export type Flat = Exclude<TunerInput, Tensor>;

/** A typed array as it is, a tensor read once into one. */
export function flat(input: TunerInput): Flat {
  return ArrayBuffer.isView(input) ? input : (input.dataSync() as Float32Array | Int32Array);
}

/** The training part and the held-out part of `x`, `y`. */
export function splitValidation(
  model: LayersModel,
  x: TunerInput,
  y: TunerInput,
  fraction: number,
): { x: Flat; y: Flat; validationData: readonly [Flat, Flat] } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `validationSplit must be in (0, 1), got ${fraction}.`,
      { field: 'validationSplit' },
    );
  }
  const inputShape = model.inputs[0]?.shape.slice(1) ?? [];
  const size = inputShape.reduce<number>((a, b) => a * (b ?? NaN), 1);
  const xs = flat(x);
  const ys = flat(y);
  const count = ArrayBuffer.isView(x) ? xs.length / size : ((x as Tensor).shape[0] ?? NaN);
  const perLabel = ys.length / count;
  if (!Number.isInteger(count) || !Number.isInteger(perLabel) || count < 2) {
    throw new HypertunerError(
      'DATA_SHAPE_MISMATCH',
      `validationSplit: x has ${xs.length} values for the model's input [${inputShape.join(', ')}] and y has ${ys.length}; cannot tell the examples apart.`,
      { field: 'x' },
    );
  }
  const at = Math.floor(count * (1 - fraction));
  if (at < 1 || at >= count) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `validationSplit ${fraction} of ${count} examples leaves an empty part.`,
      { field: 'validationSplit' },
    );
  }
  const xSize = xs.length / count;
  return {
    x: xs.subarray(0, at * xSize),
    y: ys.subarray(0, at * perLabel),
    validationData: [xs.subarray(at * xSize), ys.subarray(at * perLabel)],
  };
}
