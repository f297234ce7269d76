/**
 * What an objective returns that is not a result, named for what it is: a string that looks
 * like a number is called a string (it printed as "returned 0.5", which read like a number).
 */
import { describe, expect, it } from 'vitest';
import { RandomSearchOracle, Study } from '../../src/index.js';

async function errorOf(result: unknown, objective: string | string[] = 'loss'): Promise<string> {
  const study = await Study.open({
    storage: 'memory:',
    name: 'results',
    objective,
    oracle: new RandomSearchOracle({ seed: 1 }),
  });
  await study.optimize(() => result as never, { nTrials: 1 });
  const [trial] = await study.trials();
  await study.close();
  expect(trial?.status).toBe('FAILED');
  return trial?.error ?? '';
}

describe('objective results that are not numbers', () => {
  it.each([
    ['0.5', /returned the string "0\.5" \(return a number/],
    [['0.5'], /'loss' is the string "0\.5"/],
    [{ loss: '0.5' }, /metric 'loss' is the string "0\.5".*not a number/],
    [{ accuracy: 0.9 }, /has no metric 'loss'; it returned accuracy/],
    [undefined, /it returned undefined/],
    [true, /it returned true/],
    [[Number.NaN], /'loss' is NaN, not a finite number/],
  ])('%j fails the trial, saying what it was', async (result, message) => {
    expect(await errorOf(result)).toMatch(message);
  });
});
