/**
 * Applies the budget plan to one process of the example's search: it learns of every trial that
 * ends (its own as they end, the other processes' through the storage), and stops starting
 * trials once one more would not end before the final training's share of the budget; a trial
 * still training well into that share stops at the end of its batch.
 */
import type { Study, Trial } from '../../index.js';
import type { TrialEndInfo } from '../../tuner/index.js';
import { rankTrials } from '../../trials/index.js';
import { watchOtherTrials } from '../trial-watch.js';
import type { TrialWatch } from '../trial-watch.js';
import { budgetPlan } from './budget-plan.js';
import type { BudgetPlan, BudgetPlanInput } from './budget-plan.js';
import { articleParamCount } from './hypermodel.js';
import type { ExampleOptions } from './options.js';
import type { SearchData } from './shared-data.js';

/** A running trial may train this far into the final training's predicted time. */
const CUT_INTO_FINAL = 0.5;
/** Before any trial has measured the speed, the first ones may take this share of the budget. */
const FIRST_TRIALS_SHARE = 0.5;

export class SearchStopper {
  readonly #input: BudgetPlanInput;
  readonly #study: Study;
  readonly #trials = new Map<number, Trial>();
  readonly #controller = new AbortController();
  #plan: BudgetPlan;
  #watch: TrialWatch | undefined;

  private constructor(input: BudgetPlanInput, study: Study, trials: readonly Trial[]) {
    this.#input = input;
    this.#study = study;
    for (const t of trials) this.#trials.set(t.number, t);
    this.#plan = this.#replan();
  }

  /**
   * A stopper for `study` from its trials so far, following the trials the other processes
   * finish (each also handed to `onOther`, e.g. for the progress display).
   */
  static async start(
    input: BudgetPlanInput,
    study: Study,
    onOther?: (trial: Trial, best: Trial | undefined, info: TrialEndInfo) => void,
  ): Promise<SearchStopper> {
    const stopper = new SearchStopper(input, study, await study.trials());
    stopper.#watch = await watchOtherTrials(study, {
      ended(t, best, info) {
        stopper.observe(t);
        onOther?.(t, best, info);
      },
    });
    return stopper;
  }

  /** Aborted once no trial should start. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The plan as of the last trial that ended. */
  get plan(): BudgetPlan {
    return this.#plan;
  }

  #replan(): BudgetPlan {
    const trials = [...this.#trials.values()];
    const best = rankTrials(trials, this.#study.objectives)[0];
    const plan = budgetPlan(this.#input, trials, best, Date.now());
    if (!plan.mayStart) this.#controller.abort();
    return plan;
  }

  /** A trial ended (in this process or another): plan again, and stop if it is time. */
  observe(trial: Trial): void {
    this.#trials.set(trial.number, trial);
    this.#plan = this.#replan();
  }

  /** Whether a trial still running should stop training now. */
  cutTraining = (): boolean => {
    const { budgetMs, startedAt } = this.#input;
    const plan = this.#plan;
    const now = Date.now();
    if (plan.trialMs === undefined) return now > startedAt + FIRST_TRIALS_SHARE * budgetMs;
    return now > plan.searchEndsAt + CUT_INTO_FINAL * plan.finalMs || now > startedAt + budgetMs;
  };

  /** Stops following the other processes. */
  async stop(): Promise<void> {
    await this.#watch?.stop();
  }
}

/** The plan's input for the example's options and data. */
export function examplePlanInput(options: ExampleOptions, search: SearchData): BudgetPlanInput {
  const size = search.fit.shape.reduce((a, b) => a * b, 1);
  const classes = search.classNames.length;
  return {
    startedAt: options.startedAt,
    budgetMs: options.budgetMs,
    trainSize: search.fit.count,
    valSize: search.validation.count,
    finalEpochs: options.finalEpochs,
    finalTrain: search.trainCount - search.validation.count,
    finalHeldOut: options.finalEpochs > 0 ? search.validation.count : 0,
    testCount: search.testCount,
    paramCount: (params) => articleParamCount(params, size, classes, options.experiment),
  };
}
