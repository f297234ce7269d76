/**
 * `Study`: a named, persisted set of trials with its objective(s), and the ask/tell API.
 * `optimize` (in optimize.ts) is the loop built on it.
 */
import type { Oracle, OracleDescription } from '../oracles/index.js';
import { AutoOracle } from '../oracles/index.js';
import type { ParamValues, SearchSpace } from '../space/index.js';
import { HypertunerError } from '../space/index.js';
import type { Storage, StudyRecord, StartDecision } from '../storage/index.js';
import { openStorage } from '../storage/index.js';
import type {
  IntermediateValue,
  JsonValue,
  Objective,
  ObjectiveSpec,
  Trial,
  TrialStatus,
} from '../trials/index.js';
import {
  CONSTRAINTS_ATTR,
  budgetUsed,
  isQueuedByUser,
  parseObjectives,
  rankTrials,
} from '../trials/index.js';
import type { ConstraintsFunction } from './constraints.js';
import { checkConstraintsOption, evaluateConstraints } from './constraints.js';
import type { OptimizeOptions, OptimizeResult } from './optimize.js';
import { optimize } from './optimize.js';
import type { ObjectiveFunction } from './run-trial.js';
import { checkEnqueuedParams } from './enqueued-params.js';
import { errorText } from './errors.js';
import { formatResultsSummary, formatSearchSpaceSummary } from './summary.js';
import { isLocalWorkerAlive, makeWorkerId } from './worker-identity.js';

export interface OpenStudyOptions {
  /** A storage, or its URL (`sqlite:path.db`, `memory:`, `postgres://...`). */
  readonly storage: Storage | string;
  readonly name: string;
  /** Metric name(s) and direction(s); needed to create a study, checked when loading one. */
  readonly objective?: ObjectiveSpec | readonly ObjectiveSpec[];
  /**
   * Decides the parameters of new trials (default: an `AutoOracle` seeded with `seed`, which
   * picks Bayesian optimisation, TPE or NSGA-II for the study and says which and why).
   */
  readonly oracle?: Oracle;
  /**
   * Constraints: a function of each completed trial (its params, values and metrics)
   * returning numbers, each <= 0 when the trial is feasible. The best trials and the Pareto
   * front are then chosen among feasible trials, and the oracles steer towards them. Give it
   * in every process that runs the study's trials.
   */
  readonly constraints?: ConstraintsFunction;
  /** Delete an existing study of that name first (Keras Tuner's `overwrite`). */
  readonly overwrite?: boolean;
  /** Seed for values drawn for parameters the oracle did not propose. */
  readonly seed?: number;
  /** A RUNNING trial without heartbeat for this long is taken as lost and re-queued (default 60 s). */
  readonly staleAfterMs?: number;
  /** Re-runs of a trial whose worker was lost (default 3). */
  readonly maxRetriesPerTrial?: number;
  readonly workerId?: string;
  /** Stored with a new study (e.g. how to rebuild its oracle in a worker process). */
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
}

/** The study attribute holding the oracle's latest `describe()` (which method, and why). */
export const ORACLE_CHOICE_ATTR = 'oracle_choice';

/** A running trial handed out by `ask()`. */
export type AskOutcome =
  | { readonly kind: 'trial'; readonly trial: Trial }
  | { readonly kind: 'wait' | 'exhausted' | 'stop'; readonly reason: string };

export class Study {
  readonly storage: Storage;
  readonly oracle: Oracle;
  readonly workerId: string;
  readonly seed: number;
  readonly staleAfterMs: number;
  readonly maxRetriesPerTrial: number;
  readonly constraints: ConstraintsFunction | undefined;
  #record: StudyRecord;
  /** What the oracle said of the last ask it answered here (`Oracle.describe`). */
  #choice: OracleDescription | undefined;
  readonly #ownsStorage: boolean;

  private constructor(
    storage: Storage,
    record: StudyRecord,
    options: OpenStudyOptions,
    ownsStorage: boolean,
  ) {
    this.storage = storage;
    this.#record = record;
    this.oracle = options.oracle ?? new AutoOracle({ seed: options.seed ?? 0 });
    this.constraints = options.constraints;
    this.workerId = options.workerId ?? makeWorkerId();
    this.seed = options.seed ?? 0;
    this.staleAfterMs = options.staleAfterMs ?? 60_000;
    this.maxRetriesPerTrial = options.maxRetriesPerTrial ?? 3;
    this.#ownsStorage = ownsStorage;
  }

  /** Opens the study `name`, creating it when absent (resume = open it again). */
  static async open(options: OpenStudyOptions): Promise<Study> {
    if (typeof options.name !== 'string' || options.name.length === 0) {
      throw new HypertunerError('STUDY_INVALID_NAME', 'Study name must be a non-empty string.', {
        field: 'name',
      });
    }
    checkConstraintsOption(options.constraints);
    const oracle = options.oracle ?? new AutoOracle({ seed: options.seed ?? 0 });
    const ownsStorage = typeof options.storage === 'string';
    const storage =
      typeof options.storage === 'string' ? await openStorage(options.storage) : options.storage;
    try {
      const objectives =
        options.objective === undefined ? undefined : parseObjectives(options.objective);
      if (options.overwrite === true && objectives === undefined) {
        // checked before anything is deleted: the study must be created again at once
        throw new HypertunerError(
          'OPTIONS_INVALID',
          `overwrite: true deletes study '${options.name}' and creates it again, which needs an objective; give one (nothing was deleted).`,
          { field: 'objective' },
        );
      }
      let record = await storage.loadStudy(options.name);
      if (record !== undefined && options.overwrite === true) {
        await storage.deleteStudy(options.name);
        record = undefined;
      }
      if (record === undefined) {
        if (objectives === undefined) {
          throw new HypertunerError(
            'STUDY_NOT_FOUND',
            `No study called '${options.name}'; give an objective to create it.`,
            { field: 'objective' },
          );
        }
        try {
          record = await storage.createStudy({
            name: options.name,
            objectives,
            userAttrs: { oracle: oracle.name, ...(options.userAttrs ?? {}) },
          });
        } catch (error) {
          // another process created it at the same moment
          if ((error as HypertunerError).code !== 'STUDY_EXISTS') throw error;
          record = await storage.loadStudy(options.name);
          if (record === undefined) throw error;
          checkSameObjectives(record, objectives);
        }
      } else if (objectives !== undefined) {
        checkSameObjectives(record, objectives);
      }
      return new Study(storage, record, { ...options, oracle }, ownsStorage);
    } catch (error) {
      if (ownsStorage) await storage.close();
      throw error;
    }
  }

  get name(): string {
    return this.#record.name;
  }

  get id(): number {
    return this.#record.id;
  }

  get objectives(): readonly Objective[] {
    return this.#record.objectives;
  }

  /** The parameters seen so far. */
  get space(): SearchSpace {
    return this.#record.space;
  }

  /** Data stored with the study (the oracle's name and options, for instance). */
  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.#record.userAttrs;
  }

  /** Runs the search loop on this study (see `optimize`). */
  async optimize(
    objective: ObjectiveFunction,
    options: OptimizeOptions = {},
  ): Promise<OptimizeResult> {
    return optimize(this, objective, options);
  }

  /** Re-reads the study record (its space may have grown in another process). */
  async refresh(): Promise<StudyRecord> {
    const record = await this.storage.loadStudy(this.#record.name);
    if (record === undefined)
      throw new HypertunerError('STUDY_NOT_FOUND', `Study '${this.#record.name}' was deleted.`, {
        field: 'name',
      });
    this.#record = record;
    return record;
  }

  /** All trials, by number. */
  async trials(statuses?: readonly TrialStatus[]): Promise<Trial[]> {
    return this.storage.getTrials(this.id, statuses === undefined ? {} : { statuses });
  }

  /**
   * Starts the next trial: re-queues trials of lost workers, then claims a WAITING trial or
   * asks the oracle for a new one. `maxTrials` caps the study's total; a queued trial counts
   * once it starts, so queued trials beyond the budget stay WAITING (retries of lost trials
   * still run: they replace a trial already counted).
   */
  async ask(options: { readonly maxTrials?: number } = {}): Promise<AskOutcome> {
    await this.reapLostTrials();
    const outcome = await this.storage.startTrial(this.id, this.workerId, ({ study, trials }) => {
      this.#record = study;
      return this.#decide(study, trials, options.maxTrials);
    });
    if (outcome.kind === 'started') await this.#keepOracleChoice();
    return outcome.kind === 'started' ? { kind: 'trial', trial: outcome.trial } : outcome;
  }

  /**
   * Which method the oracle used for the latest trial asked here, and why (an oracle that
   * chooses among several, such as `AutoOracle`); undefined for the others.
   */
  get oracleChoice(): OracleDescription | undefined {
    return this.#choice;
  }

  /** Stores the oracle's choice as the study's `oracle_choice` attribute when it changed. */
  async #keepOracleChoice(): Promise<void> {
    const choice = this.#choice;
    if (choice === undefined) return;
    const kept = this.#record.userAttrs[ORACLE_CHOICE_ATTR] as
      { readonly oracle?: unknown; readonly reason?: unknown } | undefined;
    if (kept?.oracle === choice.oracle && kept.reason === choice.reason) return;
    const value = { oracle: choice.oracle, reason: choice.reason };
    await this.storage.setStudyUserAttr(this.id, ORACLE_CHOICE_ATTR, value);
    this.#record = {
      ...this.#record,
      userAttrs: { ...this.#record.userAttrs, [ORACLE_CHOICE_ATTR]: value },
    };
  }

  /** Fails RUNNING trials whose worker is gone and queues their retries. */
  async reapLostTrials(): Promise<Trial[]> {
    return this.storage.reapStaleTrials(this.id, {
      staleAfterMs: this.staleAfterMs,
      maxRetries: this.maxRetriesPerTrial,
      isWorkerAlive: (workerId) =>
        workerId === this.workerId ? undefined : isLocalWorkerAlive(workerId),
    });
  }

  #decide(
    study: StudyRecord,
    trials: readonly Trial[],
    maxTrials: number | undefined,
  ): StartDecision {
    // Queued trials count once they start; a retry replaces a trial already counted.
    const budgetLeft = maxTrials === undefined || budgetUsed(trials) < maxTrials;
    const waiting = trials.find(
      (t) => t.status === 'WAITING' && (budgetLeft || t.retryOf !== undefined),
    );
    if (waiting !== undefined) return { kind: 'claim', trialId: waiting.id };
    if (!budgetLeft) {
      // Trials still running elsewhere may yet be lost and re-queued: wait for them to end.
      const elsewhere = trials.filter(
        (t) => t.status === 'RUNNING' && t.workerId !== this.workerId,
      ).length;
      if (elsewhere > 0) {
        return {
          kind: 'wait',
          reason: `waiting for ${elsewhere} trial(s) running in other workers to end (maxTrials is reached)`,
        };
      }
      const queued = trials.filter(isQueuedByUser).length;
      return {
        kind: 'stop',
        reason: `the study has its ${maxTrials} trials (maxTrials)${queued > 0 ? `; ${queued} queued trial(s) left waiting` : ''}`,
      };
    }
    const view = { space: study.space, objectives: study.objectives, trials };
    const answer = this.oracle.ask(view);
    this.#choice = answer.kind === 'trial' ? this.oracle.describe?.(view) : undefined;
    switch (answer.kind) {
      case 'trial':
        return {
          kind: 'create',
          params: answer.params,
          ...(answer.oracleAttrs === undefined ? {} : { oracleAttrs: answer.oracleAttrs }),
        };
      case 'wait':
        return { kind: 'wait', reason: answer.reason };
      case 'exhausted':
        return { kind: 'exhausted', reason: answer.reason };
    }
  }

  /** Records a value of a running trial at `step`. */
  async report(trial: Trial, intermediate: IntermediateValue): Promise<void> {
    await this.storage.reportIntermediate(trial.id, intermediate);
  }

  /**
   * Ends a trial: a number (single objective), a list (one per objective), a metrics record
   * containing the objectives, or an explicit FAILED/PRUNED result. A string `status` other than
   * 'FAILED' or 'PRUNED' throws `TELL_INVALID_STATUS` (the trial stays RUNNING); a number under
   * `status` in a metrics record is a metric. A PRUNED trial keeps its last finite reported value.
   */
  async tell(
    trial: Trial,
    result:
      | number
      | readonly number[]
      | Readonly<Record<string, number>>
      | { readonly status: 'FAILED'; readonly error: string }
      | { readonly status: 'PRUNED' },
    extra: { readonly params?: ParamValues } = {},
  ): Promise<Trial> {
    const base = extra.params === undefined ? {} : { params: extra.params };
    const status = explicitStatus(result);
    if (status === 'FAILED') {
      const { error } = result as { readonly error?: unknown };
      return this.storage.finishTrial(trial.id, {
        ...base,
        status: 'FAILED',
        error: error === undefined ? 'failed (no error text given)' : errorText(error),
      });
    }
    if (status === 'PRUNED') {
      const current = (await this.storage.getTrial(trial.id)) ?? trial;
      const last = current.intermediate.findLast((iv) => Number.isFinite(iv.value));
      return this.storage.finishTrial(trial.id, {
        ...base,
        status: 'PRUNED',
        ...(last === undefined ? {} : { values: [last.value], metrics: last.metrics }),
      });
    }
    const parsed = objectiveValues(
      result as number | readonly number[] | Readonly<Record<string, number>>,
      this.objectives,
    );
    if (parsed.error !== undefined) {
      return this.storage.finishTrial(trial.id, {
        ...base,
        status: 'FAILED',
        error: parsed.error,
        metrics: parsed.metrics,
      });
    }
    if (this.constraints !== undefined) {
      const current = (await this.storage.getTrial(trial.id)) ?? trial;
      const completed: Trial = {
        ...current,
        ...(extra.params === undefined ? {} : { params: extra.params }),
        status: 'COMPLETED',
        values: parsed.values,
        metrics: parsed.metrics,
      };
      const evaluated = evaluateConstraints(this.constraints, completed);
      if ('error' in evaluated) {
        return this.storage.finishTrial(trial.id, {
          ...base,
          status: 'FAILED',
          error: evaluated.error,
          metrics: parsed.metrics,
        });
      }
      // kept before the trial completes: an oracle never sees it COMPLETED without them
      await this.storage.setTrialUserAttr(trial.id, CONSTRAINTS_ATTR, evaluated.values);
    }
    return this.storage.finishTrial(trial.id, {
      ...base,
      status: 'COMPLETED',
      values: parsed.values,
      metrics: parsed.metrics,
    });
  }

  /**
   * Queues a trial with given parameters (run before the oracle's proposals; it counts towards
   * `maxTrials` once it starts). Values of known parameters must fit them, others must be finite
   * numbers, strings or booleans: else `ENQUEUE_INVALID_VALUE` names the parameter.
   */
  async enqueue(
    params: ParamValues,
    userAttrs: Readonly<Record<string, JsonValue>> = {},
  ): Promise<Trial> {
    // checked against the space as it is now (it may have grown in another process)
    checkEnqueuedParams((await this.refresh()).space, params);
    return this.storage.enqueueTrial(this.id, params, { userAttrs });
  }

  /** The best feasible COMPLETED trials (single objective), or the Pareto front of the feasible ones (several). */
  async getBestTrials(n = 1): Promise<Trial[]> {
    checkCount(n, 'getBestTrials');
    const ranked = rankTrials(await this.trials(), this.objectives);
    return this.objectives.length > 1 ? ranked : ranked.slice(0, n);
  }

  /** The parameter values of the best `n` trials. */
  async getBestHyperparameters(n = 1): Promise<ParamValues[]> {
    checkCount(n, 'getBestHyperparameters');
    return (await this.getBestTrials(n)).map((t) => t.params);
  }

  /** A text summary of the best `n` trials, as Keras Tuner prints it. */
  async resultsSummary(n = 10): Promise<string> {
    checkCount(n, 'resultsSummary');
    return formatResultsSummary(this.#record, await this.getBestTrials(n), n);
  }

  /** A text summary of the search space. */
  searchSpaceSummary(): string {
    return formatSearchSpaceSummary(this.space);
  }

  /** Adds parameters declared by a trial's run to the study's space. */
  async mergeSpace(space: SearchSpace): Promise<void> {
    // nothing new: no parameter, and no wider condition (a name declared in a second
    // conditional scope), than the study already has
    if (this.space.merge(space) === this.space) return;
    const merged = await this.storage.mergeSearchSpace(this.id, space.toJSON());
    this.#record = { ...this.#record, space: merged };
  }

  /** Closes the storage if this study opened it from a URL. */
  async close(): Promise<void> {
    if (this.#ownsStorage) await this.storage.close();
  }
}

/** Throws `OPTIONS_INVALID` unless `n` (how many best trials) is a whole number >= 1. */
function checkCount(n: number, method: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `${method}(n): n must be a whole number >= 1, got ${String(n)}.`,
      { field: 'n' },
    );
  }
}

/** 'FAILED' or 'PRUNED' for an explicit status result; throws for any other string status. */
function explicitStatus(result: unknown): 'FAILED' | 'PRUNED' | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const status = (result as { readonly status?: unknown }).status;
  if (typeof status !== 'string') return undefined; // absent, or a metric called status
  if (status === 'FAILED' || status === 'PRUNED') return status;
  throw new HypertunerError(
    'TELL_INVALID_STATUS',
    `tell(): result.status must be 'FAILED' or 'PRUNED' (or a number, as a metric), got ${JSON.stringify(status)}; give a finished trial's values as a number, a list or a metrics record.`,
    { field: 'status' },
  );
}

function checkSameObjectives(record: StudyRecord, objectives: readonly Objective[]): void {
  const same =
    record.objectives.length === objectives.length &&
    record.objectives.every(
      (o, i) => o.name === objectives[i]?.name && o.direction === objectives[i]?.direction,
    );
  if (!same) {
    const show = (list: readonly Objective[]): string =>
      list.map((o) => `${o.name} (${o.direction})`).join(', ');
    throw new HypertunerError(
      'STUDY_OBJECTIVE_MISMATCH',
      `Study '${record.name}' optimises ${show(record.objectives)}, not ${show(objectives)}; use another study name or overwrite: true.`,
      { field: 'objective' },
    );
  }
}

/** Turns what an objective returned into one value per objective, or an error text. */
export function objectiveValues(
  result: number | readonly number[] | Readonly<Record<string, number>>,
  objectives: readonly Objective[],
): { values: number[]; metrics: Record<string, number>; error?: string } {
  let values: number[];
  let metrics: Record<string, number> = {};
  if (typeof result === 'number') {
    values = [result];
  } else if (Array.isArray(result)) {
    values = [...(result as readonly number[])];
  } else if (typeof result === 'object' && result !== null) {
    metrics = Object.fromEntries(Object.entries(result).filter(([, v]) => typeof v === 'number'));
    const missing = objectives.filter(
      (o) => typeof (result as Record<string, unknown>)[o.name] !== 'number',
    );
    if (missing.length > 0) {
      return {
        values: [],
        metrics,
        error: `The objective's result has no metric ${missing.map((o) => `'${o.name}'`).join(', ')}; it returned ${Object.keys(result).join(', ') || 'no metrics'}.`,
      };
    }
    values = objectives.map((o) => (result as Record<string, number>)[o.name] as number);
  } else {
    return {
      values: [],
      metrics,
      error: `The objective must return a number, a list of numbers or a metrics object; it returned ${String(result)}.`,
    };
  }
  if (values.length !== objectives.length) {
    return {
      values: [],
      metrics,
      error: `The objective returned ${values.length} value(s) for ${objectives.length} objective(s) (${objectives.map((o) => o.name).join(', ')}).`,
    };
  }
  if (Object.keys(metrics).length === 0)
    objectives.forEach((o, i) => (metrics[o.name] = values[i] as number));
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) {
    return {
      values: [],
      metrics,
      error: `The objective '${objectives[bad]?.name}' is ${String(values[bad])}, not a finite number; the trial fails (it is never taken as a best value).`,
    };
  }
  return { values, metrics };
}
