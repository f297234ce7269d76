/**
 * Keras Tuner's `Hyperband`: brackets of successive halving. Each trial trains for the epochs
 * its oracle says; `search`'s `epochs` is ignored, and the tuner says so (Keras Tuner
 * overrides it silently). Promoted trials continue from their parent's best-epoch checkpoint,
 * optimizer state included (`initialEpoch`), instead of starting over.
 *
 * The whole schedule is known before the search starts: `search` announces it ("Hyperband
 * plan: 70 trials, 375 epochs in 4 brackets") through the `onHyperbandPlan` callback and, with
 * `verbose`, on stderr; `maxEpochsTotal` caps it. The oracle rebuilds its state from the
 * study, so reopening the project after a crash continues mid-bracket without re-running
 * finished rounds (promoted trials load their parent's checkpoint from `trial_NNNN/checkpoint/`).
 */
import { HyperbandOracle, hyperbandPlan, readHyperbandAttrs } from '../../oracles/index.js';
import type { HyperbandPlan, HyperbandPlanOptions, Oracle } from '../../oracles/index.js';
import type { OptimizeResult } from '../../tuner/index.js';
import type { TunerInput } from '../hyper-model.js';
import { Tuner, checkKnownOptions } from './tuner.js';
import type { SearchOptions, TunerCallbacks, TunerOptions } from './tuner-types.js';
import { TUNER_OPTION_NAMES } from './tuner-types.js';

/** What `search` announces before the first trial. */
export interface HyperbandPlanInfo {
  readonly plan: HyperbandPlan;
  readonly maxEpochsTotal: number | undefined;
  /** Epochs the search trains in all (the plan's, capped by maxEpochsTotal), earlier runs included. */
  readonly plannedEpochs: number;
  /** Hyperband trials finished in earlier runs of the project, and the epochs they trained. */
  readonly trialsDone: number;
  readonly epochsDone: number;
  /** `search`'s `epochs` when it was given: Hyperband does not use it. */
  readonly ignoredEpochs: number | undefined;
  /** The announcement, one or two lines. */
  readonly message: string;
}

export interface HyperbandCallbacks extends TunerCallbacks {
  /** The plan, before the first trial of each `search`. */
  onHyperbandPlan?(info: HyperbandPlanInfo): void;
}

export interface HyperbandTunerOptions
  extends Omit<TunerOptions, 'maxTrials' | 'callbacks'>, HyperbandPlanOptions {
  /**
   * Stop before a trial that would take the epochs trained past this budget (new epochs only:
   * a promoted trial costs `epochs - initialEpoch`). Default: the plan's total.
   */
  readonly maxEpochsTotal?: number;
  /**
   * Proposes the configurations of round 0 (default: random search seeded by `seed`). A
   * model-based oracle, e.g. `new TpeOracle({ seed, nStartupTrials: 5 })`, learns from the
   * configurations trained so far, one per configuration at the epochs it reached: model-based
   * Hyperband, as BOHB.
   */
  readonly sampler?: Oracle;
  readonly callbacks?: HyperbandCallbacks;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The announcement of a plan, e.g. "Hyperband plan: 70 trials, 375 epochs in 4 brackets (...)". */
export function describeHyperbandPlan(
  info: Omit<HyperbandPlanInfo, 'message' | 'plannedEpochs'>,
): string {
  const { plan, maxEpochsTotal, trialsDone, epochsDone, ignoredEpochs } = info;
  const { maxEpochs, factor, minEpochs, hyperbandIterations } = plan.options;
  let line =
    `Hyperband plan: ${plural(plan.totalTrials, 'trial')}, ${plural(plan.totalEpochs, 'epoch')} ` +
    `in ${plural(plan.brackets.length, 'bracket')} (maxEpochs ${maxEpochs}, factor ${factor}, ` +
    `minEpochs ${minEpochs}, ${plural(hyperbandIterations, 'iteration')}; ` +
    `${plan.totalEpochsFromScratch} epochs if promoted trials started over)`;
  if (maxEpochsTotal !== undefined && maxEpochsTotal < plan.totalEpochs)
    line += `, capped at ${plural(maxEpochsTotal, 'epoch')} by maxEpochsTotal`;
  if (trialsDone > 0)
    line += `; resuming: ${plural(trialsDone, 'trial')} (${plural(epochsDone, 'epoch')}) already done`;
  line += '.';
  if (ignoredEpochs !== undefined) {
    line +=
      `\nHyperband ignores search()'s epochs (${ignoredEpochs}): each trial trains the epochs ` +
      `of its round, up to maxEpochs (${maxEpochs}).`;
  }
  return line;
}

export class Hyperband extends Tuner {
  /** The schedule (known before the search starts). */
  readonly plan: HyperbandPlan;
  readonly maxEpochsTotal: number | undefined;
  readonly #callbacks: HyperbandCallbacks | undefined;

  constructor(options: HyperbandTunerOptions) {
    checkKnownOptions(
      options,
      [
        ...TUNER_OPTION_NAMES.filter((name) => name !== 'maxTrials'),
        ...Object.keys({
          maxEpochs: true,
          factor: true,
          minEpochs: true,
          hyperbandIterations: true,
          maxEpochsTotal: true,
          sampler: true,
        } satisfies Record<Exclude<keyof HyperbandTunerOptions, keyof TunerOptions>, true>),
      ],
      'Hyperband',
    );
    const { maxEpochs, factor, minEpochs, hyperbandIterations, maxEpochsTotal, seed, sampler } =
      options;
    const planOptions = Object.fromEntries(
      Object.entries({ maxEpochs, factor, minEpochs, hyperbandIterations }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as HyperbandPlanOptions;
    // made now so that wrong options fail in the constructor, as in Keras Tuner
    const oracle = new HyperbandOracle({
      ...planOptions,
      seed: seed ?? 0,
      ...(maxEpochsTotal === undefined ? {} : { maxEpochsTotal }),
      ...(sampler === undefined ? {} : { sampler }),
    });
    // promoted trials continue their parents' checkpoints: every trial's is written
    super({ ...options, oracle, checkpoints: 'every-trial' });
    this.plan = hyperbandPlan(planOptions);
    this.maxEpochsTotal = maxEpochsTotal;
    this.#callbacks = options.callbacks;
  }

  /** What `search` announces: the plan, the budget, and what earlier runs already did. */
  async planInfo(ignoredEpochs?: number): Promise<HyperbandPlanInfo> {
    let trialsDone = 0;
    let epochsDone = 0;
    for (const trial of await (await this.study()).trials()) {
      const attrs = readHyperbandAttrs(trial.oracleAttrs);
      if (attrs === undefined || trial.status === 'RUNNING' || trial.status === 'WAITING') continue;
      trialsDone++;
      epochsDone += Math.max(0, attrs.epochs - attrs.initialEpoch);
    }
    const base = {
      plan: this.plan,
      maxEpochsTotal: this.maxEpochsTotal,
      plannedEpochs: Math.min(this.plan.totalEpochs, this.maxEpochsTotal ?? Infinity),
      trialsDone,
      epochsDone,
      ignoredEpochs,
    };
    return { ...base, message: describeHyperbandPlan(base) };
  }

  /** Announces the plan, then searches (see `Tuner.search`); `options.epochs` is not used. */
  override async search(
    x: TunerInput,
    y: TunerInput,
    options: SearchOptions = {},
  ): Promise<OptimizeResult> {
    const info = await this.planInfo(options.epochs);
    if ((options.verbose ?? 0) > 0) process.stderr.write(`${info.message}\n`);
    this.#callbacks?.onHyperbandPlan?.(info);
    return super.search(x, y, options);
  }
}
