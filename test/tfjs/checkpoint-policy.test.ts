/**
 * Checkpoints are kept in memory while a trial trains and written once when it ends: every
 * trial's (the default), or, with `checkpoints: 'study-best'`, only a trial's that beats the
 * study's best so far. What is written is the best epoch's, whichever epoch came last.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../src/storage/index.js';
import { RandomSearch, ensureBackend } from '../../src/tfjs/index.js';
import type { CheckpointPolicy } from '../../src/tfjs/index.js';
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
  data = await fashionSample(300, 100);
});

/** An artifact store counting the files written per trial. */
class CountingStore extends MemoryArtifactStore {
  readonly writes = new Map<number, number>();
  override async put(study: string, trial: number, name: string, bytes: Uint8Array) {
    this.writes.set(trial, (this.writes.get(trial) ?? 0) + 1);
    return super.put(study, trial, name, bytes);
  }
}

async function search(policy: CheckpointPolicy) {
  const store = new CountingStore();
  const atBest: Float32Array[] = [];
  const tuner = new RandomSearch({
    hypermodel: probedHypermodel(atBest, data.test.x),
    objective: 'val_accuracy',
    maxTrials: 6,
    directory: tempDir('policy'),
    projectName: 'p',
    storage: 'memory:',
    artifacts: store,
    checkpoints: policy,
    seed: 11,
  });
  await tuner.search(data.train.x, data.train.y, {
    epochs: 3,
    batchSize: 32,
    validationData: [data.test.x, data.test.y],
  });
  const trials = (await (await tuner.study()).trials()).sort((a, b) => a.number - b.number);
  return { tuner, store, trials, atBest };
}

describe('checkpoint policy', () => {
  it('every-trial: each trial written once (4 files), with its best epoch', async () => {
    const { tuner, store, trials, atBest } = await search('every-trial');
    expect(trials).toHaveLength(6);
    for (const t of trials) {
      expect(store.writes.get(t.number), `trial ${t.number}`).toBe(4);
      const model = await tuner.loadModel(t);
      expect(predictions(model, data.test.x)).toEqual(atBest[t.number]);
      model.dispose();
    }
    await tuner.close();
  });

  it("study-best: only trials that beat the study's best so far are written", async () => {
    const { tuner, store, trials, atBest } = await search('study-best');
    let best = -Infinity;
    let skipped = 0;
    for (const t of trials) {
      const value = t.values?.[0] ?? -Infinity;
      const beats = value > best;
      expect(store.writes.get(t.number) ?? 0, `trial ${t.number} (${value} vs ${best})`).toBe(
        beats ? 4 : 0,
      );
      if (!beats) skipped++;
      best = Math.max(best, value);
    }
    expect(skipped).toBeGreaterThan(0); // the test says something only if some were skipped
    const [model] = await tuner.getBestModels(1);
    const [bestTrial] = await tuner.getBestTrials(1);
    if (model === undefined || bestTrial === undefined) throw new Error('no best model');
    expect(predictions(model, data.test.x)).toEqual(atBest[bestTrial.number]);
    model.dispose();
    await tuner.close();
  });

  it('rejects another policy with one clear line', () => {
    expect(
      () =>
        new RandomSearch({
          hypermodel: tinyMlp,
          checkpoints: 'sometimes' as CheckpointPolicy,
        }),
    ).toThrow("checkpoints must be 'every-trial' or 'study-best', got \"sometimes\".");
  });
});
