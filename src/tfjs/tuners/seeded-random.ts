/**
 * Seeding TensorFlow.js. tfjs initialisers and random ops without a `seed` (weight
 * initialisation, every dropout mask) draw their seed from `Math.random()`, and tfjs has no
 * global seed; so while a model is built (which is when Sequential and functional models
 * create their weights) and again while it trains, `Math.random` is replaced by a generator
 * seeded from the trial's seed, making initial weights and training reproducible. A tuner
 * process runs one trial at a time, so nothing else is drawing from it meanwhile.
 */
import { Random } from '../../math/random.js';

/** Mixed into the trial's seed for the generator used while the model trains. */
export const TRAINING_STREAM = 1;

/** Runs `body` with `Math.random` seeded by `seed`, restoring it afterwards. */
export async function withSeededMathRandom<T>(
  seed: number,
  body: () => T | Promise<T>,
): Promise<T> {
  const random = new Random(seed);
  // eslint-disable-next-line no-restricted-properties -- saved to be restored below
  const original = Math.random;
  // eslint-disable-next-line no-restricted-properties -- the documented way to seed tfjs initialisers
  Math.random = () => random.next();
  try {
    return await body();
  } finally {
    // eslint-disable-next-line no-restricted-properties -- restoring the original
    Math.random = original;
  }
}
