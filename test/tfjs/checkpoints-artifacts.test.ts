/**
 * Checkpoints across machines: with `artifacts` the best-epoch checkpoints go to a store every
 * worker reaches (the study's database, or a shared directory), so a tuner on "another
 * machine" (another `directory`, the same `storage` and `artifacts`) loads the best models.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HyperParameters } from '../../src/index.js';
import { MemoryArtifactStore } from '../../src/storage/index.js';
import { Hyperband, RandomSearch, ensureBackend } from '../../src/tfjs/index.js';
import { loadModel, loadWeightsInto, saveModel } from '../../src/tfjs/model-io/index.js';
import { loadOptimizerState, saveOptimizerState } from '../../src/tfjs/tuners/optimizer-state.js';
import {
  fashionSample,
  predictions,
  probedHypermodel,
  tempDir,
  tinyMlp,
} from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

let data: Sample;

beforeAll(async () => {
  await ensureBackend('auto');
  data = await fashionSample(200, 100);
});

/** Searches on "machine A", deletes its directory, loads the best model on "machine B". */
async function searchThenLoadElsewhere(storage: string, artifacts: string): Promise<void> {
  const atBest: Float32Array[] = [];
  const directoryA = tempDir('machine-a');
  const first = new RandomSearch({
    hypermodel: probedHypermodel(atBest, data.test.x),
    objective: 'val_accuracy',
    maxTrials: 2,
    directory: directoryA,
    projectName: 'shared',
    storage,
    artifacts,
    seed: 5,
  });
  await first.search(data.train.x, data.train.y, {
    epochs: 2,
    batchSize: 64,
    validationData: [data.test.x, data.test.y],
  });
  const [bestA] = await first.getBestTrials(1);
  if (bestA === undefined) throw new Error('no best trial');
  // nothing went to the project directory
  expect(existsSync(first.checkpointDir(bestA.number))).toBe(false);
  await first.close();
  rmSync(directoryA, { recursive: true, force: true });

  const second = new RandomSearch({
    hypermodel: tinyMlp,
    objective: 'val_accuracy',
    maxTrials: 2,
    directory: tempDir('machine-b'),
    projectName: 'shared',
    storage,
    artifacts,
    seed: 5,
  });
  try {
    const [best] = await second.getBestTrials(1);
    expect(best?.number).toBe(bestA.number);
    const [model] = await second.getBestModels(1);
    if (model === undefined || best === undefined) throw new Error('no best model');
    expect(predictions(model, data.test.x)).toEqual(atBest[best.number]);
    model.dispose();
  } finally {
    await second.close();
  }
}

describe('checkpoints in an artifact store, readable from any machine', () => {
  it("artifacts: 'database' puts them in the study's SQLite database", async () => {
    const dir = tempDir('shared-db');
    await searchThenLoadElsewhere(`sqlite:${join(dir, 'shared.db')}`, 'database');
  }, 30_000);

  it("artifacts: 'file:<shared dir>' puts them in a shared directory", async () => {
    const dir = tempDir('shared-ckpt');
    const shared = join(dir, 'shared-ckpt');
    await searchThenLoadElsewhere(`sqlite:${join(dir, 'shared.db')}`, `file:${shared}`);
    expect(existsSync(shared)).toBe(true);
  }, 30_000);

  it("Hyperband's promoted trials continue their parent from the store (weights and optimizer)", async () => {
    const store = new MemoryArtifactStore();
    const tuner = new Hyperband({
      hypermodel: tinyMlp,
      objective: 'loss',
      maxEpochs: 9,
      factor: 3,
      minEpochs: 3,
      directory: tempDir('hb-store'),
      projectName: 'hb',
      storage: 'memory:',
      artifacts: store,
      seed: 1,
    });
    await tuner.search(data.train.x, data.train.y, {
      batchSize: 64,
      validationData: [data.test.x, data.test.y],
      nTrials: 6,
    });
    const trials = await (await tuner.study()).trials();
    const child = trials[5];
    const parent = child?.oracleAttrs['parentTrial'];
    expect(typeof parent).toBe('number');
    expect(existsSync(tuner.checkpointDir(parent as number))).toBe(false);
    expect((await store.list('hb', parent as number)).map((a) => a.name)).toContain(
      'checkpoint.optimizer.json',
    );
    expect(child?.userAttrs).toMatchObject({ initial_epoch: 3, optimizer_restored: true });
    await tuner.close();
    // a store given as an object is the caller's: still open
    expect((await store.list('hb')).length).toBeGreaterThan(0);
  }, 30_000);

  it('saveModel / loadModel / loadWeightsInto and the optimizer state take a store location', async () => {
    const store = new MemoryArtifactStore();
    const location = { store, studyName: 's', trialNumber: 3, prefix: 'checkpoint' };
    const model = tinyMlp(new HyperParameters({ values: { units: 16 } }));
    const [xs, ys] = [
      tf.tensor(data.train.x, [200, 28, 28, 1]),
      tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10),
    ];
    await model.fit(xs, ys, { epochs: 1, verbose: 0 });
    tf.dispose([xs, ys]);
    await saveOptimizerState(model, location, 0);
    await saveModel(model, location);
    expect((await store.list('s', 3)).map((a) => a.name)).toEqual([
      'checkpoint.model.json',
      'checkpoint.optimizer.bin',
      'checkpoint.optimizer.json',
      'checkpoint.weights.bin',
    ]);
    const before = predictions(model, data.test.x);
    const loaded = await loadModel(location);
    expect(predictions(loaded, data.test.x)).toEqual(before);
    const rebuilt = tinyMlp(new HyperParameters({ values: { units: 16 } }));
    await loadWeightsInto(rebuilt, location);
    expect(predictions(rebuilt, data.test.x)).toEqual(before);
    expect(await loadOptimizerState(rebuilt, location)).toBe(true);
    await expect(loadModel({ ...location, trialNumber: 4 })).rejects.toThrow(/No saved model/);
    for (const m of [model, loaded, rebuilt]) {
      m.optimizer?.dispose();
      m.dispose();
    }
  });
});
