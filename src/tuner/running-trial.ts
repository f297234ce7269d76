/**
 * `RunningTrial`: the one object a running trial is. `study.ask()` returns it, `optimize` hands
 * it to the objective, and `study.tell(trial, result)` ends it. Its `hp` is define-by-run, as
 * Optuna's `trial.suggest_*` in Keras Tuner's vocabulary: a parameter the oracle proposed gets
 * the proposed value; one the study has not seen yet gets a seeded draw from its declared range
 * (the same draw for a retry of a lost trial), and its declaration joins the study's space when
 * the trial is told, so that the oracle models it from the next ask on.
 *
 * The trial reaches its study only through `TrialHost`, which the study gives it: this module
 * knows nothing of `Study`, and nothing here writes to storage directly.
 */
import { Random, deriveSeed } from '../math/random.js';
import type { OracleDescription } from '../oracles/index.js';
import type { Pruner } from '../pruners/index.js';
import type { NewEntriesPolicy, ParamValues, SearchSpace } from '../space/index.js';
import { HyperParameters, decode } from '../space/index.js';
import type { IntermediateValue, JsonValue, Objective, Trial } from '../trials/index.js';

/** What a running trial needs from its study (the study provides it). */
export interface TrialHost {
  readonly objectives: readonly Objective[];
  /** The study's seed: draws of unseen parameters and per-execution seeds derive from it. */
  readonly seed: number;
  /** The study's space as last read. */
  space(): SearchSpace;
  /** Keras Tuner's pre-set hyperparameters and new-entries policy (see `HyperParameters`). */
  readonly preset: SearchSpace | undefined;
  readonly newEntries: NewEntriesPolicy;
  /** The pruner that `report` and `shouldPrune` ask, unless the trial is given one. */
  readonly pruner: Pruner | undefined;
  report(trialId: number, intermediate: IntermediateValue): Promise<void>;
  setUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  heartbeat(trialId: number): Promise<void>;
  trials(): Promise<Trial[]>;
  getTrial(trialId: number): Promise<Trial | undefined>;
}

/** Called when a trial reports (progress bars, logs). */
export type ReportListener = (
  trial: Trial,
  step: number,
  metrics: Readonly<Record<string, number>>,
) => void;

export class RunningTrial {
  /** The trial as it was when it started. */
  readonly record: Trial;
  /** The trial's number in the study (0, 1, 2, ...). */
  readonly number: number;
  /** The trial's id in its storage. */
  readonly id: number;
  /** The values the oracle (or a queue, or `fixedParams`) proposed, before define-by-run additions. */
  readonly proposed: ParamValues;
  /**
   * What the oracle attached to the trial. Hyperband: `{iteration, bracket, round, epochs,
   * initialEpoch, parentTrial}` (read it with `readHyperbandAttrs`): train up to `epochs`,
   * continuing the checkpoint of trial `parentTrial` from `initialEpoch`.
   */
  readonly oracleAttrs: Readonly<Record<string, JsonValue>>;
  readonly #host: TrialHost;
  #hp: HyperParameters;
  #knownAtStart: SearchSpace;
  #execution = 0;
  #seed: number;
  #signal: AbortSignal = new AbortController().signal;
  #pruner: Pruner | undefined;
  #listener: ReportListener | undefined;

  constructor(host: TrialHost, record: Trial) {
    this.#host = host;
    this.record = record;
    this.number = record.number;
    this.id = record.id;
    this.proposed = record.params;
    this.oracleAttrs = record.oracleAttrs;
    this.#pruner = host.pruner;
    this.#seed = deriveSeed(host.seed, record.number, 0);
    this.#knownAtStart = host.space();
    this.#hp = this.#newHyperParameters();
  }

  /** Declare parameters and read this trial's values: `trial.hp.Int('units', {min: 16, max: 256})`. */
  get hp(): HyperParameters {
    return this.#hp;
  }

  /** The trial's values so far: the proposed ones and those its `hp` declared. */
  get params(): ParamValues {
    return { ...this.proposed, ...this.#hp.values };
  }

  /** Which execution of the trial is running (0-based; see `executionsPerTrial`). */
  get execution(): number {
    return this.#execution;
  }

  /** A seed for the objective's own randomness, fixed per trial and execution. */
  get seed(): number {
    return this.#seed;
  }

  /**
   * Aborted when the trial runs past its time limit (`trialTimeoutMs`; the reason is a
   * `TimeoutError`) or the search must stop at once. Hand it to `fetch`, timers, child processes
   * or your training loop, so that the trial ends when it fires.
   */
  get signal(): AbortSignal {
    return this.#signal;
  }

  /**
   * Records the value(s) at `step` (e.g. after an epoch): a number for the first objective or a
   * metrics record containing it. Resolves to true when the pruner says the trial should stop:
   * then throw `new TrialPrunedError(step)` (or `tell` it PRUNED) to end it as PRUNED. Only the
   * first execution of a trial is recorded.
   */
  readonly report = async (
    step: number,
    metrics: number | Readonly<Record<string, number>>,
  ): Promise<boolean> => {
    const objective = this.#host.objectives[0]?.name ?? 'value';
    const record = typeof metrics === 'number' ? { [objective]: metrics } : metrics;
    const value = record[objective];
    this.#listener?.(this.record, step, record);
    if (this.#execution > 0 || value === undefined || !Number.isFinite(value)) return false;
    await this.#host.report(this.record.id, { step, value, metrics: record });
    return this.shouldPrune();
  };

  /** Whether the pruner says this trial should stop, from what it reported so far. */
  readonly shouldPrune = async (): Promise<boolean> => {
    const pruner = this.#pruner;
    if (pruner === undefined) return false;
    const trials = await this.#host.trials();
    const current = trials.find((t) => t.id === this.record.id);
    return (
      current !== undefined &&
      pruner.shouldPrune({ objectives: this.#host.objectives, trials }, current)
    );
  };

  /** Attaches data to the trial (e.g. a checkpoint path). */
  readonly setUserAttr = async (key: string, value: JsonValue): Promise<void> => {
    await this.#host.setUserAttr(this.record.id, key, value);
  };

  /** The trial as stored now (its intermediate values, user attributes and status). */
  async stored(): Promise<Trial> {
    return (await this.#host.getTrial(this.record.id)) ?? this.record;
  }

  /** Marks the trial alive (the search loop does it on a timer). */
  async heartbeat(): Promise<void> {
    await this.#host.heartbeat(this.record.id);
  }

  /**
   * The parameters this run declared that the study did not know when the trial started, and
   * the space it started from (the study checks the proposed values against the declarations).
   */
  get declarations(): { readonly declared: SearchSpace; readonly knownAtStart: SearchSpace } {
    return { declared: this.#hp.space, knownAtStart: this.#knownAtStart };
  }

  /** For the search loop: how this run is observed and stopped, and which pruner decides. */
  configure(options: {
    readonly signal?: AbortSignal | undefined;
    readonly pruner?: Pruner | undefined;
    readonly onReport?: ReportListener | undefined;
  }): void {
    if (options.signal !== undefined) this.#signal = options.signal;
    if (options.pruner !== undefined) this.#pruner = options.pruner;
    this.#listener = options.onReport;
  }

  /** For the search loop: execution `execution` of the current attempt starts. */
  beginExecution(execution: number): void {
    this.#execution = execution;
    this.#seed = deriveSeed(this.#host.seed, this.record.number, execution);
  }

  /** For the search loop: a retry after an error starts afresh from the study's space now. */
  restart(): void {
    this.#knownAtStart = this.#host.space();
    this.#hp = this.#newHyperParameters();
    this.beginExecution(0);
  }

  #newHyperParameters(): HyperParameters {
    // A retry of a lost trial draws what its proposal lacks as the lost run did: same configuration.
    const random = new Random(
      deriveSeed(this.#host.seed, this.record.retryOf ?? this.record.number, 0x5eed),
    );
    return new HyperParameters({
      space: this.#knownAtStart,
      values: this.proposed,
      onMissing: (parameter) => decode(parameter, random.next()),
      ...(this.#host.preset === undefined ? {} : { preset: this.#host.preset }),
      newEntries: this.#host.newEntries,
    });
  }
}

/** Options of `study.ask()`. */
export interface AskOptions {
  /** The study's total number of trials (earlier runs count). */
  readonly maxTrials?: number;
  /**
   * Values this trial must have (Optuna's PartialFixedSampler): the oracle proposes the other
   * parameters given them. Added to the study's own `fixedParams`.
   */
  readonly fixedParams?: ParamValues;
}

/** What `ask()` answers: a running trial, or why there is none (wait, exhausted, stop). */
export type AskOutcome =
  | { readonly kind: 'trial'; readonly trial: RunningTrial }
  | { readonly kind: 'wait' | 'exhausted' | 'stop'; readonly reason: string };

/** What `tell` takes: the trial's values, or an explicit FAILED / PRUNED. */
export type TellResult =
  | number
  | readonly number[]
  | Readonly<Record<string, number>>
  | { readonly status: 'FAILED'; readonly error: unknown }
  | { readonly status: 'PRUNED' };

/** What the search loop needs of a study (`Study` is one). */
export interface SearchTarget {
  readonly name: string;
  readonly objectives: readonly Objective[];
  /** A RUNNING trial without heartbeat for this long is taken as lost. */
  readonly staleAfterMs: number;
  ask(options?: AskOptions): Promise<AskOutcome>;
  tell(trial: RunningTrial | Trial, result: TellResult): Promise<Trial>;
  trials(): Promise<Trial[]>;
  /** Which method the oracle used for the trial last asked, and why (see `Oracle.describe`). */
  readonly oracleChoice?: OracleDescription | undefined;
}
