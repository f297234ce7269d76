import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParameters } from '../../src/index.js';
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
import type { FitArgs, Tuner, TunerInput } from '../../src/tfjs/index.js';
import { fashionSample, tempDir, tinyMlp } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

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
    const build = (hp: HyperParameters): tf.LayersModel => {
      const units = hp.Choice('units', [8, 16]);
      const model = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({ units, activation: 'relu' }),
          tf.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.compile({
        optimizer: tf.train.adam(0.01),
        loss: 'categoricalCrossentropy',
        metrics: ['accuracy'],
      });
      return model;
    };
    const tuner = new GridSearch({
      hypermodel: build,
      objective: 'val_accuracy',
      directory: tempDir('grid'),
      storage: 'memory:',
    });
    await searchAndCheck(tuner, 2);
    expect((await (await tuner.study()).trials()).map((t) => t.params['units'])).toEqual([8, 16]);
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
