/**
 * The article's second experiment: depth and width. 2 to 4 Dense layers of 64 to 512 units,
 * tuned by Bayesian optimisation (the article: test loss 1.98, accuracy 0.481 on CIFAR-10; it
 * picked 2 layers, of 64 and 256 units). This is what `npm start` runs.
 *
 *   npx tsx examples/article/experiment-2.ts [--dataset cifar10] [--trials 15] [--epochs 4]
 *
 * The same space is `new HyperMLP({inputShape, classes, experiment: 2})` from hypertuner/tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParameters } from 'hypertuner';
import { articleSetup, searchAndScore } from './shared.js';

const setup = await articleSetup();

function buildModel(hp: HyperParameters): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [...setup.inputShape] }));
  hp.Int('num_layers', { min: 2, max: 4 });
  const dense = (i: number): void => {
    const units = hp.Int(`units_${i}`, { min: 64, max: 512, step: 64 });
    model.add(tf.layers.dense({ units, activation: 'relu' }));
  };
  dense(0);
  dense(1);
  // The third and fourth layers exist only in deeper networks: their widths are conditional,
  // so the oracle never models a width the trial did not use.
  hp.conditionalScope('num_layers', [3, 4], () => dense(2));
  hp.conditionalScope('num_layers', [4], () => dense(3));
  model.add(tf.layers.dense({ units: setup.classes, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

await searchAndScore(buildModel, setup, 2);
