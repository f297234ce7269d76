/**
 * The ready-made hypermodels: the article's MLP presets declare the article's spaces; HyperResNet,
 * HyperXception and HyperImageAugment (in front of a classifier) each complete a 2-trial search
 * on a small image set on the default backend (WASM with hypertuner's kernels) without leaking
 * a tensor; the augmentation layer does what it says on images whose answer is known.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HyperParameters } from '../../src/index.js';
import type { HyperModelLike } from '../../src/tfjs/index.js';
import {
  HyperImageAugment,
  HyperMLP,
  HyperResNet,
  HyperXception,
  RandomSearch,
  augmentImages,
  ensureBackend,
  loadModel,
  modelSummary,
  modelSummaryRows,
  saveModel,
} from '../../src/tfjs/index.js';
import { withSeededMathRandom } from '../../src/tfjs/tuners/seeded-random.js';
import { fashionSample, tempDir } from './tuner-fixtures.js';
import type { Sample } from './tuner-fixtures.js';

/** 14×14 images: each 2×2 block of a 28×28 one averaged. */
function halve(x: Float32Array): Float32Array {
  const n = x.length / 784;
  const out = new Float32Array(n * 196);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < 14; r++)
      for (let c = 0; c < 14; c++) {
        const at = (y: number, xx: number): number => x[i * 784 + y * 28 + xx] as number;
        out[i * 196 + r * 14 + c] =
          (at(2 * r, 2 * c) +
            at(2 * r, 2 * c + 1) +
            at(2 * r + 1, 2 * c) +
            at(2 * r + 1, 2 * c + 1)) /
          4;
      }
  return out;
}

let small: { trainX: Float32Array; trainY: Int32Array; valX: Float32Array; valY: Int32Array };
let backend = '';

beforeAll(async () => {
  backend = (await ensureBackend('auto')).name;
  const data: Sample = await fashionSample(160, 80);
  small = {
    trainX: halve(data.train.x),
    trainY: data.train.y,
    valX: halve(data.test.x),
    valY: data.test.y,
  };
});

/** A 2-trial random search on the 14×14 images; the trials, and the tensors left over. */
async function twoTrials(hypermodel: HyperModelLike, name: string) {
  const tuner = new RandomSearch({
    hypermodel,
    objective: 'val_accuracy',
    maxTrials: 2,
    directory: tempDir(name),
    storage: 'memory:',
    seed: 3,
  });
  const before = tf.memory().numTensors;
  await tuner.search(small.trainX, small.trainY, {
    epochs: 1,
    batchSize: 32,
    validationData: [small.valX, small.valY],
  });
  const leaked = tf.memory().numTensors - before;
  const trials = await (await tuner.study()).trials();
  const [best] = await tuner.getBestModels(1);
  const layers = best === undefined ? [] : best.layers.map((l) => l.getClassName());
  best?.dispose();
  await tuner.close();
  return { trials, leaked, layers };
}

function spaceOf(build: (hp: HyperParameters) => tf.LayersModel): HyperParameters {
  const hp = new HyperParameters();
  build(hp).dispose();
  return hp;
}

describe('HyperMLP: the article experiments as presets', () => {
  const common = { inputShape: [32, 32, 3], classes: 10 } as const;

  it("declares each experiment's space with the article's names and ranges", () => {
    const one = spaceOf((hp) => new HyperMLP({ ...common, experiment: 1 }).build(hp));
    expect(one.space.parameters.map((p) => p.name)).toEqual([
      'u_1',
      'a_1',
      'u_2',
      'a_2',
      'u_3',
      'a_3',
    ]);
    expect(one.space.get('u_2')).toMatchObject({ kind: 'int', min: 16, max: 256, step: 16 });
    expect(one.space.get('a_3')).toMatchObject({
      kind: 'choice',
      values: ['relu', 'tanh', 'elu', 'selu', 'swish'],
    });
    const two = spaceOf((hp) => new HyperMLP({ ...common, experiment: 2 }).build(hp));
    expect(two.space.get('num_layers')).toMatchObject({ kind: 'int', min: 2, max: 4 });
    expect(two.space.get('units_1')).toMatchObject({ min: 64, max: 512, step: 64 });
    // the default trial has 2 layers: units_2 and units_3 are not declared, hence not modelled
    expect(two.space.has('units_2')).toBe(false);
    const three = spaceOf((hp) => new HyperMLP({ ...common, experiment: 3 }).build(hp));
    expect(three.space.parameters.map((p) => p.name)).toEqual(['num_layers']);
    expect(three.space.get('num_layers')).toMatchObject({ min: 2, max: 20 });
  });

  it('builds the layers the values say, conditional widths included, and tunes the learning rate on request', () => {
    const hp = new HyperParameters({
      values: { num_layers: 4, units_0: 64, units_1: 128, units_2: 192, units_3: 256 },
    });
    const model = new HyperMLP({ ...common, experiment: 2 }).build(hp);
    const rows = modelSummaryRows(model);
    expect(rows.map((r) => [r.type, r.outputShape, r.activation])).toEqual([
      ['Flatten', '[null, 3072]', ''],
      ['Dense', '[null, 64]', 'relu'],
      ['Dense', '[null, 128]', 'relu'],
      ['Dense', '[null, 192]', 'relu'],
      ['Dense', '[null, 256]', 'relu'],
      ['Dense', '[null, 10]', 'softmax'],
    ]);
    expect(rows[1]?.params).toBe(3072 * 64 + 64);
    expect(hp.space.get('units_3')?.conditions).toEqual([
      { parentName: 'num_layers', values: [4] },
    ]);
    const summary = modelSummary(model);
    expect(summary).toContain(`Total params: ${model.countParams().toLocaleString('en-US')}`);
    model.dispose();
    const three = new HyperParameters({ values: { num_layers: 7 } });
    const deep = new HyperMLP({
      ...common,
      experiment: 3,
      learningRate: { min: 1e-4, max: 1e-2 },
    }).build(three);
    expect(modelSummaryRows(deep).filter((r) => r.activation === 'elu').length).toBe(7);
    expect(three.space.get('learning_rate')).toMatchObject({ kind: 'float', sampling: 'log' });
    deep.dispose();
  });

  it('refuses a bad experiment, shape or class count with HYPERMODEL_INVALID naming the field', () => {
    expect(() => new HyperMLP({ ...common, experiment: 4 as 1 })).toThrow(
      expect.objectContaining({ code: 'HYPERMODEL_INVALID', field: 'experiment' }),
    );
    expect(() => new HyperResNet({ inputShape: [28, 28], classes: 10 })).toThrow(
      expect.objectContaining({ code: 'HYPERMODEL_INVALID', field: 'inputShape' }),
    );
    expect(() => new HyperXception({ inputShape: [28, 28, 1], classes: 1 })).toThrow(
      expect.objectContaining({ code: 'HYPERMODEL_INVALID', field: 'classes' }),
    );
    expect(() => new HyperImageAugment({ inputShape: [28, 28, 1], rotate: 2 })).toThrow(
      expect.objectContaining({ code: 'HYPERMODEL_INVALID', field: 'rotate' }),
    );
  });
});

describe('Keras Tuner applications on the default backend', () => {
  it('runs on WASM with hypertuner kernels (unless tfjs-node is installed)', () => {
    expect(['wasm', 'tensorflow']).toContain(backend);
  });

  it('HyperResNet completes a 2-trial search without leaking a tensor', async () => {
    const { trials, leaked, layers } = await twoTrials(
      new HyperResNet({ inputShape: [14, 14, 1], classes: 10 }),
      'resnet',
    );
    expect(trials.map((t) => [t.status, t.error])).toEqual([
      ['COMPLETED', undefined],
      ['COMPLETED', undefined],
    ]);
    expect(trials.every((t) => ['v1', 'v2'].includes(t.params['version'] as string))).toBe(true);
    expect(leaked).toBe(0);
    expect(layers).toContain('Add');
    expect(layers).toContain('BatchNormalization');
  });

  it('HyperXception completes a 2-trial search without leaking a tensor', async () => {
    const { trials, leaked, layers } = await twoTrials(
      new HyperXception({ inputShape: [14, 14, 1], classes: 10 }),
      'xception',
    );
    expect(trials.map((t) => [t.status, t.error])).toEqual([
      ['COMPLETED', undefined],
      ['COMPLETED', undefined],
    ]);
    expect(leaked).toBe(0);
    expect(layers).toContain('SeparableConv2D');
  });

  it('HyperImageAugment in front of a classifier completes a 2-trial search without leaking a tensor', async () => {
    const augment = new HyperImageAugment({
      inputShape: [14, 14, 1],
      flips: ['horizontal', 'vertical'],
      augmentLayers: [1, 2],
    });
    const { trials, leaked, layers } = await twoTrials(
      new HyperMLP({ inputShape: [14, 14, 1], classes: 10, experiment: 2, augment }),
      'augment',
    );
    expect(trials.map((t) => [t.status, t.error])).toEqual([
      ['COMPLETED', undefined],
      ['COMPLETED', undefined],
    ]);
    expect(leaked).toBe(0);
    for (const t of trials) {
      expect([1, 2]).toContain(t.params['augment_layers']);
      expect(t.params['factor_rotate']).toBeLessThanOrEqual(0.5);
      expect(t.params['factor_translate_x']).toBeLessThanOrEqual(0.4);
    }
    expect(layers.slice(0, 2)).toEqual(['InputLayer', 'HypertunerImageAugmentation']);
  });

  it('build every version, activation and pooling for colour images, large ones with the ImageNet stem', () => {
    const out = (model: tf.LayersModel): unknown[] => {
      const shape = [model.outputs[0]?.shape, model.layers.length > 0];
      model.dispose();
      return shape;
    };
    for (const version of ['v1', 'v2'])
      for (const inputShape of [
        [32, 32, 3],
        [96, 96, 3],
      ])
        expect(
          out(
            new HyperResNet({ inputShape, classes: 7 }).build(
              new HyperParameters({ values: { version, conv4_depth: 3 } }),
            ),
          ),
        ).toEqual([[null, 7], true]);
    const big = new HyperResNet({ inputShape: [96, 96, 3], classes: 7 }).build(
      new HyperParameters(),
    );
    expect(big.layers.map((l) => l.name)).toContain('pool1_pool');
    big.dispose();
    for (const activation of ['relu', 'selu'])
      for (const pooling of ['avg', 'flatten', 'max'])
        expect(
          out(
            new HyperXception({ inputShape: [32, 32, 3], classes: 10 }).build(
              new HyperParameters({ values: { activation, pooling, num_dense_layers: 2 } }),
            ),
          ),
        ).toEqual([[null, 10], true]);
  });
});

describe('the augmentation layer', () => {
  /** A batch of `n` h×w one-channel images with pixel (y, x) of image i = f(i, y, x). */
  function images(n: number, h: number, w: number, f: (i: number, y: number, x: number) => number) {
    const data = new Float32Array(n * h * w);
    for (let i = 0; i < n; i++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) data[(i * h + y) * w + x] = f(i, y, x);
    return tf.tensor4d(data, [n, h, w, 1]);
  }

  const augment = (x: tf.Tensor4D, config: Parameters<typeof augmentImages>[1]) =>
    withSeededMathRandom(11, () => augmentImages(x, config));

  const none = { transforms: [], mode: 'all', flipHorizontal: false, flipVertical: false } as const;

  it('flips each image left-right or leaves it, both happening in a batch of 32', async () => {
    const x = images(32, 5, 6, (i, y, xx) => i * 100 + y * 10 + xx);
    const out = await augment(x, { ...none, flipHorizontal: true });
    const a = (await out.array()) as number[][][][];
    let flipped = 0;
    a.forEach((img, i) => {
      const same = img.every((row, y) => row.every((p, xx) => p[0] === i * 100 + y * 10 + xx));
      const mirrored = img.every((row, y) =>
        row.every((p, xx) => p[0] === i * 100 + y * 10 + (5 - xx)),
      );
      expect(same || mirrored).toBe(true);
      if (mirrored) flipped++;
    });
    expect(flipped).toBeGreaterThan(4);
    expect(flipped).toBeLessThan(28);
    tf.dispose([x, out]);
  });

  it('translates along x without changing images constant along x, and keeps each image centre under rotation', async () => {
    const stripes = images(8, 7, 7, (i, y) => i + y);
    const moved = await augment(stripes, {
      ...none,
      transforms: [{ name: 'translate_x', factor: 0.4 }],
    });
    expect(Array.from(await moved.data())).toEqual(
      Array.from(await stripes.data()).map((v) => expect.closeTo(v, 5)),
    );
    const x = images(8, 7, 7, (i, y, xx) => (i + 1) * (y * 7 + xx));
    const turned = await augment(x, { ...none, transforms: [{ name: 'rotate', factor: 0.5 }] });
    const before = (await x.array()) as number[][][][];
    const after = (await turned.array()) as number[][][][];
    let changed = 0;
    for (let i = 0; i < 8; i++) {
      expect(after[i]?.[3]?.[3]?.[0]).toBeCloseTo(before[i]?.[3]?.[3]?.[0] as number, 3);
      if (Math.abs((after[i]?.[0]?.[0]?.[0] ?? 0) - (before[i]?.[0]?.[0]?.[0] ?? 0)) > 1e-3)
        changed++;
    }
    expect(changed).toBeGreaterThan(0);
    tf.dispose([stripes, moved, x, turned]);
  });

  it("scales each image's contrast about its mean by a factor within [1 - f, 1 + f]", async () => {
    const x = images(16, 4, 4, (i, y, xx) => ((i * 7 + y * 3 + xx * 5) % 11) / 10);
    const out = await augment(x, { ...none, transforms: [{ name: 'contrast', factor: 0.3 }] });
    const a = await x.data();
    const b = await out.data();
    for (let i = 0; i < 16; i++) {
      const xs = Array.from(a.subarray(i * 16, i * 16 + 16));
      const ys = Array.from(b.subarray(i * 16, i * 16 + 16));
      const mean = xs.reduce((s, v) => s + v, 0) / 16;
      const scale = (ys[0]! - mean) / (xs[0]! - mean);
      expect(scale).toBeGreaterThanOrEqual(0.7 - 1e-4);
      expect(scale).toBeLessThanOrEqual(1.3 + 1e-4);
      xs.forEach((v, k) => expect(ys[k]).toBeCloseTo(mean + (v - mean) * scale, 4));
    }
    tf.dispose([x, out]);
  });

  it('leaves images alone outside training, and a model with it saves and loads with tf.loadLayersModel', async () => {
    const hp = new HyperParameters({ values: { augment_layers: 2, flip_horizontal: true } });
    const model = new HyperImageAugment({ inputShape: [6, 6, 1] }).build(hp);
    const x = images(4, 6, 6, (i, y, xx) => i + y * xx);
    const predicted = model.predict(x) as tf.Tensor;
    expect(Array.from(await predicted.data())).toEqual(Array.from(await x.data()));
    const dir = tempDir('augment-save');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('HypertunerImageAugmentation');
    tf.dispose([x, predicted]);
    model.dispose();
    loaded.dispose();
  });
});
