import { rmSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParameters } from '../../src/index.js';
import { RandomSearch, ensureBackend } from '../../src/tfjs/index.js';
import { fashionSample, tempDir, tinyMlp } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

let data: Sample;

beforeAll(async () => {
  await ensureBackend('auto');
  data = await fashionSample(300, 100);
});

/** Leaky on purpose: a stray tensor in build, an optimizer instance the model does not own, a dropout layer. */
function leakyBuild(hp: HyperParameters): tf.LayersModel {
  tf.ones([3, 3]); // never disposed by the user
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(
    tf.layers.dense({ units: hp.Int('units', { min: 8, max: 32, step: 8 }), activation: 'relu' }),
  );
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    optimizer: tf.train.adam(hp.Float('lr', { min: 1e-3, max: 1e-2, sampling: 'log' })),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

describe('tensor hygiene', () => {
  it('tf.memory().numTensors is back at its starting value after each of 5 trials', async () => {
    const counts: number[] = [];
    const start = tf.memory().numTensors;
    const tuner = new RandomSearch({
      hypermodel: leakyBuild,
      objective: 'val_accuracy',
      maxTrials: 5,
      directory: tempDir('leak'),
      storage: 'memory:',
      callbacks: { onTrialEnd: () => void counts.push(tf.memory().numTensors) },
    });
    await tuner.search(data.train.x, data.train.y, {
      epochs: 2,
      batchSize: 50,
      validationData: [data.test.x, data.test.y],
    });
    expect(counts).toEqual([start, start, start, start, start]);
    const trials = await (await tuner.study()).trials();
    expect(
      trials.every((t) => t.status === 'COMPLETED' && t.userAttrs['leaked_tensors'] === undefined),
    ).toBe(true);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('getBestModels disposes the models it loaded when a later checkpoint is missing', async () => {
    const tuner = new RandomSearch({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxTrials: 2,
      directory: tempDir('leak-best'),
      storage: 'memory:',
    });
    await tuner.search(data.train.x, data.train.y, {
      epochs: 1,
      batchSize: 50,
      validationData: [data.test.x, data.test.y],
    });
    const [, second] = await tuner.getBestTrials(2);
    if (second === undefined) throw new Error('two trials expected');
    rmSync(tuner.checkpointDir(second.number), { recursive: true });
    const start = tf.memory().numTensors;
    await expect(tuner.getBestModels(2)).rejects.toMatchObject({ code: 'CHECKPOINT_MISSING' });
    expect(tf.memory().numTensors).toBe(start);
  });
});
