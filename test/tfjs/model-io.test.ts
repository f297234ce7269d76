import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RandomSearch,
  ensureBackend,
  fileSystemHandler,
  loadModel,
  loadWeightsInto,
  predictClasses,
  saveModel,
} from '../../src/tfjs/index.js';
import {
  fashionSample,
  predictions,
  probedHypermodel,
  tempDir,
  tinyMlp,
} from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';
import { HyperParameters } from '../../src/index.js';

let data: Sample;

beforeAll(async () => {
  await ensureBackend('auto');
  data = await fashionSample(300, 100);
});

describe('model files in TensorFlow.js format without tfjs-node', () => {
  it('saves model.json + weights.bin and loads a model predicting exactly the same', async () => {
    const model = tinyMlp(new HyperParameters({ values: { units: 16 } }));
    await model.fit(
      tf.tensor(data.train.x, [300, 28, 28, 1]),
      tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10),
      { epochs: 1, verbose: 0 },
    );
    const dir = tempDir('io');
    await saveModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]?.paths).toEqual(['./weights.bin']);
    const parameters = model.countParams();
    expect(statSync(join(dir, 'weights.bin')).size).toBe(parameters * 4);
    const before = predictions(model, data.test.x);
    const loaded = await loadModel(dir);
    expect(predictions(loaded, data.test.x)).toEqual(before);
    // also through tf.loadLayersModel with the handler, and into a freshly built model
    const viaTf = await tf.loadLayersModel(fileSystemHandler(dir));
    expect(predictions(viaTf, data.test.x)).toEqual(before);
    const rebuilt = tinyMlp(new HyperParameters({ values: { units: 16 } }));
    await loadWeightsInto(rebuilt, dir);
    expect(predictions(rebuilt, data.test.x)).toEqual(before);
    const other = tinyMlp(new HyperParameters({ values: { units: 8 } }));
    await expect(loadWeightsInto(other, dir)).rejects.toThrow(/shape/);
    for (const m of [model, loaded, viaTf, rebuilt, other]) m.dispose();
  });

  it('the best model reloaded from its checkpoint predicts exactly what it predicted when saved', async () => {
    // predictions of each trial's model at its best epoch, taken right after the tuner saved it
    const atBest: Float32Array[] = [];
    const tuner = new RandomSearch({
      hypermodel: probedHypermodel(atBest, data.test.x),
      objective: 'val_accuracy',
      maxTrials: 2,
      directory: tempDir('best'),
      storage: 'memory:',
      seed: 9,
    });
    await tuner.search(data.train.x, data.train.y, {
      epochs: 3,
      validationData: [data.test.x, data.test.y],
    });
    const [best] = await tuner.getBestTrials(1);
    if (best === undefined) throw new Error('no best trial');
    expect(best.userAttrs['checkpoint']).toBe(tuner.checkpointDir(best.number));
    expect(typeof best.userAttrs['best_epoch']).toBe('number');
    const [model] = await tuner.getBestModels(1);
    if (model === undefined) throw new Error('no model');
    expect(predictions(model, data.test.x)).toEqual(atBest[best.number]);
    expect(predictClasses(model, data.test.x)).toHaveLength(100);
    model.dispose();
  });
});
