/** Shared pieces of the tfjs tuner tests: a small real Fashion-MNIST sample and tiny hypermodels. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadFashionMnist } from '../../src/datasets/index.js';
import type { HyperParameters } from '../../src/index.js';
import { fitModel, imageSplitToArrays } from '../../src/tfjs/index.js';
import type { ExampleArrays, FitArgs, HyperModelLike, TunerInput } from '../../src/tfjs/index.js';

export interface Sample {
  readonly train: ExampleArrays;
  readonly test: ExampleArrays;
  readonly source: string;
}

/** 400 training and 200 test images of Fashion-MNIST (Debian's package, else the bundled subset). */
export async function fashionSample(limitTrain = 400, limitTest = 200): Promise<Sample> {
  const data = await loadFashionMnist({
    limitTrain,
    limitTest,
    allowSubset: true,
    download: false,
  });
  return {
    train: imageSplitToArrays(data.train),
    test: imageSplitToArrays(data.test),
    source: data.source,
  };
}

/** A one-hidden-layer MLP with 2 to 4 choices per parameter. */
export function tinyMlp(hp: HyperParameters): tf.LayersModel {
  const units = hp.Int('units', { min: 8, max: 24, step: 8 });
  const activation = hp.Choice('activation', ['relu', 'tanh']);
  const learningRate = hp.Choice('learning_rate', [0.01, 0.003]);
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(tf.layers.dense({ units, activation }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** A one-hidden-layer dense classifier of 28×28×1 images, trained by Adam at `learningRate`. */
export function denseOf(units: number, learningRate = 0.01): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** The model's outputs for 28×28×1 images given flat in `x`. */
export function predictions(model: tf.LayersModel, x: Float32Array): Float32Array {
  return tf.tidy(
    () =>
      (
        model.predict(tf.tensor(x, [x.length / 784, 28, 28, 1])) as tf.Tensor
      ).dataSync() as Float32Array,
  );
}

/**
 * The tiny MLP, recording into `atBest[trial]` each trial's predictions on `probeX` at its best
 * epoch (by val_acc), as the tuner's checkpoint should hold them.
 */
export function probedHypermodel(atBest: Float32Array[], probeX: Float32Array): HyperModelLike {
  return {
    build: tinyMlp,
    fit: (
      _hp: HyperParameters,
      model: tf.LayersModel,
      x: TunerInput,
      y: TunerInput,
      args: FitArgs,
    ) => {
      const trial = atBest.length;
      let best = -Infinity;
      atBest.push(new Float32Array(0));
      const probe = {
        onEpochEnd: (_epoch: number, logs?: Record<string, number>) => {
          const value = logs?.['val_acc'] ?? -Infinity;
          if (value > best) {
            best = value;
            atBest[trial] = predictions(model, probeX);
          }
        },
      };
      return fitModel(model, x, y, { ...args, callbacks: [...args.callbacks, probe] });
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hypertuner-${prefix}-`));
}
