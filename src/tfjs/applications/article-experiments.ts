/**
 * The three experiments of the article this project started from (Keras Tuner on CIFAR-10,
 * RandomSearch then BayesianOptimization), by number, with their search spaces in words. No
 * TensorFlow.js here: the command line reads these without loading it.
 */

/** The article's experiments. */
export const ARTICLE_EXPERIMENTS = [1, 2, 3] as const;
export type ArticleExperiment = (typeof ARTICLE_EXPERIMENTS)[number];

/** The activations experiment 1 chooses from, per layer. */
export const ARTICLE_ACTIVATIONS = ['relu', 'tanh', 'elu', 'selu', 'swish'] as const;

/** Each experiment's search space in a sentence (for help texts and reports). */
export const ARTICLE_EXPERIMENT_SPACES: Readonly<Record<ArticleExperiment, string>> = {
  1: 'three Dense layers, each u_i 16-256 units (step 16) and activation a_i in relu, tanh, elu, selu, swish',
  2: 'num_layers 2-4 Dense layers of units_i 64-512 units (step 64), ReLU',
  3: 'num_layers 2-20 Dense layers of 128 units, ELU',
};
