/**
 * Seeding TensorFlow.js weight initialisation. tfjs initialisers without a `seed` draw their
 * seed from `Math.random()`, and tfjs has no global seed; so while a model is built (which is
 * when Sequential and functional models create their weights) `Math.random` is replaced by a
 * generator seeded with the trial's seed, making the initial weights reproducible.
 */
import { Random } from '../../math/random.js';

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
