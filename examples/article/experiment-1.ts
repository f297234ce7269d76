/**
 * The article's first experiment: three Dense layers, each with its own width and activation,
 * tuned by Bayesian optimisation (the article: test loss 1.98, accuracy 0.480 on CIFAR-10).
 *
 *   npx tsx examples/article/experiment-1.ts [--dataset cifar10] [--trials 15] [--epochs 4]
 *
 * The same space is `new HyperMLP({inputShape, classes, experiment: 1})` from hypertuner/tfjs,
 * and `hypertuner example --experiment 1` runs it with progress bars, workers and --compare.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParameters } from 'hypertuner';
import { articleSetup, searchAndScore } from './shared.js';

const setup = await articleSetup();

function buildModel(hp: HyperParameters): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [...setup.inputShape] }));
  for (let i = 1; i <= 3; i++) {
    model.add(
      tf.layers.dense({
        units: hp.Int(`u_${i}`, { min: 16, max: 256, step: 16 }),
        activation: hp.Choice(`a_${i}`, ['relu', 'tanh', 'elu', 'selu', 'swish']),
      }),
    );
  }
  model.add(tf.layers.dense({ units: setup.classes, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

await searchAndScore(buildModel, setup, 1);
