/**
 * Hyperband with TensorFlow.js models on a small real Fashion-MNIST sample: promoted trials
 * continue their parent's training (weights and optimizer state), the plan is announced, the
 * epoch budget holds, and a search stopped mid-bracket resumes where it was.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HyperParameters, HyperbandOracle, TpeOracle } from '../../src/index.js';
import type { Trial } from '../../src/index.js';
import { Hyperband, ensureBackend, fitModel } from '../../src/tfjs/index.js';
import type { HyperbandPlanInfo } from '../../src/tfjs/tuners/hyperband.js';
import {
  OPTIMIZER_JSON_FILE,
  loadOptimizerState,
  saveOptimizerState,
} from '../../src/tfjs/tuners/optimizer-state.js';
import { fashionSample, tempDir, tinyMlp } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

let data: Sample;

beforeAll(async () => {
  data = await fashionSample();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const searchArgs = () =>
  ({
    batchSize: 64,
    validationData: [data.test.x, data.test.y],
  }) as const;

const lossAt = (trial: Trial | undefined, step: number): number => {
  const value = trial?.intermediate.find((v) => v.step === step)?.metrics['loss'];
  if (value === undefined) throw new Error(`trial ${trial?.number} has no loss at step ${step}`);
  return value;
};

const hb = (trial: Trial) => trial.oracleAttrs as Record<string, number | null>;

describe('Hyperband on a Fashion-MNIST sample', () => {
  it("a promoted trial continues its parent's curve, with the optimizer's state", async () => {
    // maxEpochs 9, factor 3, minEpochs 3: bracket 1 trains 5 configurations for 3 epochs, then
    // continues the best 2 up to 9 epochs; 6 trials = round 0 and the first promotion
    const tuner = new Hyperband({
      hypermodel: tinyMlp,
      objective: 'loss',
      maxEpochs: 9,
      factor: 3,
      minEpochs: 3,
      directory: tempDir('hb-curve'),
      storage: 'memory:',
      seed: 1,
    });
    await tuner.search(data.train.x, data.train.y, { ...searchArgs(), nTrials: 6 });
    const trials = await (await tuner.study()).trials();
    expect(trials).toHaveLength(6);
    const child = trials[5] as Trial;
    expect(hb(child)).toMatchObject({ bracket: 1, round: 1, initialEpoch: 3, epochs: 9 });
    const parent = trials[hb(child)['parentTrial'] as number];
    expect(parent?.params).toEqual(child.params);
    expect(parent?.userAttrs['best_epoch']).toBe(2);
    expect(existsSync(join(tuner.checkpointDir(parent?.number ?? -1), OPTIMIZER_JSON_FILE))).toBe(
      true,
    );
    expect(child.userAttrs).toMatchObject({ initial_epoch: 3, optimizer_restored: true });
    expect(child.intermediate.map((v) => v.step)).toEqual([3, 4, 5, 6, 7, 8]);
    // saving and restoring the optimizer's state leaks no tensor
    expect(trials.filter((t) => t.userAttrs['leaked_tensors'] !== undefined)).toEqual([]);
    // its first epoch (epoch 4) starts near where the parent ended (epoch 3), far from where a
    // fresh model of the same configuration starts (the parent's first epoch)
    const parentEnd = lossAt(parent, 2);
    const fresh = lossAt(parent, 0);
    const continued = lossAt(child, 3);
    expect(Math.abs(continued - parentEnd)).toBeLessThan(Math.abs(fresh - parentEnd));
    expect(continued).toBeLessThan(fresh);
  });

  it('saves and restores the (fused) Adam state: moments and step count', async () => {
    await ensureBackend('auto');
    const dir = tempDir('hb-optimizer');
    const build = () => tinyMlp(new HyperParameters());
    const a = build();
    await fitModel(a, data.train.x, data.train.y, { epochs: 1, batchSize: 100 });
    expect(await saveOptimizerState(a, dir, 0)).toBe(true);
    const b = build();
    expect(await loadOptimizerState(b, dir)).toBe(true);
    const [wa, wb] = [await a.optimizer.getWeights(), await b.optimizer.getWeights()];
    expect(wb.map((w) => w.tensor.shape)).toEqual(wa.map((w) => w.tensor.shape));
    expect(wa).toHaveLength(1 + 2 * a.trainableWeights.length);
    expect(wb[0]?.tensor.dataSync()[0]).toBe(4); // 400 samples / batch 100 = 4 steps
    wa.forEach((w, i) =>
      expect(Array.from(wb[i]?.tensor.dataSync() ?? [])).toEqual(Array.from(w.tensor.dataSync())),
    );
    expect(Math.max(...Array.from(wa[1]?.tensor.dataSync() ?? []).map(Math.abs))).toBeGreaterThan(
      0,
    );
    tf.dispose([wa[0]?.tensor, wb[0]?.tensor] as tf.Tensor[]);
    for (const m of [a, b]) {
      m.optimizer.dispose();
      m.dispose();
    }
  });

  it('announces the plan before the first trial and says search() epochs are ignored', async () => {
    const infos: HyperbandPlanInfo[] = [];
    const order: string[] = [];
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const tuner = new Hyperband({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxEpochs: 3,
      factor: 3,
      directory: tempDir('hb-plan'),
      storage: 'memory:',
      callbacks: {
        onHyperbandPlan: (info) => void (infos.push(info), order.push('plan')),
        onTrialStart: () => void order.push('trial'),
      },
    });
    expect(tuner.plan.totalEpochs).toBe(11);
    await tuner.search(data.train.x, data.train.y, {
      ...searchArgs(),
      epochs: 50,
      nTrials: 1,
      verbose: 1,
    });
    expect(order.slice(0, 2)).toEqual(['plan', 'trial']);
    const [info] = infos;
    expect(info?.message).toMatch(
      /^Hyperband plan: 6 trials, 11 epochs in 2 brackets \(maxEpochs 3, factor 3/,
    );
    expect(info?.message).toMatch(/ignores search\(\)'s epochs \(50\)/);
    expect(info?.plannedEpochs).toBe(11);
    expect(written.join('')).toContain('Hyperband plan: 6 trials, 11 epochs in 2 brackets');
    // the trial trained its round's epochs, not 50
    const [first] = await (await tuner.study()).trials();
    expect(first?.intermediate).toHaveLength(1);
    // a keras-tuner trap avoided: factor < 2 is refused at once
    expect(() => new Hyperband({ hypermodel: tinyMlp, factor: 1.5, storage: 'memory:' })).toThrow(
      /factor/,
    );
  });

  it('hands its sampler to the oracle (model-based Hyperband)', () => {
    const sampler = new TpeOracle({ seed: 3, nStartupTrials: 5 });
    const tuner = new Hyperband({
      hypermodel: tinyMlp,
      directory: tempDir('hb-sampler'),
      storage: 'memory:',
      sampler,
    });
    expect(tuner.oracle).toBeInstanceOf(HyperbandOracle);
    expect((tuner.oracle as HyperbandOracle).sampler).toBe(sampler);
  });

  it('maxEpochsTotal caps the epochs trained', async () => {
    let epochs = 0;
    const infos: HyperbandPlanInfo[] = [];
    const tuner = new Hyperband({
      hypermodel: tinyMlp,
      objective: 'val_accuracy',
      maxEpochs: 3,
      factor: 3,
      maxEpochsTotal: 6,
      directory: tempDir('hb-cap'),
      storage: 'memory:',
      callbacks: {
        onEpochEnd: () => void epochs++,
        onHyperbandPlan: (info) => void infos.push(info),
      },
    });
    const result = await tuner.search(data.train.x, data.train.y, searchArgs());
    // bracket 1: 3 trials x 1 epoch, 1 promoted x 2 more = 5; bracket 0's 3-epoch trial would pass 6
    expect(epochs).toBe(5);
    expect(result.reason).toMatch(/maxEpochsTotal/);
    expect(infos[0]?.plannedEpochs).toBe(6);
    expect(infos[0]?.message).toContain('capped at 6 epochs by maxEpochsTotal');
  });

  it('resumes a search stopped mid-bracket without re-running finished rounds', async () => {
    const directory = tempDir('hb-resume');
    const make = (onEpoch: () => void, infos: HyperbandPlanInfo[] = []) =>
      new Hyperband({
        hypermodel: tinyMlp,
        objective: 'val_accuracy',
        maxEpochs: 3,
        factor: 3,
        directory,
        projectName: 'p',
        seed: 4,
        callbacks: { onEpochEnd: onEpoch, onHyperbandPlan: (info) => void infos.push(info) },
      });
    // the "crash": the first process stops after round 0 of bracket 1 (3 trials, 3 epochs)
    let firstEpochs = 0;
    const first = make(() => void firstEpochs++);
    const stop = new AbortController();
    let started = 0;
    await first.search(data.train.x, data.train.y, {
      ...searchArgs(),
      signal: stop.signal,
      callbacks: [
        {
          onTrainBegin: () => {
            if (++started === 3) stop.abort();
          },
        },
      ],
    });
    await first.close();
    expect(firstEpochs).toBe(3);
    // a new process opens the same project and finishes the plan
    let secondEpochs = 0;
    const infos: HyperbandPlanInfo[] = [];
    const second = make(() => void secondEpochs++, infos);
    const result = await second.search(data.train.x, data.train.y, searchArgs());
    expect(infos[0]?.message).toContain('resuming: 3 trials (3 epochs) already done');
    expect(result.trialsRun).toBe(3);
    expect(secondEpochs).toBe(11 - 3);
    const trials = await (await second.study()).trials();
    expect(trials).toHaveLength(6);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    // the promotion made by the second process continued a trial of the first one
    const promoted = trials.find((t) => hb(t)['parentTrial'] !== null) as Trial;
    expect(promoted.number).toBe(3);
    expect(hb(promoted)['parentTrial']).toBeLessThan(3);
    expect(promoted.userAttrs).toMatchObject({ initial_epoch: 1, optimizer_restored: true });
    expect(promoted.intermediate.map((v) => v.step)).toEqual([1, 2]);
    // each round-0 configuration ran once
    const round0 = trials.filter((t) => hb(t)['bracket'] === 1 && hb(t)['round'] === 0);
    expect(round0.map((t) => t.number)).toEqual([0, 1, 2]);
    await second.close();
  });

  it("a promoted trial whose parent's checkpoint is gone trains from scratch", async () => {
    const directory = tempDir('hb-lost');
    const make = () =>
      new Hyperband({
        hypermodel: tinyMlp,
        objective: 'val_accuracy',
        maxEpochs: 3,
        factor: 3,
        directory,
        projectName: 'p',
        seed: 4,
      });
    const first = make();
    await first.search(data.train.x, data.train.y, { ...searchArgs(), nTrials: 3 });
    for (const n of [0, 1, 2]) rmSync(join(first.checkpointDir(n), '..'), { recursive: true });
    await first.close();
    const second = make();
    await second.search(data.train.x, data.train.y, { ...searchArgs(), nTrials: 1 });
    const promoted = (await (await second.study()).trials())[3] as Trial;
    expect(hb(promoted)).toMatchObject({ round: 1, initialEpoch: 1, epochs: 3 });
    expect(promoted.userAttrs).toMatchObject({ initial_epoch: 0, optimizer_restored: false });
    expect(promoted.intermediate.map((v) => v.step)).toEqual([0, 1, 2]);
    await second.close();
  });

  it("over training-set size, trains every round search()'s epochs from scratch on a larger nested subset", async () => {
    const infos: HyperbandPlanInfo[] = [];
    const directory = tempDir('hb-samples');
    const make = (fidelity: 'epochs' | 'samples') =>
      new Hyperband({
        hypermodel: tinyMlp,
        objective: 'val_accuracy',
        maxEpochs: 4,
        factor: 2,
        fidelity,
        checkpoints: 'study-best',
        directory,
        projectName: 'p',
        seed: 2,
        callbacks: { onHyperbandPlan: (info) => void infos.push(info) },
      });
    const tuner = make('samples');
    const result = await tuner.search(data.train.x, data.train.y, { ...searchArgs(), epochs: 2 });
    expect(result.reason).toMatch(/finished its 3 brackets/);
    // brackets 2 (4, 2, 1 trials on 1/4, 1/2, all), 1 (3, 2) and 0 (3): 38 units of 1/4 of the set
    expect(infos[0]?.message).toMatch(
      /^Hyperband plan over training-set size: 15 trials in 3 brackets \(maxEpochs 4, factor 2.*search\(\)'s epochs from scratch on 1\/4, 1\/2, all of the training examples.*as much training as 9\.5 trials on all of them\.$/,
    );
    expect(infos[0]?.message).not.toMatch(/ignores/);
    expect(infos[0]?.plannedEpochs).toBe(38);
    const trials = await (await tuner.study()).trials();
    expect(trials).toHaveLength(15);
    const n = data.train.y.length;
    const sizes = new Map([1, 2, 4].map((r) => [r, (n * r) / 4]));
    for (const t of trials) {
      expect(t.status).toBe('COMPLETED');
      const size = sizes.get(hb(t)['epochs'] as number);
      expect(t.userAttrs['training_set_size']).toBe(size);
      expect(t.userAttrs['trained_samples']).toBe(2 * (size as number));
      // search()'s 2 epochs, from epoch 0, whatever the round
      expect(t.intermediate.map((v) => v.step)).toEqual([0, 1]);
      expect(t.userAttrs['initial_epoch']).toBe(0);
      expect(t.userAttrs['optimizer_restored']).toBeUndefined();
    }
    const promoted = trials.filter((t) => hb(t)['parentTrial'] !== null);
    expect(promoted).toHaveLength(2 + 1 + 2);
    for (const child of promoted) {
      const parent = trials[hb(child)['parentTrial'] as number] as Trial;
      expect(child.params).toEqual(parent.params);
      expect(child.userAttrs['training_set_size'] as number).toBeGreaterThan(
        parent.userAttrs['training_set_size'] as number,
      );
    }
    // no promoted trial reads its parent's checkpoint: only a new study best writes one
    expect(trials.filter((t) => t.userAttrs['checkpoint'] === undefined).length).toBeGreaterThan(0);
    // the study says its fidelity, and refuses to go on over epochs
    expect((await (await tuner.study()).refresh()).userAttrs['hyperband_fidelity']).toBe('samples');
    await tuner.close();
    const overEpochs = make('epochs');
    await expect(overEpochs.search(data.train.x, data.train.y, searchArgs())).rejects.toThrow(
      /Hyperband option 'fidelity' is 'epochs', but study 'p' was searched over 'samples'/,
    );
    await overEpochs.close();
    expect(
      () =>
        new Hyperband({
          hypermodel: tinyMlp,
          storage: 'memory:',
          fidelity: 'rows' as 'samples',
        }),
    ).toThrow(/Hyperband option 'fidelity' must be one of 'epochs', 'samples'; got "rows"/);
  });
});
