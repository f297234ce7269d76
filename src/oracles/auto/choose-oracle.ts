/**
 * How `AutoOracle` picks an oracle for a study, from what the study shows (a pure function of
 * the history, like every oracle):
 * - several objectives: the Bayesian oracle (its ParEGO Gaussian process) while fewer than
 *   `gpTrials` trials have finished and the space has at most `maxGpDimensions` searchable
 *   parameters, NSGA-II beyond (a GP's suggestion costs grow with the cube of the trials);
 * - one objective: TPE when many parameters are conditional (at least `conditionalShare` of
 *   them, two or more: TPE models each parameter from the trials where it was active), or the
 *   space has more than `maxGpDimensions` searchable parameters, or `gpTrials` trials have
 *   finished (TPE's suggestions stay fast on long searches); the Bayesian oracle otherwise
 *   (small budgets, few dimensions: it learns the most from each trial).
 * The thresholds are options. On bench:bo the Bayesian oracle is far ahead of TPE at 100 trials
 * on every problem and ahead of NSGA-II on the multi-objective ones (bench/README.md); the
 * switch at 200 trials trades that lead for suggestions that stay cheap on long searches.
 */
import type { SearchSpace } from '../../space/index.js';
import type { StudyView } from '../oracle.js';

export const AUTO_CHOICES = ['bayesian', 'tpe', 'nsga2'] as const;
export type AutoChoiceName = (typeof AUTO_CHOICES)[number];

/** Which oracle runs the next trial, and why (one line, for the study's attributes and progress output). */
export interface AutoChoice {
  readonly oracle: AutoChoiceName;
  readonly reason: string;
}

export interface AutoThresholds {
  /** Finished trials up to which a Gaussian process is used (default 200). */
  readonly gpTrials: number;
  /** Searchable parameters up to which a Gaussian process is used (default 20). */
  readonly maxGpDimensions: number;
  /** Share of conditional parameters (with at least two) from which TPE is used (default 1/3). */
  readonly conditionalShare: number;
}

export const DEFAULT_AUTO_THRESHOLDS: AutoThresholds = {
  gpTrials: 200,
  maxGpDimensions: 20,
  conditionalShare: 1 / 3,
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function searchable(space: SearchSpace): { dimensions: number; conditional: number } {
  let dimensions = 0;
  let conditional = 0;
  for (const p of space.parameters) {
    if (p.kind === 'fixed') continue;
    dimensions++;
    if (p.conditions.length > 0) conditional++;
  }
  return { dimensions, conditional };
}

/** The oracle for the next trial of the study `view` shows. */
export function chooseOracle(view: StudyView, thresholds: AutoThresholds): AutoChoice {
  const { gpTrials, maxGpDimensions, conditionalShare } = thresholds;
  const finished = view.trials.filter((t) => t.status === 'COMPLETED').length;
  const { dimensions, conditional } = searchable(view.space);
  const objectives = view.objectives.length;
  // reasons name thresholds, not counts, so that they change only when the choice's grounds do
  const few = `fewer than ${gpTrials} trials finished`;
  const many = `${gpTrials} or more trials finished`;
  const parameters = plural(dimensions, 'parameter');
  if (dimensions === 0) {
    return {
      oracle: 'bayesian',
      reason: 'no parameters known yet: the first trial declares them (define-by-run)',
    };
  }
  if (objectives > 1) {
    if (dimensions > maxGpDimensions)
      return {
        oracle: 'nsga2',
        reason: `${objectives} objectives, ${parameters} (> ${maxGpDimensions}): NSGA-II, as a Gaussian process needs many trials in many dimensions`,
      };
    if (finished >= gpTrials)
      return {
        oracle: 'nsga2',
        reason: `${objectives} objectives, ${many}: NSGA-II, whose suggestions stay fast on long searches`,
      };
    return {
      oracle: 'bayesian',
      reason: `${objectives} objectives, ${parameters}, ${few}: Bayesian optimisation (ParEGO), the most hypervolume per trial on small budgets; NSGA-II from ${gpTrials} trials`,
    };
  }
  if (conditional >= 2 && conditional >= conditionalShare * dimensions)
    return {
      oracle: 'tpe',
      reason: `${conditional} of ${parameters} are conditional: TPE models each from the trials where it was active`,
    };
  if (dimensions > maxGpDimensions)
    return {
      oracle: 'tpe',
      reason: `${parameters} (> ${maxGpDimensions}): TPE, as a Gaussian process needs many trials in many dimensions`,
    };
  if (finished >= gpTrials)
    return {
      oracle: 'tpe',
      reason: `${many}: TPE, whose suggestions stay fast on long searches`,
    };
  return {
    oracle: 'bayesian',
    reason: `${parameters}, ${few}: Bayesian optimisation, which learns the most from each trial on small budgets; TPE from ${gpTrials} trials`,
  };
}
