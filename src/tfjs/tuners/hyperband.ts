/**
 * Keras Tuner's `Hyperband`: brackets of successive halving. Each trial trains for the epochs
 * its oracle says; `search`'s `epochs` is ignored, and the tuner says so (Keras Tuner
 * overrides it silently). Promoted trials continue from their parent's best-epoch checkpoint,
 * optimizer state included (`initialEpoch`), instead of starting over.
 *
 * With `fidelity: 'samples'` the resource is the share of the training set instead: every trial
 * trains `search`'s epochs, from scratch, on a nested subset whose size grows with its round.
 *
 * The whole schedule is known before the search starts: `search` announces it ("Hyperband
 * plan: 70 trials, 375 epochs in 4 brackets") through the `onHyperbandPlan` callback and, with
 * `verbose`, on stderr; `maxEpochsTotal` caps it. The oracle rebuilds its state from the
 * study, so reopening the project after a crash continues mid-bracket without re-running
 * finished rounds (promoted trials load their parent's checkpoint from `trial_NNNN/checkpoint/`).
 */
import { HyperbandOracle, hyperbandPlan, readHyperbandAttrs } from '../../oracles/index.js';
import type { HyperbandPlan, HyperbandPlanOptions, Oracle } from '../../oracles/index.js';
import { HypertunerError } from '../../space/index.js';
import type { OptimizeResult } from '../../tuner/index.js';
import type { TunerInput } from '../hyper-model.js';
import type { SampleFidelity } from './training-subset.js';
import { Tuner, checkKnownOptions } from './tuner.js';
import type { SearchOptions, TunerCallbacks, TunerOptions } from './tuner-types.js';
import { TUNER_OPTION_NAMES } from './tuner-types.js';

/** What a Hyperband trial's resource is: its epochs, or its share of the training examples. */
export const HYPERBAND_FIDELITIES = ['epochs', 'samples'] as const;
export type HyperbandFidelity = (typeof HYPERBAND_FIDELITIES)[number];

/** The study attribute that says which fidelity a Hyperband study's trials were trained over. */
export const FIDELITY_ATTR = 'hyperband_fidelity';

/** What `search` announces before the first trial. */
export interface HyperbandPlanInfo {
  readonly plan: HyperbandPlan;
  readonly fidelity: HyperbandFidelity;
  readonly maxEpochsTotal: number | undefined;
  /**
   * Epochs the search trains in all (the plan's, capped by maxEpochsTotal), earlier runs
   * included; over training-set size, units of resource (1/maxEpochs of the set, times the epochs).
   */
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
  /**
   * What a trial's resource is (default `'epochs'`, Keras Tuner's Hyperband). `'samples'`: a
   * trial of resource r (of `maxEpochs` R) trains on round(n·r/R) of the n training examples
   * (a nested subset, the same for every trial; see training-subset.ts), for `search`'s
   * `epochs`; the validation data stay whole, so every round's scores compare.
   *
   * Over training-set size a promoted trial retrains from scratch on its larger subset rather
   * than continue training its parent's checkpoint. Continuing would save nothing (the round's
   * epochs over its subset cost the same either way, unlike over epochs, where the parent's
   * epochs are not trained again) and would change what is scored: a model trained E epochs on
   * a ninth, then E on a third, then E on all the examples is not what a trial of the top round
   * is (E epochs on all of them), so it would not rank fairly against the bracket that trains on
   * all examples from the start, nor predict the final training, which retrains the best from
   * scratch. No parent's checkpoint is read, so `checkpoints` is honoured (over epochs every
   * trial's is written). `maxEpochsTotal` counts units of resource: a trial of resource r costs
   * r, promoted or not.
   */
  readonly fidelity?: HyperbandFidelity;
  readonly callbacks?: HyperbandCallbacks;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The announcement of a plan, e.g. "Hyperband plan: 70 trials, 375 epochs in 4 brackets (...)". */
export function describeHyperbandPlan(
  info: Omit<HyperbandPlanInfo, 'message' | 'plannedEpochs'>,
): string {
  if (info.fidelity === 'samples') return describeSamplesPlan(info);
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

/** `r/R` in lowest terms, or 'all'. */
function share(r: number, R: number): string {
  if (r >= R) return 'all';
  let [a, b] = [r, R];
  while (b !== 0) [a, b] = [b, a % b];
  return `${r / a}/${R / a}`;
}

/** The announcement of a plan over training-set size. */
function describeSamplesPlan(info: Omit<HyperbandPlanInfo, 'message' | 'plannedEpochs'>): string {
  const { plan, maxEpochsTotal, trialsDone } = info;
  const { maxEpochs, factor, minEpochs, hyperbandIterations } = plan.options;
  const rounds = [...new Set(plan.brackets.flatMap((b) => b.rounds.map((r) => r.epochs)))];
  const shares = rounds.sort((a, b) => a - b).map((r) => share(r, maxEpochs));
  const units = plan.totalEpochsFromScratch;
  let line =
    `Hyperband plan over training-set size: ${plural(plan.totalTrials, 'trial')} in ` +
    `${plural(plan.brackets.length, 'bracket')} (maxEpochs ${maxEpochs}, factor ${factor}, ` +
    `minEpochs ${minEpochs}, ${plural(hyperbandIterations, 'iteration')}); each trial trains ` +
    `search()'s epochs from scratch on ${shares.join(', ')} of the training examples, as its ` +
    `round says: as much training as ${(units / maxEpochs).toFixed(1)} trials on all of them`;
  if (maxEpochsTotal !== undefined && maxEpochsTotal < units)
    line += `, capped at ${(maxEpochsTotal / maxEpochs).toFixed(1)} by maxEpochsTotal (${maxEpochsTotal} of ${units} units)`;
  if (trialsDone > 0) line += `; resuming: ${plural(trialsDone, 'trial')} already done`;
  return `${line}.`;
}

export class Hyperband extends Tuner {
  /** The schedule (known before the search starts). */
  readonly plan: HyperbandPlan;
  readonly maxEpochsTotal: number | undefined;
  readonly fidelity: HyperbandFidelity;
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
          fidelity: true,
        } satisfies Record<Exclude<keyof HyperbandTunerOptions, keyof TunerOptions>, true>),
      ],
      'Hyperband',
    );
    const { maxEpochs, factor, minEpochs, hyperbandIterations, maxEpochsTotal, seed, sampler } =
      options;
    const fidelity = options.fidelity ?? 'epochs';
    if (!HYPERBAND_FIDELITIES.includes(fidelity))
      throw new HypertunerError(
        'HYPERBAND_INVALID_OPTION',
        `Hyperband option 'fidelity' must be one of ${HYPERBAND_FIDELITIES.map((f) => `'${f}'`).join(', ')}; got ${JSON.stringify(fidelity)}.`,
        { field: 'fidelity' },
      );
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
      promotedFromScratch: fidelity === 'samples',
    });
    // over epochs, promoted trials continue their parents' checkpoints: every trial's is written
    super(
      fidelity === 'epochs'
        ? { ...options, oracle, checkpoints: 'every-trial' }
        : { ...options, oracle },
    );
    this.plan = hyperbandPlan(planOptions);
    this.maxEpochsTotal = maxEpochsTotal;
    this.fidelity = fidelity;
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
      epochsDone += Math.max(
        0,
        attrs.epochs - (this.fidelity === 'samples' ? 0 : attrs.initialEpoch),
      );
    }
    const planned =
      this.fidelity === 'samples' ? this.plan.totalEpochsFromScratch : this.plan.totalEpochs;
    const base = {
      plan: this.plan,
      fidelity: this.fidelity,
      maxEpochsTotal: this.maxEpochsTotal,
      plannedEpochs: Math.min(planned, this.maxEpochsTotal ?? Infinity),
      trialsDone,
      epochsDone,
      ignoredEpochs,
    };
    return { ...base, message: describeHyperbandPlan(base) };
  }

  protected override sampleFidelity(): SampleFidelity | undefined {
    return this.fidelity === 'samples'
      ? { maxResource: this.plan.options.maxEpochs, seed: this.options.seed ?? 0 }
      : undefined;
  }

  /**
   * Stores the fidelity as the study's `hyperband_fidelity` attribute, and refuses a study
   * whose trials were trained over the other one (their scores do not compare).
   */
  async #keepFidelity(): Promise<void> {
    const study = await this.study();
    // as stored now: another process of the search may have opened the study first
    const kept = (await study.refresh()).userAttrs[FIDELITY_ATTR];
    if (kept === this.fidelity) return;
    if (kept !== undefined)
      throw new HypertunerError(
        'HYPERBAND_INVALID_OPTION',
        `Hyperband option 'fidelity' is '${this.fidelity}', but study '${study.name}' was searched over '${String(kept)}'; use '${String(kept)}', another projectName, or overwrite: true.`,
        { field: 'fidelity' },
      );
    await study.storage.setStudyUserAttr(study.id, FIDELITY_ATTR, this.fidelity);
  }

  /**
   * Announces the plan, then searches (see `Tuner.search`); over epochs `options.epochs` is not
   * used, over training-set size it is every trial's.
   */
  override async search(
    x: TunerInput,
    y: TunerInput,
    options: SearchOptions = {},
  ): Promise<OptimizeResult> {
    await this.#keepFidelity();
    // over training-set size, search()'s epochs are every trial's
    const info = await this.planInfo(this.fidelity === 'samples' ? undefined : options.epochs);
    if ((options.verbose ?? 0) > 0) process.stderr.write(`${info.message}\n`);
    this.#callbacks?.onHyperbandPlan?.(info);
    return super.search(x, y, options);
  }
}
