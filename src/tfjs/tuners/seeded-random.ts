/**
 * Seeding TensorFlow.js. tfjs initialisers and random ops without a `seed` (weight
 * initialisation, every dropout mask) draw their seed from `Math.random()`, and tfjs has no
 * global seed; so while a model is built (which is when Sequential and functional models
 * create their weights) and again while it trains, `Math.random` draws from a generator
 * seeded from the trial's seed, making initial weights and training reproducible.
 *
 * Sections may overlap (two searches at once in one process): while any is running,
 * `Math.random` is a dispatcher that draws from the generator of the section the calling code
 * runs in (followed through `await`s by `AsyncLocalStorage`) and, for code outside every
 * section, from the `Math.random` that was in place when the first began (the built-in one,
 * or one the user installed), which is put back when the last one ends.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Random } from '../../math/random.js';

/** Mixed into the trial's seed for the generator used while the model trains. */
export const TRAINING_STREAM = 1;

const section = new AsyncLocalStorage<Random>();
let active = 0;
/** The `Math.random` in place when the first open section began (the user's, if they set one). */
let outside: () => number = () => 0;

function dispatch(): number {
  const random = section.getStore();
  return random === undefined ? outside() : random.next();
}

/** Runs `body` with `Math.random` seeded by `seed`, restoring it afterwards. */
export async function withSeededMathRandom<T>(
  seed: number,
  body: () => T | Promise<T>,
): Promise<T> {
  if (active++ === 0) {
    // eslint-disable-next-line no-restricted-properties -- saved to be put back after the last section
    outside = Math.random;
    // eslint-disable-next-line no-restricted-properties -- the documented way to seed tfjs initialisers
    Math.random = dispatch;
  }
  try {
    return await section.run(new Random(seed), body);
  } finally {
    // eslint-disable-next-line no-restricted-properties -- putting back the generator found
    if (--active === 0) Math.random = outside;
  }
}
