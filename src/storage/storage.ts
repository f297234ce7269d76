/**
 * The storage contract: where studies and their trials live. Every adapter (memory, SQLite,
 * PostgreSQL) passes the same contract test suite (`test/storage/storage-contract.ts`).
 *
 * Invariants every adapter keeps:
 * - Safe for many processes (and, for PostgreSQL, many machines) sharing one study.
 * - Trial numbers are unique and dense (0, 1, 2, ...) within a study, whatever the writers.
 * - Every change of a trial's state is one transaction; a crash at any point leaves a study
 *   that the next run can open and continue.
 * - Finished trials (COMPLETED, PRUNED, FAILED) are immutable but for their user attributes:
 *   changing their state, values or intermediate values is an error.
 * - Returned trials and studies are readonly snapshots (adapters may share frozen objects).
 * - `startTrial` runs its `decide` callback inside the transaction that creates or claims the
 *   trial, so two workers never run the same trial nor get the same proposal from one history.
 * - Every string is stored as given or, when it cannot be (U+0000, a lone surrogate), through
 *   `storableText`, the same in every adapter; study names are checked (`checkStudyName`).
 * - Reads check what they read: a row edited by hand or damaged is a `STORAGE_CORRUPT` error
 *   naming the storage, study, trial and field, and the other trials stay readable.
 *
 * What a `decide` callback must obey: an adapter may run it more than once for one call (a
 * transaction retried after a conflict or a lost connection), and only the decision of the run
 * whose transaction commits takes effect. So `decide` is a pure function of its snapshot: it
 * writes nowhere, calls no storage, and changes no state that outlives it (it may note what it
 * saw in a variable that each run overwrites, as `Study.ask` does).
 */
import type { HypertunerError, ParamValues, SearchSpace, SearchSpaceJson } from '../space/index.js';
import type {
  IntermediateValue,
  JsonValue,
  Objective,
  Trial,
  TrialStatus,
} from '../trials/index.js';

/** A study as stored. */
export interface StudyRecord {
  readonly id: number;
  readonly name: string;
  readonly objectives: readonly Objective[];
  /** The parameters seen so far (grows as define-by-run code declares more). */
  readonly space: SearchSpace;
  readonly createdAt: number;
  /** Free-form data: the oracle and tuner options a study was made with, for instance. */
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
}

/** A study with its trial counts, for listings. */
export interface StudySummary extends StudyRecord {
  readonly trialCounts: Readonly<Record<TrialStatus, number>>;
  /** Best value of the first objective among COMPLETED trials. */
  readonly bestValue: number | undefined;
}

/**
 * A stored study or trial that cannot be read (edited by hand, or damaged): what a read with
 * `onCorrupt` reports in place of failing.
 */
export interface CorruptRecord {
  readonly studyId: number | undefined;
  /** The study's name, when that much of it can be read. */
  readonly studyName: string | undefined;
  /** The trial's number (undefined: the study's own row is damaged, or the number itself). */
  readonly trialNumber: number | undefined;
  readonly trialId: number | undefined;
  /** The stored field (column) that is wrong. */
  readonly field: string;
  /** The `STORAGE_CORRUPT` error that names the storage, study, trial and field. */
  readonly error: HypertunerError;
}

/**
 * How a read meets damaged rows. Without `onCorrupt` the first one is a `STORAGE_CORRUPT`
 * error; with it, each is reported there and left out, and the rest is read.
 */
export interface CorruptRowOptions {
  readonly onCorrupt?: (record: CorruptRecord) => void;
}

export interface CreateStudyInput {
  readonly name: string;
  readonly objectives: readonly Objective[];
  readonly space?: SearchSpaceJson;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  /** When the study was made (ms since 1970); default now. Set by a copy or an import. */
  readonly createdAt?: number;
}

/**
 * A whole trial as another storage or a file had it, for `addTrials` (a copy, an import):
 * everything but its ids. Its number is the next one of the study it is added to.
 */
export type TrialTemplate = Omit<Trial, 'id' | 'number'>;

/** What `startTrial`'s callback sees, read inside the transaction. */
export interface StudySnapshot {
  readonly study: StudyRecord;
  readonly trials: readonly Trial[];
}

/** What `startTrial`'s callback decides. */
export type StartDecision =
  /** Run this WAITING trial. */
  | { readonly kind: 'claim'; readonly trialId: number }
  /** Create a new RUNNING trial with these parameters. */
  | {
      readonly kind: 'create';
      readonly params: ParamValues;
      readonly oracleAttrs?: Readonly<Record<string, JsonValue>>;
    }
  /** Start nothing; `kind` says why. */
  | { readonly kind: 'wait' | 'exhausted' | 'stop'; readonly reason: string };

export type StartOutcome =
  | { readonly kind: 'started'; readonly trial: Trial }
  | { readonly kind: 'wait' | 'exhausted' | 'stop'; readonly reason: string };

/** The end of a trial. */
export interface TrialResult {
  readonly status: 'COMPLETED' | 'PRUNED' | 'FAILED';
  /**
   * The trial's final parameter values, when running it declared parameters its proposal did
   * not have (define-by-run); a superset of the proposed values. Stored in place of `params`.
   */
  readonly params?: ParamValues;
  readonly values?: readonly number[];
  readonly metrics?: Readonly<Record<string, number>>;
  readonly error?: string;
}

export interface EnqueueOptions {
  readonly retryOf?: number;
  readonly oracleAttrs?: Readonly<Record<string, JsonValue>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
}

export interface ReapOptions {
  /** RUNNING trials without a heartbeat for this long are stale. */
  readonly staleAfterMs: number;
  /** How many retries a trial may get in all (counted along its `retryOf` chain). */
  readonly maxRetries: number;
  /** Current time (ms since epoch); defaults to Date.now(). */
  readonly now?: number;
  /**
   * Whether a worker is alive, when the caller can tell (same host: is the process there?).
   * false: stale at once; true: never stale; undefined: judged by heartbeat age.
   */
  readonly isWorkerAlive?: (workerId: string) => boolean | undefined;
}

export interface Storage {
  /** The URL this storage was opened with (e.g. `sqlite:studies.db`, `memory:`). */
  readonly url: string;

  /** Creates a study; throws `STUDY_EXISTS` when the name is taken. */
  createStudy(input: CreateStudyInput): Promise<StudyRecord>;
  /** The study called `name`, or undefined. */
  loadStudy(name: string): Promise<StudyRecord | undefined>;
  /** Every study; a damaged one is `STORAGE_CORRUPT`, or left out when `onCorrupt` is given. */
  listStudies(options?: CorruptRowOptions): Promise<StudySummary[]>;
  /** Deletes a study and its trials; throws `STUDY_NOT_FOUND` when absent. */
  deleteStudy(name: string): Promise<void>;
  /** Adds parameters to a study's space (union, in one transaction); returns the new space. */
  mergeSearchSpace(studyId: number, space: SearchSpaceJson): Promise<SearchSpace>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /**
   * The study's trials by number, optionally only those with the given statuses. A damaged
   * trial is `STORAGE_CORRUPT` (naming it), or left out when `onCorrupt` is given.
   */
  getTrials(
    studyId: number,
    options?: { readonly statuses?: readonly TrialStatus[] } & CorruptRowOptions,
  ): Promise<Trial[]>;
  getTrial(trialId: number): Promise<Trial | undefined>;

  /**
   * In one transaction: reads the study and its trials, calls `decide`, and claims or creates
   * the trial it decided on (RUNNING, started now, owned by `workerId`). `decide` may be run
   * more than once (see above): it must be pure.
   */
  startTrial(
    studyId: number,
    workerId: string,
    decide: (snapshot: StudySnapshot) => StartDecision,
  ): Promise<StartOutcome>;
  /**
   * Adds trials as given (state, values, intermediate values, attributes, times: a copy or an
   * import, as Optuna's `create_new_trial` with a template), numbered on from the study's last
   * trial in the order given; all of them or, when one is invalid (`STORAGE_INVALID_VALUE`
   * naming it), none, in one transaction.
   */
  addTrials(studyId: number, trials: readonly TrialTemplate[]): Promise<Trial[]>;
  /** Adds a WAITING trial with these parameters. */
  enqueueTrial(studyId: number, params: ParamValues, options?: EnqueueOptions): Promise<Trial>;
  /** Records a value at `step` of a RUNNING trial (a step reported again replaces the old one). */
  reportIntermediate(trialId: number, intermediate: IntermediateValue): Promise<void>;
  /** Marks a RUNNING trial alive now. */
  heartbeat(trialId: number): Promise<void>;
  /** Ends a RUNNING trial; throws `TRIAL_NOT_RUNNING` when it is not RUNNING. */
  finishTrial(trialId: number, result: TrialResult): Promise<Trial>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /**
   * Fails stale RUNNING trials (error text says why) and queues one WAITING retry for each
   * that has retries left; each stale trial is handled exactly once even when many workers
   * reap at the same time. Returns the trials it failed.
   */
  reapStaleTrials(studyId: number, options: ReapOptions): Promise<Trial[]>;

  close(): Promise<void>;
}

/** Error codes of storage. */
export const StorageErrorCode = {
  StudyExists: 'STUDY_EXISTS',
  StudyNotFound: 'STUDY_NOT_FOUND',
  TrialNotFound: 'TRIAL_NOT_FOUND',
  TrialNotRunning: 'TRIAL_NOT_RUNNING',
  TrialNotWaiting: 'TRIAL_NOT_WAITING',
  InvalidUrl: 'STORAGE_INVALID_URL',
  /** The database server refused the login (user name, password, pg_hba.conf). */
  AuthFailed: 'STORAGE_AUTH_FAILED',
  /** The database the URL names does not exist (a PostgreSQL database; the CLI's read-only commands: a SQLite file). */
  NotFound: 'STORAGE_NOT_FOUND',
  /** The database server cannot be reached (down, wrong host or port, SSL refused), or was lost for longer than the retries. */
  Unavailable: 'STORAGE_UNAVAILABLE',
  /** The database server refused to open the storage for another reason (its message says why). */
  OpenFailed: 'STORAGE_OPEN_FAILED',
  SchemaTooNew: 'STORAGE_SCHEMA_TOO_NEW',
  InvalidValue: 'STORAGE_INVALID_VALUE',
  /** A stored row cannot be read (edited by hand, or the file damaged); the message names it. */
  Corrupt: 'STORAGE_CORRUPT',
  /** The file is not a SQLite database, or not one of hypertuner's. */
  NotADatabase: 'STORAGE_NOT_A_DATABASE',
  /** A write to a storage that is read-only (file permissions, or opened read-only). */
  ReadOnly: 'STORAGE_READ_ONLY',
  /** The disk (or the database's quota) is full. */
  Full: 'STORAGE_FULL',
} as const;
