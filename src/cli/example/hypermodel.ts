/**
 * The article's search space: 2-4 Dense layers of 64-512 units, an activation each, and Adam's
 * learning rate. Grid search needs a finite grid, so there the learning rate steps by factors
 * of 10.
 */
import type { HyperParameters } from '../../index.js';
import type * as Tfjs from '../../tfjs/index.js';
import type { LayersModel } from '../../tfjs/index.js';

type Tf = typeof Tfjs.tf;

/** Activations the article tries per layer (selu too: TensorFlow.js has it). */
export const ACTIVATIONS = ['relu', 'tanh', 'elu', 'swish', 'selu'] as const;

export function articleMlp(
  tf: Tf,
  inputShape: readonly number[],
  numClasses: number,
  grid: boolean,
): (hp: HyperParameters) => LayersModel {
  return (hp) => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [...inputShape] }));
    hp.Int('num_layers', { min: 2, max: 4 }); // layers 3 and 4 exist only for some values: see below
    const dense = (i: number): void => {
      const units = hp.Int(`units_${i}`, { min: 64, max: 512, step: 64 });
      const activation = hp.Choice(`activation_${i}`, ACTIVATIONS);
      model.add(tf.layers.dense({ units, activation }));
    };
    dense(0);
    dense(1);
    hp.conditionalScope('num_layers', [3, 4], () => dense(2));
    hp.conditionalScope('num_layers', [4], () => dense(3));
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    const learningRate = hp.Float('learning_rate', {
      min: 1e-4,
      max: 1e-2,
      sampling: 'log',
      default: 1e-3,
      ...(grid ? { step: 10 } : {}),
    });
    model.compile({
      optimizer: tf.train.adam(learningRate),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    return model;
  };
}

/**
 * The parameter count of the article's MLP for a trial's values (`num_layers`, `units_i`), with
 * `inputs` input values and `classes` outputs: what a trial's training costs grows with it.
 */
export function articleParamCount(
  params: Readonly<Record<string, unknown>>,
  inputs: number,
  classes: number,
): number {
  const layers = Number(params['num_layers'] ?? 2);
  let width = inputs;
  let count = 0;
  for (let i = 0; i < layers; i++) {
    const units = Number(params[`units_${i}`] ?? 0);
    count += width * units + units;
    width = units;
  }
  return count + width * classes + classes;
}
