/**
 * The benchmark's search space: an MLP on Fashion-MNIST where the hyperparameters matter: a
 * learning rate over three decades (learning well, slowly, or diverging), an L2 penalty over
 * five (too much of it cripples the model), dropout, depth, width and activation. In a
 * narrower space (learning rate, depth, width, activation only) about half the configurations
 * reach the ceiling of this MLP (~84-85% after 9 epochs on 4000 images), so 9 random ones
 * find it and the comparison measures validation noise; see README.md.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParameters } from '../../src/index.js';

export function mlp(hp: HyperParameters): tf.LayersModel {
  const learningRate = hp.Float('learning_rate', { min: 1e-4, max: 1e-1, sampling: 'log' });
  const layers = hp.Int('layers', { min: 1, max: 3 });
  const units = hp.Int('units', { min: 16, max: 256, step: 16 });
  const activation = hp.Choice('activation', ['relu', 'tanh', 'sigmoid']);
  const l2 = hp.Float('l2', { min: 1e-6, max: 1e-1, sampling: 'log' });
  const dropout = hp.Float('dropout', { min: 0, max: 0.6, step: 0.1 });
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  for (let i = 0; i < layers; i++) {
    model.add(
      tf.layers.dense({ units, activation, kernelRegularizer: tf.regularizers.l2({ l2 }) }),
    );
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export const SPACE_TEXT =
  'MLP: learning_rate log 1e-4..1e-1 (Adam), layers 1..3, units 16..256 step 16, activation relu/tanh/sigmoid, l2 log 1e-6..1e-1, dropout 0..0.6 step 0.1';
