/**
 * Seeding TensorFlow.js. tfjs initialisers and random ops without a `seed` (weight
 * initialisation, every dropout mask) draw their seed from `Math.random()`, and tfjs has no
 * global seed; so while a model is built (which is when Sequential and functional models
 * create their weights) and again while it trains, `Math.random` draws from a generator
 * seeded from the trial's seed, making initial weights and training reproducible.
 *
 * Sections may overlap (two searches at once in one process): while any is running,
 * `Math.random` is a dispatcher that draws from the generator of the section the calling code
 * runs in (followed through `await`s by `AsyncLocalStorage`), and from the real `Math.random`
 * outside every section. When the last section ends, the real `Math.random`, captured when
 * this module loaded, is put back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Random } from '../../math/random.js';

/** Mixed into the trial's seed for the generator used while the model trains. */
export const TRAINING_STREAM = 1;

// eslint-disable-next-line no-restricted-properties -- the real generator, put back after the last section
const realRandom = Math.random;
const section = new AsyncLocalStorage<Random>();
let active = 0;

function dispatch(): number {
  const random = section.getStore();
  return random === undefined ? realRandom() : random.next();
}

/** Runs `body` with `Math.random` seeded by `seed`, restoring it afterwards. */
export async function withSeededMathRandom<T>(
  seed: number,
  body: () => T | Promise<T>,
): Promise<T> {
  // eslint-disable-next-line no-restricted-properties -- the documented way to seed tfjs initialisers
  if (active++ === 0) Math.random = dispatch;
  try {
    return await section.run(new Random(seed), body);
  } finally {
    // eslint-disable-next-line no-restricted-properties -- restoring the real generator
    if (--active === 0) Math.random = realRandom;
  }
}
