/**
 * The example's search space: one of the article's three experiments (HyperMLP's presets), with
 * Adam's learning rate tuned too when asked (log scale, 1e-4 to 1e-2; grid search needs a
 * finite grid, so there it steps by factors of 10).
 */
import type { HyperParameters } from '../../index.js';
import type * as Tfjs from '../../tfjs/index.js';
import type { LayersModel } from '../../tfjs/index.js';
import type { ExampleOptions } from './options.js';

export function articleMlp(
  tfjs: typeof Tfjs,
  inputShape: readonly number[],
  numClasses: number,
  options: Pick<ExampleOptions, 'experiment' | 'tuneLearningRate' | 'tuner'>,
): (hp: HyperParameters) => LayersModel {
  const mlp = new tfjs.HyperMLP({
    inputShape,
    classes: numClasses,
    experiment: options.experiment,
    ...(options.tuneLearningRate
      ? {
          learningRate: {
            min: 1e-4,
            max: 1e-2,
            default: 1e-3,
            ...(options.tuner === 'grid' ? { step: 10 } : {}),
          },
        }
      : {}),
  });
  return (hp) => mlp.build(hp);
}
