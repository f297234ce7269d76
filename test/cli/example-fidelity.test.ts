/**
 * `hypertuner example --tuner hyperband --fidelity samples`: Hyperband's rounds give a trial
 * more training images instead of more epochs. The flag is checked, names the study, reaches
 * the worker processes, and a shrunk run stores trials whose low rounds trained on fewer images
 * than the top one, from the trials' own attributes.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { joinArguments, projectNameOf } from '../../src/cli/example/options.js';
import { openStorage } from '../../src/storage/index.js';
import { parseExampleArgs, runExample } from '../helpers/run-example.js';
import { tempDir } from '../tfjs/tuner-fixtures.js';

afterEach(() => vi.restoreAllMocks());

const parse = parseExampleArgs;

describe('hypertuner example --fidelity', () => {
  it('defaults to epochs, takes samples with Hyperband, and names the study after it', () => {
    expect(parse([])).toMatchObject({ tuner: 'hyperband', fidelity: 'epochs' });
    const samples = parse(['--tuner', 'hyperband', '--sampler', 'tpe', '--fidelity', 'samples']);
    expect(samples).toMatchObject({ tuner: 'hyperband', fidelity: 'samples' });
    expect(projectNameOf(samples)).toBe('fashion-mnist-exp2-hyperband-tpe-samples');
    expect(projectNameOf(parse(['--tuner', 'hyperband', '--sampler', 'random']))).toBe(
      'fashion-mnist-exp2-hyperband',
    );
    // a worker process parses the same fidelity from its command line
    const argv = joinArguments(samples, '/tmp/search-data.bin');
    expect(argv[0]).toBe('example');
    expect(parse(argv.slice(1))).toMatchObject({ fidelity: 'samples', tuner: 'hyperband' });
  });

  it('refuses an unknown fidelity, samples without Hyperband, and samples with --compare, in one line with a code', () => {
    const refused = (args: readonly string[]): unknown => {
      try {
        parse(args);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(refused(['--tuner', 'hyperband', '--fidelity', 'rows'])).toMatchObject({
      code: 'OPTIONS_INVALID',
      field: 'fidelity',
      message: "--fidelity must be one of epochs, samples, got 'rows'.",
    });
    expect(refused(['--tuner', 'bayesian', '--fidelity', 'samples'])).toMatchObject({
      code: 'OPTIONS_INVALID',
      message: expect.stringMatching(
        /^--fidelity samples needs --tuner hyperband .*got --tuner bayesian\.$/,
      ),
    });
    expect(refused(['--compare', 'random,hyperband', '--fidelity', 'samples'])).toMatchObject({
      code: 'OPTIONS_INVALID',
      message: expect.stringMatching(/^--fidelity samples does not go with --compare/),
    });
    for (const args of [
      ['--tuner', 'bayesian', '--fidelity', 'samples'],
      ['--tuner', 'hyperband', '--fidelity', 'x'],
    ])
      expect(String((refused(args) as Error).message)).not.toContain('\n');
  });

  it('runs Hyperband over training-set size: its low rounds train on fewer images than the top one', async () => {
    const directory = tempDir('example-samples');
    // --trials: one iteration of Hyperband's brackets (23 trials), without a time cut
    const { out, err } = await runExample([
      ...['--tuner', 'hyperband', '--sampler', 'tpe', '--fidelity', 'samples', '--trials', '1'],
      ...['--epochs', '2', '--final-epochs', '0', '--train-size', '450', '--val-size', '100'],
      ...['--workers', '1', '--directory', directory, '--plain'],
    ]);
    expect(err).toMatch(
      /Method: Hyperband with TPE sampling \(BOHB-style\) over training-set size \(2 epochs on 1\/9, 1\/3 or all of the training images, from scratch\)/,
    );
    expect(err).toMatch(
      /Search: 450 training images \(Hyperband's rounds train on 1\/9, 1\/3 or all of them\)/,
    );
    // each trial's line says how many images it trained on
    expect(err).toMatch(
      /: #0 COMPLETED in [^,]+, val_accuracy 0\.\d{4} \(best epoch: \d of 2, on 50 images\)/,
    );
    expect(err).toMatch(/on 450 images\)/);
    expect(out).toMatch(/Test set \(\d+ images\): loss \d\.\d{4}, accuracy 0\.\d{4}/);

    const name = 'fashion-mnist-exp2-hyperband-tpe-samples';
    const storage = await openStorage(`sqlite:${join(directory, name, 'study.db')}`);
    try {
      const study = await storage.loadStudy(name);
      expect(study?.userAttrs['hyperband_fidelity']).toBe('samples');
      const trials = await storage.getTrials(study?.id ?? -1);
      // brackets 2 (9, 3, 1 trials), 1 (5, 2) and 0 (3)
      expect(trials).toHaveLength(23);
      const size = (t: (typeof trials)[number]) => t.userAttrs['training_set_size'];
      const resource = (t: (typeof trials)[number]) => t.oracleAttrs['epochs'];
      // rounds of 1/9, 1/3 and all of the 450 images, 2 epochs each
      for (const t of trials) {
        expect(size(t)).toBe(
          new Map([
            [1, 50],
            [3, 150],
            [9, 450],
          ]).get(resource(t) as number),
        );
        expect(t.userAttrs['trained_samples']).toBe(2 * (size(t) as number));
        expect(t.intermediate).toHaveLength(2);
      }
      const low = trials.filter((t) => resource(t) === 1);
      const top = trials.filter((t) => resource(t) === 9);
      expect(low).toHaveLength(9);
      expect(top).toHaveLength(1 + 2 + 3);
      expect(Math.max(...low.map((t) => size(t) as number))).toBeLessThan(
        Math.min(...top.map((t) => size(t) as number)),
      );
    } finally {
      await storage.close();
    }
  });
});
