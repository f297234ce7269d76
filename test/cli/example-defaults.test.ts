/**
 * `hypertuner example`'s default method (the one bench:methods measured best: Hyperband with TPE
 * sampling over up to 9 epochs), how the other tuners' defaults follow from --tuner, and the line
 * that says which method runs and why.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHOD, TRIAL_EPOCHS, projectNameOf } from '../../src/cli/example/options.js';
import { methodSentence } from '../../src/cli/example/run-example.js';
import { parseExampleArgs } from '../helpers/run-example.js';

const parse = parseExampleArgs;

describe('hypertuner example: the default method', () => {
  it('is Hyperband with TPE sampling over up to 9 epochs, and its Method line says why', () => {
    const options = parse([]);
    expect(options).toMatchObject({
      tuner: 'hyperband',
      sampler: 'tpe',
      fidelity: 'epochs',
      epochs: 9,
      pruner: 'none',
    });
    expect(DEFAULT_METHOD).toEqual({
      tuner: 'hyperband',
      sampler: 'tpe',
      fidelity: 'epochs',
      epochs: 9,
    });
    expect(projectNameOf(options)).toBe('fashion-mnist-exp2-hyperband-tpe');
    expect(methodSentence(options)).toBe(
      'Hyperband with TPE sampling (BOHB-style) over up to 9 epochs (the default: the best median test accuracy of the methods `npm run bench:methods` ran for 10 minutes each; --tuner chooses another)',
    );
  });

  it('gives the other tuners their own defaults: no sampler, 4 epochs per trial', () => {
    for (const tuner of ['bayesian', 'tpe', 'random', 'grid']) {
      const options = parse(['--tuner', tuner]);
      expect(options).toMatchObject({ tuner, sampler: 'random', epochs: TRIAL_EPOCHS });
      expect(methodSentence(options)).not.toMatch(/the default/);
    }
    expect(parse(['--tuner', 'bayesian']).epochs).toBe(4);
    // Hyperband over training-set size: --epochs is each trial's epochs
    expect(parse(['--fidelity', 'samples'])).toMatchObject({ tuner: 'hyperband', epochs: 4 });
    // a comparison gives every tuner the same epochs; Hyperband among them samples with TPE
    expect(parse(['--compare', 'random,hyperband'])).toMatchObject({ epochs: 4, sampler: 'tpe' });
    expect(parse(['--compare', 'random,bayesian'])).toMatchObject({ sampler: 'random' });
    // what the user says wins
    expect(parse(['--sampler', 'random', '--epochs', '3'])).toMatchObject({
      tuner: 'hyperband',
      sampler: 'random',
      epochs: 3,
    });
    expect(methodSentence(parse(['--epochs', '3']))).toBe(
      'Hyperband with TPE sampling (BOHB-style) over up to 3 epochs',
    );
  });

  it('refuses in one line a pruner with the default tuner, and a sampler without Hyperband', () => {
    expect(() => parse(['--pruner', 'asha'])).toThrow(
      /^--pruner asha needs --tuner bayesian, tpe or random \(hyperband decides trial lengths itself\), got --tuner hyperband \(the default\)\.$/,
    );
    expect(() => parse(['--tuner', 'bayesian', '--sampler', 'tpe'])).toThrow(
      /--sampler tpe needs --tuner hyperband/,
    );
    expect(() => parse(['--sampler', 'gp'])).toThrow(
      /--sampler must be one of random, tpe, got 'gp'/,
    );
  });
});
