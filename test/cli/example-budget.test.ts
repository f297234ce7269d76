/**
 * The example spends its time budget: it searches until what is left is what the final
 * training needs, trains the best until the time is up, and ends within the budget. Measured
 * on the CLI as a process of its own (the budget counts from the process's start), from the
 * moment it is spawned to its exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../../src/datasets/index.js';
import { startCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUDGET_MINUTES = 2;

/** The default method, and Hyperband over training-set size (trials of unequal lengths). */
const METHODS = [
  { name: 'the default method', dir: 'default', args: [] },
  {
    name: 'Hyperband over training-set size',
    dir: 'samples',
    args: ['--tuner', 'hyperband', '--sampler', 'tpe', '--fidelity', 'samples'],
  },
];

describe('hypertuner example --time-budget', () => {
  it.each(METHODS)(
    'uses at least 90% of its time budget and exceeds it by at most 5%: $name',
    async (method) => {
      const data = await loadFashionMnist({ download: false }).catch(() => undefined);
      expect(
        data,
        'Fashion-MNIST is needed: apt-get install dataset-fashion-mnist (or put it in ~/.cache/hypertuner/fashion-mnist)',
      ).toBeDefined();
      const started = performance.now();
      const run = startCli([
        'example',
        ...method.args,
        ...['--time-budget', String(BUDGET_MINUTES), '--workers', '2', '--plain'],
        ...['--train-size', '2000', '--val-size', '1000', '--epochs', '2'],
        // planned for more epochs than fit: the final training runs until the time is up
        ...['--final-epochs', '10', '--patience', '100'],
        ...['--directory', join(dir, method.dir), '--overwrite'],
      ]);
      const result = await run.done;
      const fraction = (performance.now() - started) / (BUDGET_MINUTES * 60_000);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/Search ended: /);
      if (method.args.length > 0)
        expect(result.stderr).toMatch(/Method: Hyperband .* over training-set size/);
      expect(result.stdout).toMatch(/Test set \(10000 images\): loss \d\.\d{4}, accuracy 0\.\d{4}/);
      // retrained until the time was up, or (a loaded machine) the best trial's checkpoint after a
      // search that went on to the end
      expect(result.stdout).toMatch(
        /Best model: (retrained .* stopped when the time was up|the best trial's .* not retrained \(only)/,
      );
      expect(
        fraction,
        `spawn to exit took ${(fraction * 100).toFixed(1)}% of the budget`,
      ).toBeGreaterThanOrEqual(0.9);
      expect(
        fraction,
        `spawn to exit took ${(fraction * 100).toFixed(1)}% of the budget`,
      ).toBeLessThanOrEqual(1.05);
    },
    200_000,
  );
});
