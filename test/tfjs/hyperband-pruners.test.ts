/**
 * The other road to multi-fidelity: a pruner on any tfjs tuner. A pruned trial stops training
 * at the end of the epoch it was pruned at, ends PRUNED with its last value, and the next
 * trial starts at once.
 */
import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParameters, Pruner, Trial } from '../../src/index.js';
import { MedianPruner, SuccessiveHalvingPruner } from '../../src/index.js';
import { BayesianOptimization, RandomSearch } from '../../src/tfjs/index.js';
import type { Tuner } from '../../src/tfjs/index.js';
import { denseOf, fashionSample, tempDir } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

let data: Sample;

beforeAll(async () => {
  data = await fashionSample();
});

/** A space where the learning rate decides: 1e-5 barely learns in a few epochs. */
function mlp(hp: HyperParameters): tf.LayersModel {
  const units = hp.Int('units', { min: 8, max: 16, step: 8 });
  return denseOf(units, hp.Float('learning_rate', { min: 1e-5, max: 3e-2, sampling: 'log' }));
}

const EPOCHS = 4;

async function searchPruned(
  make: (pruner: Pruner, directory: string) => Tuner,
  pruner: Pruner,
): Promise<Trial[]> {
  const trained = new Map<number, number>();
  const order: string[] = [];
  const tuner = make(pruner, tempDir('prune'));
  await tuner.search(data.train.x, data.train.y, {
    epochs: EPOCHS,
    batchSize: 64,
    validationData: [data.test.x, data.test.y],
    callbacks: [
      {
        onTrainBegin: () => void order.push('begin'),
        onEpochEnd: () => void order.push('epoch'),
      },
    ],
  });
  const trials = await (await tuner.study()).trials();
  const pruned = trials.filter((t) => t.status === 'PRUNED');
  // (ASHA's second rung is the last epoch: a trial may be pruned there too)
  expect(pruned.some((t) => t.intermediate.length < EPOCHS)).toBe(true);
  expect(trials.every((t) => t.status === 'COMPLETED' || t.status === 'PRUNED')).toBe(true);
  for (const trial of trials) {
    trained.set(trial.number, trial.intermediate.length);
    if (trial.status === 'COMPLETED') expect(trial.intermediate).toHaveLength(EPOCHS);
  }
  for (const trial of pruned) {
    // stopped at the end of the epoch it was pruned at, with that epoch's value as its score
    const last = trial.intermediate[trial.intermediate.length - 1];
    expect(trial.intermediate.length).toBeLessThanOrEqual(EPOCHS);
    expect(trial.values?.[0]).toBe(last?.value);
  }
  // no epoch trained beyond those reported: a pruned trial frees its worker at once
  const epochsPerRun = order
    .join(' ')
    .split('begin')
    .slice(1)
    .map((run) => run.trim().split(' ').filter(Boolean).length);
  expect(epochsPerRun).toEqual(trials.map((t) => trained.get(t.number)));
  await tuner.close();
  return trials;
}

describe('pruners with the tfjs tuners', () => {
  it('RandomSearch + MedianPruner', async () => {
    await searchPruned(
      (pruner, directory) =>
        new RandomSearch({
          hypermodel: mlp,
          objective: 'val_accuracy',
          maxTrials: 6,
          directory,
          storage: 'memory:',
          seed: 7,
          pruner,
        }),
      new MedianPruner({ nStartupTrials: 2 }),
    );
  });

  it('BayesianOptimization + SuccessiveHalvingPruner (ASHA)', async () => {
    await searchPruned(
      (pruner, directory) =>
        new BayesianOptimization({
          hypermodel: mlp,
          objective: 'val_accuracy',
          maxTrials: 6,
          numInitialPoints: 3,
          directory,
          storage: 'memory:',
          seed: 7,
          pruner,
        }),
      new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
    );
  });

  it('refuses a pruner on a multi-objective study (PRUNING_MULTI_OBJECTIVE)', async () => {
    const tuner = new RandomSearch({
      hypermodel: mlp,
      objective: ['val_accuracy', 'val_loss'],
      maxTrials: 1,
      directory: tempDir('prune-multi'),
      storage: 'memory:',
      pruner: new MedianPruner(),
    });
    await expect(
      tuner.search(data.train.x, data.train.y, {
        epochs: 1,
        validationData: [data.test.x, data.test.y],
      }),
    ).rejects.toMatchObject({ code: 'PRUNING_MULTI_OBJECTIVE' });
    expect(await (await tuner.study()).trials()).toEqual([]);
  });
});
