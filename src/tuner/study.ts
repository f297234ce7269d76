/**
 * `Study`: a named, persisted set of trials with its objective(s), and the ask/tell API:
 * `ask()` starts a `RunningTrial`, `tell(trial, result)` ends it. `optimize` (in optimize.ts)
 * is the loop built on them.
 */
import type { StudyImportanceOptions, StudyImportances } from '../analysis/index.js';
import { studyImportances } from '../analysis/index.js';
import type { Oracle, OracleDescription } from '../oracles/index.js';
import { AutoOracle } from '../oracles/index.js';
import type { Pruner } from '../pruners/index.js';
import type {
  HyperParameters,
  NewEntriesPolicy,
  ParamValues,
  SearchSpace,
} from '../space/index.js';
import { HypertunerError, isHypertunerError } from '../space/index.js';
import type { Storage, StudyRecord, TrialsTable, TrialsTableOptions } from '../storage/index.js';
import {
  buildTrialsTable,
  checkStudyName,
  openStorage,
  studyNameProblem,
} from '../storage/index.js';
import type {
  IntermediateValue,
  JsonValue,
  Objective,
  ObjectiveSpec,
  Trial,
  TrialStatus,
} from '../trials/index.js';
import { CONSTRAINTS_ATTR, parseObjectives, rankTrials } from '../trials/index.js';
import type { ConstraintsFunction } from './constraints.js';
import { checkConstraintsOption, evaluateConstraints } from './constraints.js';
import type { OptimizeOptions, OptimizeResult } from './optimize.js';
import { optimize } from './optimize.js';
import type { ObjectiveFunction } from './run-trial.js';
import type {
  AskOptions,
  AskOutcome,
  SearchTarget,
  TellResult,
  TrialHost,
} from './running-trial.js';
import { RunningTrial } from './running-trial.js';
import { decideStart } from './decide-start.js';
import { checkEnqueuedParams, checkFixedParams, invalidProposedValue } from './enqueued-params.js';
import { errorText } from './errors.js';
import { formatResultsSummary, formatSearchSpaceSummary } from './summary.js';
import { explicitStatus, objectiveValues } from './tell-result.js';
import { refuseToDeleteInUse } from './live-trials.js';
import { isExternalWorker, isLocalWorkerAlive, makeWorkerId } from './worker-identity.js';

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
  /**
   * Delete an existing study of that name first (Keras Tuner's `overwrite`). Refused
   * (`STUDY_IN_USE`, naming them) while live workers run its trials, unless `force`.
   */
  readonly overwrite?: boolean;
  /** With `overwrite`: delete the study even while live workers run its trials. */
  readonly force?: boolean;
  /** Seed for values drawn for parameters the oracle did not propose. */
  readonly seed?: number;
  /** A RUNNING trial without heartbeat for this long is taken as lost and re-queued (default 60 s). */
  readonly staleAfterMs?: number;
  /**
   * Re-runs of a trial whose worker was lost (killed, or silent for `staleAfterMs`), default 3.
   * Lost once more, its configuration is given up: the trial stays FAILED "worker lost N times"
   * and, as every lost trial, does not count toward `maxTrials`, so a new trial takes its place.
   */
  readonly maxRetriesPerTrial?: number;
  readonly workerId?: string;
  /** Stored with a new study (e.g. how to rebuild its oracle in a worker process). */
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  /**
   * Values every new trial of this process gets (Optuna's PartialFixedSampler): the oracle
   * proposes the other parameters given them. Each must fit its parameter when the study knows
   * it (else `FIXED_PARAMS_INVALID`); a trial whose run declares it with a range the value does
   * not fit fails, naming it.
   */
  readonly fixedParams?: ParamValues;
  /**
   * Keras Tuner's pre-set `hyperparameters`: their definitions win over the objective's
   * declarations of the same names (a `Fixed` one fixes the value); added to the study's space
   * when it opens, so the oracle models them from the first trial.
   */
  readonly hyperparameters?: HyperParameters;
  /** Keras Tuner's `tune_new_entries`: false fixes parameters not pre-set at their defaults (default true). */
  readonly tuneNewEntries?: boolean;
  /** Keras Tuner's `allow_new_entries`: false makes declaring a parameter not pre-set an error (default true). */
  readonly allowNewEntries?: boolean;
  /** The pruner that `trial.report` and `trial.shouldPrune()` ask (`optimize`'s `pruner` wins). */
  readonly pruner?: Pruner;
}

/** The study attribute holding the oracle's latest `describe()` (which method, and why). */
export const ORACLE_CHOICE_ATTR = 'oracle_choice';

export type { AskOutcome } from './running-trial.js';

export class Study implements SearchTarget {
  readonly storage: Storage;
  readonly oracle: Oracle;
  readonly workerId: string;
  readonly seed: number;
  readonly staleAfterMs: number;
  readonly maxRetriesPerTrial: number;
  readonly constraints: ConstraintsFunction | undefined;
  /** Values every new trial gets (see `OpenStudyOptions.fixedParams`). */
  readonly fixedParams: ParamValues;
  #record: StudyRecord;
  /** What the oracle said of the last ask it answered here (`Oracle.describe`). */
  #choice: OracleDescription | undefined;
  readonly #ownsStorage: boolean;
  readonly #host: TrialHost;

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
    this.fixedParams = { ...(options.fixedParams ?? {}) };
    this.#ownsStorage = ownsStorage;
    const newEntries: NewEntriesPolicy =
      options.allowNewEntries === false
        ? 'forbid'
        : options.tuneNewEntries === false
          ? 'default'
          : 'tune';
    this.#host = {
      objectives: record.objectives,
      seed: this.seed,
      space: () => this.#record.space,
      preset: options.hyperparameters?.space,
      newEntries,
      pruner: options.pruner,
      report: (id, intermediate) => storage.reportIntermediate(id, intermediate),
      setUserAttr: (id, key, value) => storage.setTrialUserAttr(id, key, value),
      heartbeat: (id) => storage.heartbeat(id),
      trials: () => this.trials(),
      getTrial: (id) => storage.getTrial(id),
    };
  }

  /** A parameter policy for building models outside a trial (the preset and new-entries rule of this study). */
  get spacePolicy(): { readonly preset?: SearchSpace; readonly newEntries: NewEntriesPolicy } {
    const { preset, newEntries } = this.#host;
    return preset === undefined ? { newEntries } : { preset, newEntries };
  }

  /** Opens the study `name`, creating it when absent (resume = open it again). */
  static async open(options: OpenStudyOptions): Promise<Study> {
    // one rule for every storage, checked before any is opened
    checkStudyName(options.name);
    // stored with each trial it runs, and compared with what is stored: it must be kept as it is
    if (options.workerId !== undefined && studyNameProblem(options.workerId) !== undefined) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `workerId ${studyNameProblem(options.workerId) ?? ''}, as a study name (1 to 512 characters, no control characters); got ${JSON.stringify(options.workerId)}.`,
        { field: 'workerId' },
      );
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
      let record = await storage.loadStudy(options.name).catch(async (error: unknown) => {
        // a damaged study row is what overwriting is for (no worker can read it either)
        if (options.overwrite !== true || (error as HypertunerError).code !== 'STORAGE_CORRUPT')
          throw error;
        await storage.deleteStudy(options.name);
        return undefined;
      });
      if (record !== undefined && options.overwrite === true) {
        if (options.force !== true)
          await refuseToDeleteInUse(storage, record, options.staleAfterMs ?? 60_000);
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
          if (!isHypertunerError(error, 'STUDY_EXISTS')) throw error;
          record = await storage.loadStudy(options.name);
          if (record === undefined) throw error;
          checkSameObjectives(record, objectives);
        }
      } else if (objectives !== undefined) {
        checkSameObjectives(record, objectives);
      }
      const study = new Study(storage, record, { ...options, oracle }, ownsStorage);
      checkFixedParams(study.space, study.fixedParams, 'fixedParams');
      if (options.hyperparameters !== undefined)
        await study.mergeSpace(options.hyperparameters.space);
      return study;
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
   * still run: they replace a trial already counted). `fixedParams` (with the study's own)
   * fix values of this trial; a queued trial runs as it was queued.
   */
  async ask(options: AskOptions = {}): Promise<AskOutcome> {
    const fixed = { ...this.fixedParams, ...(options.fixedParams ?? {}) };
    if (options.fixedParams !== undefined)
      checkFixedParams(this.space, options.fixedParams, 'ask(fixedParams)');
    await this.reapLostTrials();
    // `decide` may run again when the transaction is retried (see Storage.startTrial): it only
    // computes, and remembers the study it saw, which the run that commits overwrites last
    let seen = this.#record;
    let choice: OracleDescription | undefined;
    const outcome = await this.storage.startTrial(this.id, this.workerId, (snapshot) => {
      seen = snapshot.study;
      const decision = decideStart(snapshot, {
        oracle: this.oracle,
        workerId: this.workerId,
        maxTrials: options.maxTrials,
        fixed,
      });
      // an oracle that chooses among methods says which it used for this trial, and why
      choice =
        decision.kind === 'create'
          ? this.oracle.describe?.({
              space: snapshot.study.space,
              objectives: snapshot.study.objectives,
              trials: snapshot.trials,
            })
          : undefined;
      return decision;
    });
    this.#record = seen;
    this.#choice = choice;
    if (outcome.kind !== 'started') return outcome;
    await this.#keepOracleChoice();
    return { kind: 'trial', trial: new RunningTrial(this.#host, outcome.trial) };
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
        workerId === this.workerId
          ? undefined
          : isExternalWorker(workerId)
            ? true // asked from a shell: ended by `tell`, never lost
            : isLocalWorkerAlive(workerId),
    });
  }

  /** Records a value of a running trial at `step` (a handle's `report` does it for you). */
  async report(trial: RunningTrial | Trial, intermediate: IntermediateValue): Promise<void> {
    await this.storage.reportIntermediate(recordOf(trial).id, intermediate);
  }

  /**
   * Ends a trial: a number (single objective), a list (one per objective), a metrics record
   * containing the objectives, or an explicit FAILED/PRUNED result. A string `status` other than
   * 'FAILED' or 'PRUNED' throws `TELL_INVALID_STATUS` (the trial stays RUNNING); a number under
   * `status` in a metrics record is a metric. A PRUNED trial keeps its last finite reported value.
   * Telling a trial that has ended throws `TRIAL_NOT_RUNNING`.
   *
   * For a `RunningTrial`, the parameters its `hp` declared join the study's space first (so the
   * next ask's oracle models them) and are stored with the trial. A declaration that conflicts
   * with what another worker stored meanwhile, or a given value (queued, fixed) that does not
   * fit its declaration, makes the trial FAILED with that reason instead.
   */
  async tell(trial: RunningTrial | Trial, result: TellResult): Promise<Trial> {
    if (!(trial instanceof RunningTrial)) return this.#finish(trial, result, {});
    const { declared, knownAtStart } = trial.declarations;
    let problem = invalidProposedValue(knownAtStart, declared, trial.proposed);
    if (problem === undefined) {
      try {
        await this.mergeSpace(declared);
      } catch (error) {
        // a declaration that conflicts with the stored space fails the trial; a storage that
        // cannot be reached is no verdict on it: rethrown, the trial stays RUNNING
        if (!isHypertunerError(error) || !error.code.startsWith('SPACE_')) throw error;
        problem = `The parameters this trial declared could not be added to the study's search space: ${errorText(error)}`;
      }
    }
    const params = this.space.pruneInactive(trial.params);
    if (problem === undefined) return this.#finish(trial.record, result, { params });
    explicitStatus(result); // a result that is no result is the caller's error, even now
    const failed = failedText(result);
    const error = failed === undefined ? problem : `${failed}\n${problem}`;
    return this.#finish(trial.record, { status: 'FAILED', error }, { params });
  }

  async #finish(
    trial: Trial,
    result: TellResult,
    base: { readonly params?: ParamValues },
  ): Promise<Trial> {
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
        ...(base.params === undefined ? {} : { params: base.params }),
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

  /**
   * The trials as a table shaped like Optuna's `trials_dataframe()`: columns `number`, `value`
   * (or `values_0`, `values_1`, ...), `datetime_start`, `datetime_complete`, `duration` (ms),
   * `params_<name>`, `user_attrs_<key>`, `system_attrs_<key>`, `state` (Optuna's names:
   * COMPLETE, FAIL, PRUNED, RUNNING, WAITING); `null` where a trial has no value (an inactive
   * conditional parameter). `attrs` chooses the attributes, as Optuna's does.
   */
  async trialsTable(options: TrialsTableOptions = {}): Promise<TrialsTable> {
    return buildTrialsTable(this.#record, await this.trials(), options);
  }

  /**
   * The fANOVA importances of the parameters for one objective: the numbers the dashboard's
   * importance chart draws (a seeded random forest on the COMPLETED trials).
   */
  async importances(options: StudyImportanceOptions = {}): Promise<StudyImportances> {
    return studyImportances(await this.refresh(), await this.trials(), options);
  }

  /** A text summary of the search space. */
  searchSpaceSummary(): string {
    return formatSearchSpaceSummary(this.space);
  }

  /**
   * Adds parameters to the study's space (a handle's `tell` does it for the parameters its
   * trial declared; call it to make parameters known before the first ask).
   */
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

/** The stored record of a handle or of a record. */
function recordOf(trial: RunningTrial | Trial): Trial {
  return trial instanceof RunningTrial ? trial.record : trial;
}

/** The error text of an explicit FAILED result, else undefined. */
function failedText(result: TellResult): string | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const r = result as { readonly status?: unknown; readonly error?: unknown };
  return r.status === 'FAILED' ? errorText(r.error ?? 'failed (no error text given)') : undefined;
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
