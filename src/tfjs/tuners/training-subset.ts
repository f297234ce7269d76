/**
 * Hyperband over training-set size (`fidelity: 'samples'`): a trial whose round gives it the
 * resource `r` of `maxEpochs` R trains on `round(n·r/R)` of the `n` training examples. The
 * subsets are nested (a larger one holds every smaller one) and the same for every trial of the
 * search: the first examples of one permutation seeded by the tuner's seed, kept in their order.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';
import { Random, deriveSeed } from '../../math/random.js';
import type { TunerInput } from '../hyper-model.js';
import { flat } from './validation-split.js';
import type { Flat } from './validation-split.js';

/** What a trial over training-set size needs to know of the search. */
export interface SampleFidelity {
  /** Hyperband's largest resource (its `maxEpochs`): the whole training set. */
  readonly maxResource: number;
  /** Seed of the permutation the subsets are taken from (the tuner's seed). */
  readonly seed: number;
}

/** Keeps the subsets apart from the trials' other random streams. */
const SUBSET_STREAM = 7;

/** Examples a trial of resource `resource` (of `maxResource`) trains on, of `count`: at least 1. */
export function subsetSize(count: number, resource: number, maxResource: number): number {
  return Math.min(count, Math.max(1, Math.round((count * resource) / maxResource)));
}

/**
 * Indices (ascending) of `size` of `count` examples: the first `size` of a permutation seeded
 * by `seed`, so that for one seed a smaller subset is part of every larger one.
 */
export function nestedSubset(count: number, size: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const random = new Random(deriveSeed(seed, SUBSET_STREAM));
  // a partial Fisher-Yates shuffle: positions 0..size-1 are drawn, as in a full one
  for (let i = 0; i < size; i++) {
    const j = i + random.int(count - i);
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order.slice(0, size).sort();
}

function rows(values: Flat, width: number, indices: Int32Array): Flat {
  const out = new (values.constructor as new (n: number) => Flat)(indices.length * width);
  indices.forEach((row, i) => out.set(values.subarray(row * width, (row + 1) * width), i * width));
  return out;
}

/**
 * The training examples of a trial of resource `resource` over training-set size: `x`, `y`
 * (tensors are read once into typed arrays) cut to its nested subset.
 */
export function trainingSubset(
  model: LayersModel,
  x: TunerInput,
  y: TunerInput,
  resource: number,
  fidelity: SampleFidelity,
): { x: Flat; y: Flat; size: number } {
  const xs = flat(x);
  const ys = flat(y);
  const inputShape = model.inputs[0]?.shape.slice(1) ?? [];
  const inputSize = inputShape.reduce<number>((a, b) => a * (b ?? NaN), 1);
  const count = ArrayBuffer.isView(x) ? xs.length / inputSize : ((x as Tensor).shape[0] ?? NaN);
  const perLabel = ys.length / count;
  if (!Number.isInteger(count) || !Number.isInteger(perLabel) || count < 1) {
    throw new HypertunerError(
      'DATA_SHAPE_MISMATCH',
      `Hyperband over training-set size: x has ${xs.length} values for the model's input [${inputShape.join(', ')}] and y has ${ys.length}; cannot tell the examples apart.`,
      { field: 'x' },
    );
  }
  const size = subsetSize(count, resource, fidelity.maxResource);
  if (size === count) return { x: xs, y: ys, size };
  const indices = nestedSubset(count, size, fidelity.seed);
  return { x: rows(xs, xs.length / count, indices), y: rows(ys, perLabel, indices), size };
}
