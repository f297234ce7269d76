import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runExample } from '../helpers/run-example.js';
import { tempDir } from './tuner-fixtures.js';

afterEach(() => vi.restoreAllMocks());

describe('hypertuner example (the article experiment, shrunk)', () => {
  it('searches, reports data source and backend, scores the best model on the test set, and resumes', async () => {
    const directory = tempDir('example');
    const args = [
      ...['--tuner', 'bayesian'],
      '--trials',
      '2',
      '--epochs',
      '1',
      '--final-epochs',
      '0',
      '--train-size',
      '300',
      '--val-size',
      '100',
      '--directory',
      directory,
      '--plain',
      '--workers',
      '2',
    ];
    const first = await runExample(args);
    expect(first.err).toMatch(/Backend: (wasm|tensorflow|cpu)/);
    expect(first.err).toMatch(
      /Data: fashion-mnist, \d+ training \+ \d+ test images of 28x28x1, source (debian|cache|bundled-subset|explicit|download)/,
    );
    expect(first.err).toMatch(/Workers: this process and 1 more/);
    expect(first.err).not.toMatch(/\[worker 1\]|Worker 1 stopped/); // it ran quietly and exited with 0
    expect(first.err).toMatch(/Search ended: .*\. 2 trials run now by 2 processes: /);
    expect(first.err).toMatch(/#0 epoch 1\/1: loss/);
    expect(first.err).toMatch(
      /left for the final training \(no retraining asked \(--final-epochs 0\)/,
    );
    expect(first.err).not.toMatch(/predicted for 0 epochs/);
    expect(first.out).toContain('Results summary');
    expect(first.out).toMatch(/Best model: the best trial's \(#\d\) checkpoint of its best epoch/);
    expect(first.out).toMatch(/Test set \(\d+ images\): loss \d\.\d{4}, accuracy 0\.\d{4}/);
    // the article's ending: the best model's layers, then its test score
    expect(first.out).toMatch(/Layer \(type\)\s+Output shape\s+Params\s+Activation/);
    expect(first.out).toMatch(/\(Dense\)\s+\[null, 10\]\s+[\d,]+\s+softmax/);
    expect(first.err).toMatch(/Search space: the article's experiment 2, num_layers 2-4/);
    expect(first.err).toMatch(/other training images for validation \(never the test set\)/);
    expect(existsSync(join(directory, 'fashion-mnist-exp2-bayesian', 'study.db'))).toBe(true);
    expect(first.out).toMatch(/Checkpoint in .*trial_000\d/);
    const again = await runExample(args);
    expect(again.err).toMatch(/Resuming study 'fashion-mnist-exp2-bayesian': 2 of 2 trials done/);
    expect(again.err).toMatch(/ 0 trials run now\./);
    expect(again.err).not.toMatch(/Workers:/); // no trial left: no worker started
    // a study kept in memory has its own project folder: the stored study's checkpoints stay
    const stored = join(
      directory,
      'fashion-mnist-exp2-bayesian',
      'trial_0000',
      'checkpoint',
      'weights.bin',
    );
    const before = readFileSync(stored);
    const inMemory = await runExample([
      ...args.filter((a, i) => a !== '--workers' && args[i - 1] !== '--workers'),
      ...['--storage', 'memory:', '--workers', '1'],
    ]);
    expect(inMemory.err).toMatch(/Study 'fashion-mnist-exp2-bayesian-in-memory' in memory only/);
    expect(inMemory.out).toMatch(/Checkpoint in .*fashion-mnist-exp2-bayesian-in-memory/);
    expect(readFileSync(stored).equals(before)).toBe(true);
  });

  it('runs Hyperband (maxEpochs = --epochs) with a TPE sampler and two worker processes', async () => {
    const directory = tempDir('example-hyperband');
    const { out, err } = await runExample([
      ...['--tuner', 'hyperband', '--sampler', 'tpe', '--epochs', '2', '--final-epochs', '0'],
      // brackets go on while the time budget lasts
      ...['--time-budget', '0.4'],
      ...['--train-size', '300', '--val-size', '100', '--workers', '2'],
      ...['--directory', directory, '--plain'],
    ]);
    expect(err).toMatch(/Workers: this process and 1 more/);
    expect(err).toMatch(/Search ended: .* by 2 processes/);
    expect(out).toMatch(/Test set \(\d+ images\): loss \d\.\d{4}, accuracy 0\.\d{4}/);
    expect(err).toMatch(/Study 'fashion-mnist-exp2-hyperband-tpe'/);
    expect(existsSync(join(directory, 'fashion-mnist-exp2-hyperband-tpe', 'study.db'))).toBe(true);
  });

  it('rejects a sampler other than random unless the tuner is Hyperband, and an unknown sampler', async () => {
    const common = ['--directory', tempDir('example-sampler'), '--plain'];
    await expect(
      runExample(['--tuner', 'bayesian', '--sampler', 'tpe', ...common]),
    ).rejects.toThrow(/--sampler tpe needs --tuner hyperband.*got --tuner bayesian/);
    await expect(
      runExample(['--tuner', 'hyperband', '--sampler', 'gp', ...common]),
    ).rejects.toThrow(/--sampler must be one of random, tpe, got 'gp'/);
  });
});
