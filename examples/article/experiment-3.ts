/**
 * The article's third experiment: depth only. 2 to 20 Dense layers of 128 ELU units, tuned by
 * Bayesian optimisation (the article: test loss 1.96, accuracy 0.501 on CIFAR-10).
 *
 *   npx tsx examples/article/experiment-3.ts [--dataset cifar10] [--trials 15] [--epochs 4]
 *
 * The same space is `new HyperMLP({inputShape, classes, experiment: 3})` from hypertuner/tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParameters } from 'hypertuner';
import { articleSetup, searchAndScore } from './shared.js';

const setup = await articleSetup();

function buildModel(hp: HyperParameters): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [...setup.inputShape] }));
  const layers = hp.Int('num_layers', { min: 2, max: 20 });
  for (let i = 0; i < layers; i++) model.add(tf.layers.dense({ units: 128, activation: 'elu' }));
  model.add(tf.layers.dense({ units: setup.classes, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

await searchAndScore(buildModel, setup, 3);
