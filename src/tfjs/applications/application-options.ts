/**
 * What the ready-made convolutional hypermodels share: their options and base class, the
 * optimizer and learning rate they tune, pooling, and compiling a classifier the way every
 * tuner and `evaluateModel` expect (softmax output, categorical cross-entropy, accuracy).
 */
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Optimizer, SymbolicTensor } from '@tensorflow/tfjs';
import type { HyperParameters } from '../../space/index.js';
import { HyperModel } from '../hyper-model.js';
import type { HyperImageAugment } from './hyper-image-augment.js';
import type { ImageClassifierOptions } from './option-checks.js';
import { checkClassifierOptions } from './option-checks.js';

/** What the convolutional hypermodels take: the images, the classes, and tuned augmentation. */
export interface ImageHyperModelOptions extends ImageClassifierOptions {
  /** Tuned augmentation applied to the images first (training only). */
  readonly augment?: HyperImageAugment;
}

/** A convolutional classifier hypermodel: its options checked and kept. */
export abstract class ImageHyperModel extends HyperModel {
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly augment: HyperImageAugment | undefined;

  constructor(name: string, options: ImageHyperModelOptions) {
    super();
    checkClassifierOptions(name, options, 3);
    this.inputShape = [...options.inputShape];
    this.classes = options.classes;
    this.augment = options.augment;
  }
}

/** Optimizers the image hypermodels choose between (Keras Tuner's HyperResNet's list). */
export const OPTIMIZERS = ['adam', 'rmsprop', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A tfjs optimizer by name. */
export function makeOptimizer(name: OptimizerName, learningRate: number): Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
  }
}

/** `hp.Choice('optimizer', optimizers)` and `hp.Choice('learning_rate', rates)`, as an optimizer. */
export function tunedOptimizer(
  hp: HyperParameters,
  rates: readonly number[],
  defaultRate: number,
  optimizers: readonly OptimizerName[] = OPTIMIZERS,
): Optimizer {
  const name = hp.Choice('optimizer', optimizers, { default: 'adam' });
  const learningRate = hp.Choice('learning_rate', rates, { default: defaultRate });
  return makeOptimizer(name, learningRate);
}

/** Compiles a softmax classifier: categorical cross-entropy, accuracy. */
export function compileClassifier(model: LayersModel, optimizer: Optimizer): LayersModel {
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** `hp.Choice('pooling', choices)`: global average or max pooling, or flattening. */
export function tunedPooling(
  hp: HyperParameters,
  x: SymbolicTensor,
  choices: readonly PoolingName[] = ['avg', 'max'],
): SymbolicTensor {
  const pooling = hp.Choice('pooling', choices, { default: choices[0] ?? 'avg' });
  const layer =
    pooling === 'avg'
      ? tf.layers.globalAveragePooling2d({ name: 'avg_pool' })
      : pooling === 'max'
        ? tf.layers.globalMaxPooling2d({ name: 'max_pool' })
        : tf.layers.flatten({ name: 'flatten' });
  return layer.apply(x) as SymbolicTensor;
}

/** Dense(classes, softmax): the classifier's output layer. */
export function softmaxOutput(x: SymbolicTensor, classes: number): SymbolicTensor {
  return tf.layers
    .dense({ units: classes, activation: 'softmax', name: 'probs' })
    .apply(x) as SymbolicTensor;
}

export type PoolingName = 'avg' | 'max' | 'flatten';
