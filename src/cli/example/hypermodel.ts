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

/**
 * The widths of the Dense layers of the article's MLP for a trial's values, by experiment:
 * `u_1`-`u_3` (1), `num_layers` of `units_i` (2), `num_layers` of 128 (3).
 */
function articleWidths(
  params: Readonly<Record<string, unknown>>,
  experiment: ExampleOptions['experiment'],
): number[] {
  switch (experiment) {
    case 1:
      return [1, 2, 3].map((i) => Number(params[`u_${i}`] ?? 0));
    case 2:
      return Array.from({ length: Number(params['num_layers'] ?? 2) }, (_, i) =>
        Number(params[`units_${i}`] ?? 0),
      );
    case 3:
      return Array.from({ length: Number(params['num_layers'] ?? 2) }, () => 128);
  }
}

/**
 * The parameter count of the article's MLP (experiment 1, 2 or 3) for a trial's values, with
 * `inputs` input values and `classes` outputs: what a trial's training costs grows with it.
 */
export function articleParamCount(
  params: Readonly<Record<string, unknown>>,
  inputs: number,
  classes: number,
  experiment: ExampleOptions['experiment'] = 2,
): number {
  let width = inputs;
  let count = 0;
  for (const units of articleWidths(params, experiment)) {
    count += width * units + units;
    width = units;
  }
  return count + width * classes + classes;
}
