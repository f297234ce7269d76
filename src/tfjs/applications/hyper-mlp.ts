/**
 * `HyperMLP`: the dense network family of the article this project started from (Keras Tuner on
 * CIFAR-10, RandomSearch then BayesianOptimization), with its three experiments as presets:
 *
 * 1. three Dense layers, each `u_i` 16-256 units (step 16) and activation `a_i` (relu, tanh,
 *    elu, selu, swish);
 * 2. depth and width: `num_layers` 2-4 Dense layers of `units_i` 64-512 units (step 64), ReLU;
 * 3. depth only: `num_layers` 2-20 Dense(128, ELU) layers.
 *
 * Each ends in Dense(classes, softmax) and trains with Adam at Keras's default learning rate
 * (1e-3), as the article's did; `learningRate: {min, max}` tunes it too. In experiment 2 the
 * widths of layers 3 and 4 are conditional on `num_layers` (a trial with two layers has no
 * `units_2`), so the oracles never model a parameter the trial did not use.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { HyperParameters } from '../../space/index.js';
import { HyperModel } from '../hyper-model.js';
import { compileClassifier } from './application-options.js';
import type { ImageClassifierOptions } from './option-checks.js';
import { checkClassifierOptions, checkOption } from './option-checks.js';
import type { ArticleExperiment } from './article-experiments.js';
import { ARTICLE_ACTIVATIONS, ARTICLE_EXPERIMENTS } from './article-experiments.js';
import type { HyperImageAugment } from './hyper-image-augment.js';

/** A tuned learning rate: log-uniform in [min, max]; `step` (a factor, e.g. 10) makes it a grid. */
export interface LearningRateRange {
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  /** Default 1e-3 (within [min, max]). */
  readonly default?: number;
}

export interface HyperMLPOptions extends ImageClassifierOptions {
  /** Which of the article's spaces (default 2, depth and width). */
  readonly experiment?: ArticleExperiment;
  /**
   * Adam's learning rate: a number keeps it fixed (default 1e-3, Keras's default, as in the
   * article); a range tunes it as `learning_rate` on a log scale.
   */
  readonly learningRate?: number | LearningRateRange;
  /** Tuned augmentation applied to the images first (training only). */
  readonly augment?: HyperImageAugment;
}

const NAME = 'HyperMLP';

export class HyperMLP extends HyperModel {
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly experiment: ArticleExperiment;
  readonly learningRate: number | LearningRateRange;
  readonly augment: HyperImageAugment | undefined;

  constructor(options: HyperMLPOptions) {
    super();
    checkClassifierOptions(NAME, options);
    const experiment = options.experiment ?? 2;
    checkOption(
      (ARTICLE_EXPERIMENTS as readonly number[]).includes(experiment),
      NAME,
      'experiment',
      `must be one of ${ARTICLE_EXPERIMENTS.join(', ')}, got ${String(experiment)}.`,
    );
    const lr = options.learningRate ?? 1e-3;
    checkOption(
      typeof lr === 'number' ? lr > 0 : lr.min > 0 && lr.max >= lr.min,
      NAME,
      'learningRate',
      `must be a number > 0 or {min, max} with 0 < min <= max, got ${JSON.stringify(lr)}.`,
    );
    this.inputShape = [...options.inputShape];
    this.classes = options.classes;
    this.experiment = experiment;
    this.learningRate = lr;
    this.augment = options.augment;
  }

  build(hp: HyperParameters): LayersModel {
    const input = tf.input({ shape: [...this.inputShape] });
    const augmented = this.augment?.apply(hp, input) ?? input;
    let x = tf.layers.flatten().apply(augmented) as SymbolicTensor;
    const dense = (units: number, activation: DenseActivation): void => {
      x = tf.layers.dense({ units, activation }).apply(x) as SymbolicTensor;
    };
    switch (this.experiment) {
      case 1:
        for (let i = 1; i <= 3; i++)
          dense(
            hp.Int(`u_${i}`, { min: 16, max: 256, step: 16 }),
            hp.Choice(`a_${i}`, ARTICLE_ACTIVATIONS),
          );
        break;
      case 2: {
        hp.Int('num_layers', { min: 2, max: 4 });
        const layer = (i: number): void =>
          dense(hp.Int(`units_${i}`, { min: 64, max: 512, step: 64 }), 'relu');
        layer(0);
        layer(1);
        // layers 3 and 4 exist only for some depths: their widths are conditional parameters
        hp.conditionalScope('num_layers', [3, 4], () => layer(2));
        hp.conditionalScope('num_layers', [4], () => layer(3));
        break;
      }
      case 3: {
        const layers = hp.Int('num_layers', { min: 2, max: 20 });
        for (let i = 0; i < layers; i++) dense(128, 'elu');
        break;
      }
    }
    const output = tf.layers
      .dense({ units: this.classes, activation: 'softmax' })
      .apply(x) as SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: output,
      name: `article_experiment_${this.experiment}`,
    });
    return compileClassifier(model, tf.train.adam(this.#learningRate(hp)));
  }

  #learningRate(hp: HyperParameters): number {
    const lr = this.learningRate;
    if (typeof lr === 'number') return lr;
    return hp.Float('learning_rate', {
      min: lr.min,
      max: lr.max,
      sampling: 'log',
      default: lr.default ?? Math.min(lr.max, Math.max(lr.min, 1e-3)),
      ...(lr.step === undefined ? {} : { step: lr.step }),
    });
  }
}

type DenseActivation = 'relu' | 'elu' | (typeof ARTICLE_ACTIVATIONS)[number];
