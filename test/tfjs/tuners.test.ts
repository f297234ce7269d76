import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParameters, Trial } from '../../src/index.js';
import { MemoryStorage } from '../../src/index.js';
import {
  BayesianOptimization,
  GridSearch,
  HyperModel,
  Hyperband,
  RandomSearch,
  evaluateModel,
  fitModel,
} from '../../src/tfjs/index.js';
import type {
  FitArgs,
  FitResult,
  HyperModelLike,
  Tuner,
  TunerInput,
} from '../../src/tfjs/index.js';
import { withSeededMathRandom } from '../../src/tfjs/tuners/seeded-random.js';
import { denseOf, fashionSample, tempDir, tinyMlp } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

/** A tiny MLP hypermodel whose `fit` is `train` (the model, the data and the tuner's fit arguments). */
function tinyMlpTrainedBy(
  train: (model: tf.LayersModel, x: TunerInput, y: TunerInput, args: FitArgs) => Promise<FitResult>,
): HyperModelLike {
  return { build: tinyMlp, fit: (_hp, model, x, y, args) => train(model, x, y, args) };
}

let data: Sample;

beforeAll(async () => {
  data = await fashionSample();
});

async function searchAndCheck(tuner: Tuner, trials: number): Promise<void> {
  const epochsSeen: number[] = [];
  const result = await tuner.search(data.train.x, data.train.y, {
    epochs: 2,
    batchSize: 64,
    validationData: [data.test.x, data.test.y],
    callbacks: [{ onEpochEnd: (epoch) => void epochsSeen.push(epoch) }],
  });
  expect(result.trialsRun).toBe(trials);
  const study = await tuner.study();
  const all = await study.trials();
  expect(all.map((t) => t.status)).toEqual(Array(trials).fill('COMPLETED'));
  expect(epochsSeen).toEqual(Array.from({ length: trials }, () => [0, 1]).flat());
  for (const trial of all) {
    // every epoch reported to the study, and the score is the best epoch's
    expect(trial.intermediate.map((v) => v.step)).toEqual([0, 1]);
    expect(trial.values?.[0]).toBe(Math.max(...trial.intermediate.map((v) => v.value)));
    expect(trial.intermediate[0]?.metrics).toHaveProperty('val_loss');
    expect(existsSync(join(tuner.checkpointDir(trial.number), 'model.json'))).toBe(true);
    expect(existsSync(join(tuner.checkpointDir(trial.number), 'weights.bin'))).toBe(true);
  }
  const [best] = await tuner.getBestTrials(1);
  const [hp] = await tuner.getBestHyperparameters(1);
  expect(hp?.values).toEqual(best?.params);
  // the best model carries its best epoch's weights: it scores the trial's value again
  const [model] = await tuner.getBestModels(1);
  if (model === undefined || best === undefined) throw new Error('no best model');
  const metrics = evaluateModel(model, data.test.x, data.test.y, { batchSize: 64 });
  expect(metrics['accuracy']).toBeCloseTo(best.values?.[0] ?? NaN, 5);
  model.dispose();
  expect(await tuner.resultsSummary(2)).toContain('Objective: val_accuracy (maximize)');
  expect(await tuner.searchSpaceSummary()).toMatch(/units \((int|choice)\)/);
}

describe('tfjs tuners on a Fashion-MNIST sample', () => {
  it('RandomSearch: trials, reports, checkpoints, best model, SQLite study in directory/projectName', async () => {
    const directory = tempDir('random');
    const tuner = new RandomSearch({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 3,
      directory,
      projectName: 'p',
      seed: 3,
    });
    await searchAndCheck(tuner, 3);
    expect(tuner.backend?.name).toBeDefined();
    await tuner.close();
    expect(existsSync(join(directory, 'p', 'study.db'))).toBe(true);
    // reopening resumes: maxTrials already reached, nothing runs
    const again = new RandomSearch({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 3,
      directory,
      projectName: 'p',
      seed: 3,
    });
    expect(
      (
        await again.search(data.train.x, data.train.y, {
          epochs: 2,
          validationData: [data.test.x, data.test.y],
        })
      ).trialsRun,
    ).toBe(0);
    await again.close();
    // overwrite starts again
    const fresh = new RandomSearch({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 1,
      directory,
      projectName: 'p',
      overwrite: true,
    });
    expect(
      (
        await fresh.search(data.train.x, data.train.y, {
          epochs: 1,
          validationData: [data.test.x, data.test.y],
        })
      ).trialsRun,
    ).toBe(1);
    await fresh.close();
    // overwrite applied once: the same tuner, used again after close(), finds that trial
    expect(await fresh.getBestTrials(5)).toHaveLength(1);
    expect(existsSync(join(fresh.checkpointDir(0), 'model.json'))).toBe(true);
    await fresh.close();
  });

  it('BayesianOptimization', async () => {
    const tuner = new BayesianOptimization({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 4,
      numInitialPoints: 2,
      directory: tempDir('bayes'),
      storage: new MemoryStorage(),
      seed: 5,
    });
    await searchAndCheck(tuner, 4);
  });

  it('GridSearch runs the whole grid when it is small', async () => {
    const build = (hp: HyperParameters): tf.LayersModel => denseOf(hp.Choice('units', [8, 16]));
    const tuner = new GridSearch({
      hypermodel: build,
      objective: 'val_accuracy',
      directory: tempDir('grid'),
      storage: 'memory:',
    });
    await searchAndCheck(tuner, 2);
    expect((await (await tuner.study()).trials()).map((t) => t.params['units'])).toEqual([8, 16]);
  });

  it('constraints: the best model is the best feasible trial, whatever the others scored', async () => {
    const tuner = new GridSearch({
      hypermodel: (hp: HyperParameters) => denseOf(hp.Choice('units', [4, 32])),
      objective: 'val_accuracy',
      directory: tempDir('grid-constrained'),
      storage: 'memory:',
      // a model over 8 units is too big to ship
      constraints: (trial) => [(trial.params['units'] as number) - 8],
    });
    await tuner.search(data.train.x, data.train.y, {
      epochs: 1,
      batchSize: 64,
      validationData: [data.test.x, data.test.y],
    });
    const trials = await (await tuner.study()).trials();
    expect(trials.map((t) => t.userAttrs['constraints'])).toEqual([[-4], [24]]);
    const [best] = await tuner.getBestTrials(1);
    expect(best?.params['units']).toBe(4);
    // the infeasible 32-unit model scored better, and is still not the best
    expect(trials[1]?.values?.[0]).toBeGreaterThan(best?.values?.[0] ?? Infinity);
  });

  it('a HyperModel with fit tunes the batch size; validationSplit; val_loss by default', async () => {
    const batchSizes: number[] = [];
    // Keras Tuner's HyperModel subclass with build and fit (batch size tuned in fit)
    class TunedBatch extends HyperModel {
      build(hp: HyperParameters): tf.LayersModel {
        return tinyMlp(hp);
      }
      fit(hp: HyperParameters, model: tf.LayersModel, x: TunerInput, y: TunerInput, args: FitArgs) {
        const batchSize = hp.Choice('batch_size', [32, 128]);
        batchSizes.push(batchSize);
        return fitModel(model, x, y, { ...args, batchSize });
      }
    }
    const tuner = new RandomSearch({
      hypermodel: new TunedBatch(),
      maxTrials: 2,
      directory: tempDir('fit'),
      storage: 'memory:',
    });
    await tuner.search(data.train.x, data.train.y, { epochs: 1, validationSplit: 0.25 });
    const trials = await (await tuner.study()).trials();
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(trials.map((t) => t.params['batch_size'])).toEqual(batchSizes);
    expect((await tuner.study()).objectives[0]).toEqual({
      name: 'val_loss',
      direction: 'minimize',
    });
  });

  it('a pruned trial stops after the epoch and ends PRUNED; a missing objective fails the trial', async () => {
    const tuner = new RandomSearch({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 2,
      directory: tempDir('prune'),
      storage: 'memory:',
      pruner: {
        name: 'always',
        shouldPrune: (_view, trial) => trial.number === 1 && trial.intermediate.length >= 1,
      },
    });
    await tuner.search(data.train.x, data.train.y, {
      epochs: 3,
      validationData: [data.test.x, data.test.y],
    });
    const trials = await (await tuner.study()).trials();
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'PRUNED']);
    expect(trials[1]?.intermediate).toHaveLength(1);

    const noValidation = new RandomSearch({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 1,
      directory: tempDir('noval'),
      storage: 'memory:',
    });
    await noValidation.search(data.train.x, data.train.y, { epochs: 1 });
    const [failed] = await (await noValidation.study()).trials();
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toMatch(
      /'val_accuracy' never appeared.*validationData or validationSplit/s,
    );
  });

  it('Hyperband: epochs from the oracle, promoted trials continue from their parent checkpoint', async () => {
    const tuner = new Hyperband({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxEpochs: 3,
      factor: 3,
      directory: tempDir('hyperband'),
      storage: 'memory:',
      seed: 2,
    });
    await tuner.search(data.train.x, data.train.y, {
      batchSize: 64,
      validationData: [data.test.x, data.test.y],
    });
    const trials = await (await tuner.study()).trials();
    expect(trials.length).toBeGreaterThan(2);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    const promoted = trials.filter((t) => typeof t.oracleAttrs['parentTrial'] === 'number');
    expect(promoted.length).toBeGreaterThan(0);
    for (const t of promoted) {
      const initial = t.oracleAttrs['initialEpoch'] as number;
      const epochs = t.oracleAttrs['epochs'] as number;
      expect(t.intermediate.map((v) => v.step)).toEqual(
        Array.from({ length: epochs - initial }, (_, i) => initial + i),
      );
      expect(t.params).toEqual(trials[t.oracleAttrs['parentTrial'] as number]?.params);
    }
  });

  it('is reproducible: the same seed gives the same initial weights, shuffling, dropout masks and scores', async () => {
    const withDropout = (hp: HyperParameters): tf.LayersModel => {
      const model = tf.sequential();
      model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
      model.add(tf.layers.dense({ units: hp.Int('units', { min: 8, max: 24, step: 8 }) }));
      model.add(tf.layers.dropout({ rate: 0.5 }));
      model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return model;
    };
    const run = async (seed: number, hypermodel = tinyMlp): Promise<(number | undefined)[]> => {
      const tuner = new RandomSearch({
        hypermodel,
        objective: 'val_accuracy',
        maxTrials: 2,
        directory: tempDir('seed'),
        storage: 'memory:',
        seed,
      });
      await tuner.search(data.train.x, data.train.y, {
        epochs: 1,
        batchSize: 64,
        validationData: [data.test.x, data.test.y],
      });
      return (await (await tuner.study()).trials()).flatMap((t) =>
        t.intermediate.map((v) => v.metrics['loss']),
      );
    };
    const first = await run(4);
    expect(await run(4)).toEqual(first);
    expect(await run(5)).not.toEqual(first);
    // dropout draws a fresh mask every batch, from Math.random unless training is seeded
    const dropped = await run(4, withDropout);
    expect(await run(4, withDropout)).toEqual(dropped);
    expect(await run(5, withDropout)).not.toEqual(dropped);
  });
});

describe('Keras Tuner expectations and bad input', () => {
  const validation = (): readonly [Float32Array, Int32Array] => [data.test.x, data.test.y];
  const tuner = (prefix: string, options: Partial<ConstructorParameters<typeof RandomSearch>[0]>) =>
    new RandomSearch({
      hypermodel: tinyMlp,
      maxTrials: 1,
      directory: tempDir(prefix),
      storage: 'memory:',
      ...options,
    });
  const trialsOf = async (t: Tuner): Promise<Trial[]> => (await t.study()).trials();

  it('tf.callbacks.earlyStopping passed to search stops the trial, which COMPLETES with its best epoch', async () => {
    const t = tuner('early', {});
    // minDelta 100: epoch 1 never improves on epoch 0 by that much, so training stops after it
    const earlyStopping = tf.callbacks.earlyStopping({
      monitor: 'val_loss',
      patience: 0,
      minDelta: 100,
    });
    await t.search(data.train.x, data.train.y, {
      epochs: 3,
      batchSize: 64,
      validationData: validation(),
      callbacks: [earlyStopping],
    });
    const [trial] = await trialsOf(t);
    expect(trial?.status).toBe('COMPLETED');
    expect(trial?.intermediate.map((v) => v.step)).toEqual([0, 1]);
    expect(trial?.values?.[0]).toBe(Math.min(...(trial?.intermediate.map((v) => v.value) ?? [])));
  });

  it("a custom fit returning model.fit's History is scored by the History's best epoch", async () => {
    const valLosses: number[][] = [];
    const hypermodel = tinyMlpTrainedBy(async (model, x, y, args) => {
      const [xs, ys] = [x as Float32Array, y as Int32Array];
      const [vx, vy] = validation();
      const tensors = [
        tf.tensor(xs, [xs.length / 784, 28, 28, 1]),
        tf.tidy(() => tf.oneHot(tf.tensor1d(ys, 'int32'), 10)),
        tf.tensor(vx, [vx.length / 784, 28, 28, 1]),
        tf.tidy(() => tf.oneHot(tf.tensor1d(vy, 'int32'), 10)),
      ] as const;
      try {
        // the tuner's callbacks are not passed on: the History is all the tuner gets
        const history = await model.fit(tensors[0], tensors[1], {
          epochs: args.epochs,
          batchSize: 64,
          validationData: [tensors[2], tensors[3]],
        });
        valLosses.push(history.history['val_loss'] as number[]);
        return history;
      } finally {
        tf.dispose([...tensors]);
      }
    });
    const t = tuner('history', { hypermodel });
    await t.search(data.train.x, data.train.y, { epochs: 2 });
    const [trial] = await trialsOf(t);
    expect(trial?.status).toBe('COMPLETED');
    expect(valLosses[0]).toHaveLength(2);
    expect(trial?.values?.[0]).toBe(Math.min(...(valLosses[0] ?? [])));
    expect(trial?.metrics).toHaveProperty('loss');
  });

  it('a number or a metrics record returned by a custom fit is the result, over the epochs it reported', async () => {
    const returns: (number | Record<string, number>)[] = [7, { val_loss: 8, other: 1 }];
    const hypermodel = tinyMlpTrainedBy(async (model, x, y, args) => {
      await fitModel(model, x, y, args); // with the tuner's callbacks: epochs are reported
      return returns.shift() ?? NaN;
    });
    const t = tuner('returned', { hypermodel, maxTrials: 2 });
    await t.search(data.train.x, data.train.y, {
      epochs: 1,
      batchSize: 64,
      validationData: validation(),
    });
    const trials = await trialsOf(t);
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(trials.map((t) => t.intermediate.length)).toEqual([1, 1]);
    expect(trials.map((t) => t.values?.[0])).toEqual([7, 8]);
    expect(trials[1]?.metrics['other']).toBe(1);
  });

  it('a validationSplit outside (0, 1) or a wrong verbose fails search at once, storing nothing', async () => {
    for (const [options, field] of [
      [{ validationSplit: 1.5 }, 'validationSplit'],
      [{ validationSplit: 0 }, 'validationSplit'],
      [{ verbose: 7 as 0 }, 'verbose'],
    ] as const) {
      const t = tuner('bad-search', {});
      await expect(
        t.search(data.train.x, data.train.y, { epochs: 1, ...options }),
      ).rejects.toMatchObject({
        name: 'HypertunerError',
        code: 'OPTIONS_INVALID',
        field,
      });
      expect(await trialsOf(t)).toEqual([]);
    }
  });

  it('a wrong backend fails in the constructor, naming the backend option and its values', () => {
    expect(() => tuner('bad-backend', { backend: 'gpu' as 'cpu' })).toThrow(
      expect.objectContaining({
        code: 'OPTIONS_INVALID',
        field: 'backend',
        message: expect.stringMatching(/^backend must be one of .*'current'.*"gpu"/),
      }),
    );
  });

  it('an objective that is NaN at every epoch fails the trial saying so', async () => {
    const diverging = (hp: HyperParameters): tf.LayersModel => {
      const model = tinyMlp(hp);
      // log of a negative number: NaN from the first batch
      model.compile({
        optimizer: 'sgd',
        loss: (_y: tf.Tensor, p: tf.Tensor) => tf.mean(tf.log(tf.sub(p, 1e6))),
      });
      return model;
    };
    const t = tuner('nan', { hypermodel: diverging });
    await t.search(data.train.x, data.train.y, {
      epochs: 1,
      batchSize: 64,
      validationData: validation(),
    });
    const [trial] = await trialsOf(t);
    expect(trial?.status).toBe('FAILED');
    expect(trial?.error).toMatch(/'val_loss' was NaN or infinite at every epoch/);
    expect(trial?.error).not.toMatch(/never appeared/);
  });

  it('overlapping seeded sections each draw their own sequence and leave Math.random as it was', async () => {
    const original = Math.random;
    const draws = (seed: number) =>
      withSeededMathRandom(seed, async () => {
        const out: number[] = [];
        for (let i = 0; i < 4; i++) {
          out.push(Math.random());
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        return out;
      });
    const alone = [await draws(1), await draws(2)];
    expect(await Promise.all([draws(1), draws(2)])).toEqual(alone);
    expect(Math.random).toBe(original);
    // a generator the user installed is the one put back, and the one code outside sections uses
    const mine = () => 0.25;
    Math.random = mine;
    try {
      let outside = 0;
      const inside = withSeededMathRandom(3, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return Math.random();
      });
      outside = Math.random(); // while the section is open, from outside it
      expect(await inside).not.toBe(0.25);
      expect(outside).toBe(0.25);
      expect(Math.random).toBe(mine);
    } finally {
      Math.random = original;
    }
  });

  it('a retry replaces the checkpoint of the failed attempt, even with a worse score', async () => {
    const valLosses: number[] = [];
    let attempt = 0;
    const hypermodel = tinyMlpTrainedBy(async (model, x, y, args) => {
      if (attempt++ > 0) return fitModel(model, x, y, { ...args, epochs: 1 });
      await fitModel(model, x, y, args); // checkpoints its better epoch 1, then crashes
      throw new Error('flaky');
    });
    const t = new RandomSearch({
      hypermodel,
      objective: 'val_accuracy',
      maxTrials: 1,
      maxRetriesPerTrial: 1,
      directory: tempDir('retry'),
      storage: 'memory:',
      callbacks: { onEpochEnd: (info) => void valLosses.push(info.logs['val_loss'] ?? NaN) },
    });
    await t.search(data.train.x, data.train.y, {
      epochs: 2,
      batchSize: 64,
      validationData: validation(),
    });
    const [trial] = await trialsOf(t);
    expect(trial?.status).toBe('COMPLETED');
    expect(valLosses).toHaveLength(3); // attempt 0: epochs 0, 1; the retry: epoch 0 again
    expect(valLosses[1]).toBeLessThan(valLosses[0] ?? NaN);
    expect(trial?.userAttrs['best_epoch']).toBe(0);
    const [model] = await t.getBestModels(1);
    if (model === undefined) throw new Error('no best model');
    const metrics = evaluateModel(model, data.test.x, data.test.y, { batchSize: 64 });
    expect(metrics['accuracy']).toBeCloseTo(trial?.values?.[0] ?? NaN, 5);
    model.dispose();
  });
});
