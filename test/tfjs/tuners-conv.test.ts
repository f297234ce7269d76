import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParameters } from '../../src/index.js';
import { RandomSearch } from '../../src/tfjs/index.js';
import { fashionSample, tempDir } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

let data: Sample;

beforeAll(async () => {
  data = await fashionSample(300, 100);
});

function smallCnn(hp: HyperParameters): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: hp.Choice('filters', [4, 8]),
      kernelSize: 3,
      activation: 'relu',
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    optimizer: tf.train.adam(hp.Choice('learning_rate', [0.01, 0.003])),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

describe('a Conv2D hypermodel', () => {
  it('is searched on the default backend (WASM needs the Conv2DBackpropFilter kernel)', async () => {
    const tuner = new RandomSearch({
      hypermodel: smallCnn,
      objective: 'val_accuracy',
      maxTrials: 2,
      directory: tempDir('conv'),
      storage: 'memory:',
      seed: 1,
    });
    const before = tf.memory().numTensors;
    await tuner.search(data.train.x, data.train.y, {
      epochs: 2,
      batchSize: 32,
      validationData: [data.test.x, data.test.y],
    });
    const trials = await (await tuner.study()).trials();
    expect(trials.map((t) => [t.status, t.error])).toEqual([
      ['COMPLETED', undefined],
      ['COMPLETED', undefined],
    ]);
    // better than chance after two epochs on 300 images
    expect(Math.max(...trials.map((t) => t.values?.[0] ?? 0))).toBeGreaterThan(0.3);
    expect(tf.memory().numTensors).toBe(before);
    const [model] = await tuner.getBestModels(1);
    expect(model?.layers[0]?.getClassName()).toBe('Conv2D');
    model?.dispose();
  });
});
