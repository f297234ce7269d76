/**
 * The article's experiments as programs to read and copy (examples/article/): each runs to its
 * end (a shrunk search, the best model's layers, its test score) and declares the article's
 * space. They run side by side, as separate processes, with tiny budgets.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';
import { tempDir } from '../tfjs/tuner-fixtures.js';

const run = promisify(execFile);

function experiment(n: 1 | 2 | 3): Promise<{ stdout: string; stderr: string }> {
  return run(
    process.execPath,
    [
      ...['--import', 'tsx', `examples/article/experiment-${n}.ts`],
      ...['--trials', '2', '--epochs', '1', '--train-size', '300'],
      ...['--directory', tempDir(`article-${n}`)],
    ],
    { cwd: repoRoot, timeout: 240_000 },
  );
}

describe('examples/article', () => {
  it('runs the three experiments to their test scores', async () => {
    const [one, two, three] = await Promise.all([experiment(1), experiment(2), experiment(3)]);
    for (const { stdout } of [one, two, three]) {
      expect(stdout).toMatch(/validated on 5000 others, and the 10000 test images are scored once/);
      expect(stdout).toMatch(/Layer \(type\)\s+Output shape\s+Params\s+Activation/);
      expect(stdout).toMatch(/Test loss \d+\.\d{4}, test accuracy 0\.\d{4}\./);
    }
    expect(one?.stdout).toContain('a_3 (choice): one of "relu", "tanh", "elu", "selu", "swish"');
    expect(one?.stdout).toContain('u_2 (int): int in [16, 256] step 16');
    expect(two?.stdout).toContain('units_1 (int): int in [64, 512] step 64');
    expect(three?.stdout).toContain('num_layers (int): int in [2, 20]');
    expect(three?.stdout).toMatch(/\(Dense\)\s+\[null, 128\]\s+[\d,]+\s+elu/);
  }, 300_000);
});
