/**
 * Keras Tuner's options that were missing (`hyperparameters` with `tuneNewEntries` /
 * `allowNewEntries`, `maxModelSize`, unknown options) and build() errors that read like what
 * they are.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HyperParameters } from '../../src/index.js';
import type { HyperParameters as Hp } from '../../src/index.js';
import { BayesianOptimization, Hyperband, RandomSearch } from '../../src/tfjs/index.js';
import type { Sample } from './tuner-fixtures.js';
import { fashionSample, tempDir, tinyMlp } from './tuner-fixtures.js';

let data: Sample;
beforeAll(async () => {
  data = await fashionSample(200, 100);
});

const search = (tuner: RandomSearch): ReturnType<RandomSearch['search']> =>
  tuner.search(data.train.x, data.train.y, {
    epochs: 1,
    batchSize: 50,
    validationData: [data.test.x, data.test.y],
  });

function tuner(
  hypermodel: (hp: Hp) => tf.LayersModel,
  extra: Partial<ConstructorParameters<typeof RandomSearch>[0]> = {},
): RandomSearch {
  return new RandomSearch({
    hypermodel,
    objective: 'val_accuracy',
    maxTrials: 4,
    directory: tempDir('options'),
    storage: 'memory:',
    seed: 3,
    ...extra,
  });
}

describe('Keras Tuner options', () => {
  it('tuneNewEntries: false tunes nothing but the pre-set entries', async () => {
    const preset = new HyperParameters();
    preset.Choice('learning_rate', [0.01, 0.003, 0.001]);
    const t = tuner(tinyMlp, { hyperparameters: preset, tuneNewEntries: false, maxTrials: 3 });
    await search(t);
    const trials = await (await t.study()).trials();
    expect(trials.map((x) => x.status)).toEqual(Array(3).fill('COMPLETED'));
    // units and activation keep tinyMlp's defaults; only the learning rate varies
    for (const trial of trials) {
      expect(trial.params).toMatchObject({ units: 8, activation: 'relu' });
      expect([0.01, 0.003, 0.001]).toContain(trial.params['learning_rate']);
    }
    expect(new Set(trials.map((x) => x.params['learning_rate'])).size).toBe(3);
    const space = (await t.study()).space;
    expect(space.get('units')?.kind).toBe('fixed');
    expect(space.get('learning_rate')).toMatchObject({
      kind: 'choice',
      values: [0.01, 0.003, 0.001],
    });
    await t.close();
  }, 120_000);

  it("a pre-set Fixed entry wins over the hypermodel's range; new entries are tuned by default", async () => {
    const preset = new HyperParameters();
    preset.Fixed('units', 16);
    const t = tuner(tinyMlp, { hyperparameters: preset });
    await search(t);
    const trials = await (await t.study()).trials();
    expect(trials.every((x) => x.params['units'] === 16)).toBe(true);
    expect(
      new Set(trials.map((x) => `${x.params['activation']}:${x.params['learning_rate']}`)).size,
    ).toBe(4);
    await t.close();
  }, 120_000);

  it('allowNewEntries: false stops the search at once, naming the parameter (SPACE_NEW_ENTRY_NOT_ALLOWED)', async () => {
    const preset = new HyperParameters();
    preset.Choice('learning_rate', [0.01]);
    const t = tuner(tinyMlp, { hyperparameters: preset, allowNewEntries: false });
    await expect(search(t)).rejects.toMatchObject({
      code: 'SPACE_NEW_ENTRY_NOT_ALLOWED',
      field: 'units',
      message: expect.stringContaining('allowNewEntries is false'),
    });
    await t.close();
  });

  it('maxModelSize: an oversize configuration is FAILED and the search goes on to maxTrials', async () => {
    // units 8: 784*8+8 + 8*10+10 = 6370 parameters; 16: 12730; 24: 19090
    const t = tuner(tinyMlp, { maxModelSize: 10_000, maxTrials: 8, maxConsecutiveFailedTrials: 1 });
    await search(t);
    const trials = await (await t.study()).trials();
    expect(trials).toHaveLength(8);
    for (const trial of trials) {
      if ((trial.params['units'] as number) > 8) {
        expect(trial.status).toBe('FAILED');
        const size = trial.params['units'] === 16 ? 12730 : 19090;
        expect(trial.error).toContain(`${size} parameters > maxModelSize (10000)`);
      } else {
        expect(trial.status).toBe('COMPLETED');
      }
    }
    // with maxConsecutiveFailedTrials: 1 any failure that counted would have stopped the search
    expect(trials.filter((x) => x.status === 'FAILED').length).toBeGreaterThanOrEqual(2);
    await t.close();
  }, 120_000);

  it("objective directions 'max' / 'min' as Keras Tuner writes them", async () => {
    const t = tuner(tinyMlp, {
      objective: { name: 'val_accuracy', direction: 'max' },
      maxTrials: 1,
    });
    await search(t);
    expect((await t.study()).objectives).toEqual([{ name: 'val_accuracy', direction: 'maximize' }]);
    await t.close();
  }, 60_000);

  it('an unknown option from plain JavaScript is an error naming it', () => {
    const options = { hypermodel: tinyMlp, objective: 'val_loss', max_trials: 3 } as never;
    expect(() => new RandomSearch(options)).toThrow(/RandomSearch: unknown option 'max_trials'/);
    expect(
      () => new BayesianOptimization({ hypermodel: tinyMlp, numInitialPoint: 2 } as never),
    ).toThrow(expect.objectContaining({ code: 'OPTIONS_INVALID', field: 'numInitialPoint' }));
    expect(() => new Hyperband({ hypermodel: tinyMlp, maxTrials: 3 } as never)).toThrow(
      /Hyperband: unknown option 'maxTrials'/,
    );
    // the tuners' own options are known
    expect(
      () => new BayesianOptimization({ hypermodel: tinyMlp, numInitialPoints: 2, beta: 1 }),
    ).not.toThrow();
  });
});

describe('build() errors read as what they are', () => {
  it('an uncompiled model says so (not "metrics is not iterable")', async () => {
    const uncompiled = (hp: Hp): tf.LayersModel => {
      const model = tf.sequential();
      model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
      model.add(tf.layers.dense({ units: hp.Int('units', { min: 8, max: 24, step: 8 }) }));
      return model;
    };
    const t = tuner(uncompiled);
    await expect(search(t)).rejects.toMatchObject({ code: 'TOO_MANY_FAILED_TRIALS' });
    const trials = await (await t.study()).trials();
    expect(trials.length).toBeGreaterThan(0);
    for (const trial of trials) {
      expect(trial.status).toBe('FAILED');
      expect(trial.error).toMatch(
        /build\(\) returned a model that is not compiled \(hyperparameters \{"units":\d+\}\); call model\.compile/,
      );
      expect(trial.error).not.toMatch(/not iterable/);
    }
    await t.close();
  }, 60_000);

  it('a build() that throws for the default values fails trials with the hyperparameters and the error; the search goes on', async () => {
    const fragile = (hp: Hp): tf.LayersModel => {
      const units = hp.Int('units', { min: 8, max: 24, step: 8 }); // default 8
      if (units === 8) throw new RangeError('8 units are not supported');
      return tinyMlp(hp);
    };
    const t = tuner(fragile, { maxTrials: 6 });
    await search(t); // not aborted with the raw RangeError
    const trials = await (await t.study()).trials();
    expect(trials).toHaveLength(6);
    const failed = trials.filter((x) => x.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    for (const trial of failed) {
      expect(trial.params['units']).toBe(8);
      expect(trial.error).toMatch(
        /build\(\) threw for hyperparameters \{"units":8[^}]*\}: RangeError: 8 units are not supported\n\s+at /,
      );
    }
    expect(trials.some((x) => x.status === 'COMPLETED')).toBe(true);
    await t.close();
  }, 120_000);
});
