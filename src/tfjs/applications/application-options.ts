/**
 * What the ready-made hypermodels share: checking the image shape and class count they are
 * given, the optimizer and learning rate they tune, and compiling a classifier the way every
 * tuner and `evaluateModel` expect (softmax output, categorical cross-entropy, accuracy).
 */
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, Optimizer, SymbolicTensor } from '@tensorflow/tfjs';
import type { HyperParameters } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';

/** What every image classifier hypermodel is told about its data. */
export interface ImageClassifierOptions {
  /** One image's shape, `[height, width, channels]` (or any shape for HyperMLP). */
  readonly inputShape: readonly number[];
  /** Number of classes: the softmax output's width. */
  readonly classes: number;
}

/** Throws `HYPERMODEL_INVALID` naming `field` unless `ok`. */
export function checkOption(ok: boolean, hypermodel: string, field: string, message: string): void {
  if (!ok)
    throw new HypertunerError('HYPERMODEL_INVALID', `${hypermodel}: ${field} ${message}`, {
      field,
    });
}

/** Checks `inputShape` (`rank` dimensions when given) and `classes`. */
export function checkClassifierOptions(
  hypermodel: string,
  options: ImageClassifierOptions,
  rank?: number,
): void {
  const shape = options.inputShape;
  checkOption(
    Array.isArray(shape) &&
      shape.length > 0 &&
      (rank === undefined || shape.length === rank) &&
      shape.every((d) => Number.isInteger(d) && d > 0),
    hypermodel,
    'inputShape',
    `must be ${rank === 3 ? '[height, width, channels]' : 'a list of'} positive integers, got ${JSON.stringify(shape)}.`,
  );
  checkOption(
    Number.isInteger(options.classes) && options.classes >= 2,
    hypermodel,
    'classes',
    `must be an integer >= 2, got ${String(options.classes)}.`,
  );
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
