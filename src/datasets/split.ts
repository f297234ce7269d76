import { ensureOption } from './errors.js';
import { seededUniform, shuffleInPlace } from './prng.js';
import type { ImageSplit } from './types.js';

/** The examples of `split` at `indices`, in that order, as a new split. */
export function selectExamples(split: ImageSplit, indices: ArrayLike<number>): ImageSplit {
  const [h, w, c] = split.shape;
  const size = h * w * c;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] ?? 0;
    ensureOption(
      Number.isInteger(i) && i >= 0 && i < split.count,
      'indices',
      `in 0..${split.count - 1}, got ${i}`,
    );
    images.set(split.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = split.labels[i] ?? 0;
  }
  return { images, labels, count: indices.length, shape: split.shape };
}

/** Options of {@link splitTrainValidation}: give exactly one of the fraction or the count. */
export interface ValidationSplitOptions {
  /** Share of examples held out, in (0, 1). */
  readonly validationFraction?: number;
  /** Number of examples held out, in 1..count-1. */
  readonly validationCount?: number;
  /** Seed of the shuffle; the same seed gives the same split. */
  readonly seed: number;
}

/**
 * Splits `split` at random (seeded) into train and validation parts. Each part keeps the
 * examples' original relative order.
 */
export function splitTrainValidation(
  split: ImageSplit,
  options: ValidationSplitOptions,
): { train: ImageSplit; validation: ImageSplit } {
  const { validationFraction, validationCount, seed } = options;
  ensureOption(
    (validationFraction === undefined) !== (validationCount === undefined),
    'validationFraction',
    'given, or validationCount given, but not both',
  );
  ensureOption(Number.isFinite(seed), 'seed', `a finite number, got ${seed}`);
  let k: number;
  if (validationFraction !== undefined) {
    ensureOption(
      validationFraction > 0 && validationFraction < 1,
      'validationFraction',
      `in (0, 1), got ${validationFraction}`,
    );
    k = Math.round(split.count * validationFraction);
  } else {
    k = validationCount ?? 0;
  }
  ensureOption(
    Number.isInteger(k) && k >= 1 && k <= split.count - 1,
    validationFraction !== undefined ? 'validationFraction' : 'validationCount',
    `to hold out 1..${split.count - 1} of ${split.count} examples, gives ${k}`,
  );
  const order = shuffleInPlace(
    Int32Array.from({ length: split.count }, (_, i) => i),
    seededUniform(seed),
  );
  const validation = order.slice(0, k).sort();
  const train = order.slice(k).sort();
  return { train: selectExamples(split, train), validation: selectExamples(split, validation) };
}

/**
 * A class-balanced sample: `perClass` examples of each label in `0..numClasses-1`, chosen at
 * random (seeded), kept in their original order. Throws when a class has fewer examples.
 */
export function stratifiedSample(
  split: ImageSplit,
  options: { readonly perClass: number; readonly numClasses: number; readonly seed: number },
): ImageSplit {
  const { perClass, numClasses, seed } = options;
  ensureOption(
    Number.isInteger(perClass) && perClass >= 1,
    'perClass',
    `an integer >= 1, got ${perClass}`,
  );
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  split.labels.forEach((label, i) => byClass[label]?.push(i));
  const uniform = seededUniform(seed);
  const chosen: number[] = [];
  byClass.forEach((indices, label) => {
    ensureOption(
      indices.length >= perClass,
      'perClass',
      `at most ${indices.length} (the examples of class ${label}), got ${perClass}`,
    );
    chosen.push(...shuffleInPlace(indices, uniform).slice(0, perClass));
  });
  return selectExamples(
    split,
    chosen.sort((a, b) => a - b),
  );
}
