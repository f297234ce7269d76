/**
 * The one error type of hypertuner and the table of its codes. Every error thrown on purpose is
 * a `HypertunerError` whose `code` is a key of `ERROR_CODES` (for programs) and whose message
 * names the field, what is allowed and what was given (for people). Adding a code is one line
 * in the table; README.md's error section is generated from it (`npx tsx scripts/readme-errors.ts`).
 */

/** Every code the library throws, each with what it means (one line, shown in the README). */
export const ERROR_CODES = {
  // the package
  PEER_MISSING:
    'An optional package (@tensorflow/tfjs, -backend-wasm, -node, pg, playwright-core) is needed and not installed; the message gives the npm i command.',
  // search spaces (hp.Int, hp.Choice, ..., SearchSpace.fromJSON)
  SPACE_INVALID_NAME: 'A parameter name is empty, not a string, or has a character not allowed.',
  SPACE_NOT_FINITE: 'A bound, step or default of a numeric parameter is not a finite number.',
  SPACE_NOT_INTEGER: 'A bound, step or default of an Int parameter is not a whole number.',
  SPACE_MIN_GREATER_THAN_MAX: "A numeric parameter's min is greater than its max.",
  SPACE_INVALID_STEP: 'A step is <= 0, or <= 1 with log sampling (where it is a multiplier).',
  SPACE_INVALID_SAMPLING: "A sampling that is not 'linear', 'log' or 'reverse_log'.",
  SPACE_LOG_NEEDS_POSITIVE_MIN: 'Log or reverse_log sampling with min <= 0.',
  SPACE_EMPTY_CHOICES: 'hp.Choice with no values.',
  SPACE_MIXED_CHOICE_TYPES:
    'hp.Choice values that are not all numbers, all strings or all booleans.',
  SPACE_DUPLICATE_CHOICE: 'hp.Choice lists a value twice.',
  SPACE_INVALID_CHOICE_VALUE:
    'A choice or fixed value that is not a finite number, a string or a boolean.',
  SPACE_DEFAULT_OUT_OF_RANGE: "A parameter's default is not one of its values.",
  SPACE_REDECLARED:
    'A name declared again with another type or range, or under conditions that cannot be combined.',
  SPACE_UNKNOWN_PARENT: 'A condition on a parent parameter that is not declared (yet).',
  SPACE_NEW_ENTRY_NOT_ALLOWED:
    'A parameter declared that is not among the preset hyperparameters, with allowNewEntries: false.',
  SPACE_UNKNOWN_PARAMETER: 'hp.get of a parameter that is not declared or not active.',
  SPACE_INVALID_VALUE: "A value that does not fit its parameter's range.",
  SPACE_INVALID_JSON: 'A search space in JSON that is not a list of parameter objects.',
  SPACE_INVALID_KIND: 'A parameter kind that is not int, float, choice, boolean or fixed.',
  GRID_FLOAT_WITHOUT_STEP: 'Grid search over a Float parameter that has no step.',
  // objectives
  OBJECTIVE_INVALID:
    'An objective that is not a metric name or {name, direction}, or a metric named twice.',
  OBJECTIVE_INVALID_DIRECTION:
    "An objective direction that is not 'minimize'/'maximize' (or 'min'/'max').",
  OBJECTIVE_DIRECTION_UNKNOWN:
    'A metric name whose direction cannot be inferred; give {name, direction}.',
  // oracles and pruners
  ORACLE_UNKNOWN:
    'A tuner or oracle name that is not one of auto, random, grid, bayesian, tpe, nsga2, cmaes, qmc, hyperband.',
  ORACLE_INVALID_OPTION:
    'An oracle option out of range (its message names it and what is allowed).',
  TPE_INVALID_OPTION: 'A TpeOracle option out of range.',
  CMAES_INVALID_OPTION: 'A CmaEsOracle option out of range (or too few trials to warm-start from).',
  CMAES_MULTI_OBJECTIVE: 'CmaEsOracle given a study with several objectives (it optimises one).',
  QMC_TOO_MANY_DIMENSIONS:
    "More parameters than QmcSearchOracle's Sobol sequence covers; use Halton.",
  HYPERBAND_INVALID_OPTION: 'A HyperbandOracle option out of range.',
  PRUNER_INVALID_OPTION: 'A pruner option out of range.',
  PRUNING_MULTI_OBJECTIVE: 'A pruner given to a study with several objectives (pruning needs one).',
  // studies, trials and the search loop
  OPTIONS_INVALID:
    'An option of a function, tuner or command that is not allowed (the message names it).',
  STUDY_INVALID_NAME:
    'A study name that is not 1 to 512 characters, only spaces, or has control characters.',
  STUDY_IN_USE: 'An overwrite of a study whose trials live workers run (give force / --force).',
  STUDY_EXISTS: 'A study of that name exists already.',
  STUDY_NOT_FOUND: 'No study of that name (or it was deleted).',
  STUDY_OBJECTIVE_MISMATCH: 'A study opened with other objectives than it was created with.',
  TRIAL_NOT_FOUND: 'No trial with that id or number.',
  TRIAL_NOT_RUNNING: 'A trial told, reported or written to after it finished (e.g. told twice).',
  TRIAL_NOT_WAITING: 'A queued trial claimed that is no longer WAITING.',
  TELL_INVALID_STATUS: "tell() with a status other than 'FAILED' or 'PRUNED'.",
  ENQUEUE_INVALID_VALUE: 'enqueue() with a value that does not fit its parameter.',
  FIXED_PARAMS_INVALID:
    'fixedParams with a value that does not fit its parameter, or that is not a finite number, a string or a boolean.',
  TOO_MANY_FAILED_TRIALS: 'maxConsecutiveFailedTrials trials in a row failed; the search stopped.',
  // storage
  STORAGE_INVALID_URL: 'A storage URL that is not sqlite:, memory: or postgres://.',
  STORAGE_AUTH_FAILED: 'The database server refused the login.',
  STORAGE_NOT_FOUND: 'The database (or SQLite file) the URL names does not exist.',
  STORAGE_UNAVAILABLE:
    'The database server cannot be reached, or was lost for longer than the retries.',
  STORAGE_OPEN_FAILED: 'The database server refused to open the storage for another reason.',
  STORAGE_SCHEMA_TOO_NEW: 'The database was written by a newer hypertuner.',
  STORAGE_INVALID_VALUE: 'A value the storage cannot keep (e.g. not JSON, or not finite).',
  STORAGE_CORRUPT:
    'A stored row cannot be read (edited by hand, or the file damaged); the message names it.',
  STORAGE_NOT_A_DATABASE: 'A file that is not a SQLite database, or not a hypertuner one.',
  STORAGE_READ_ONLY: 'A write to a storage that is read-only (permissions, or opened read-only).',
  STORAGE_FULL: 'The disk holding the storage is full.',
  ARTIFACT_INVALID_KEY: 'An artifact with an invalid study name, trial number or file name.',
  ARTIFACT_TOO_LARGE: 'An artifact too large for the database artifact store.',
  ARTIFACT_INVALID_URL: 'An artifacts location that is not a directory or a storage URL.',
  ARTIFACT_STORE_UNSUPPORTED:
    'An artifact store for a storage that cannot keep artifacts (memory:).',
  // datasets
  DATASET_NOT_FOUND: 'No copy of the dataset found anywhere looked, and none could be downloaded.',
  DATASET_CHECKSUM_MISMATCH:
    "A downloaded file's checksum differs from the published one (nothing kept).",
  DATASET_DOWNLOAD_FAILED: 'A dataset download failed (network, HTTP status, truncated body).',
  DATASET_FORMAT: 'A dataset file that is not in the expected format.',
  DATASET_INVALID_OPTION: 'A dataset option that is not allowed.',
  // TensorFlow.js tuners
  MODEL_NOT_COMPILED:
    'build() returned a model that is not compiled; call model.compile({optimizer, loss, metrics}) in build().',
  MODEL_NOT_FOUND: 'No saved model at the given place.',
  MODEL_SHAPE_UNDEFINED: 'A model whose input or output shape is not fully defined.',
  CHECKPOINT_MISSING: 'A trial has no checkpoint (it reported no epoch with the objective).',
  CHECKPOINT_MISMATCH:
    "A checkpoint's weights do not fit the model built from its hyperparameters.",
  DATA_SHAPE_MISMATCH: "Data whose shape does not fit the model's inputs or outputs.",
  HYPERMODEL_INVALID:
    'A ready-made hypermodel (HyperResNet, HyperMLP, ...) given an option it does not allow.',
  // command line, dashboard and plots
  PROGRAM_INVALID: 'A program given to the CLI that does not export an objective.',
  WORKER_FAILED: 'A worker process of the CLI ended with an error.',
  TRIAL_OVERRAN:
    'A trial ran past --trial-timeout and its objective ignored the abort signal; the worker stops so that a fresh process can take its place.',
  OBJECTIVE_NEVER_SETTLES:
    "An objective's promise that can never settle (nothing left to run in the process); --trial-timeout fails such trials.",
  DELETE_NOT_CONFIRMED: 'hypertuner delete without --yes (it deletes the study and its trials).',
  NO_COMPLETED_TRIAL: 'No trial completed, so there is no best model to retrain.',
  EXAMPLE_DATA_INVALID:
    "The search data an example worker process reads is missing, not hypertuner's, or drawn for other options.",
  FILE_NOT_WRITABLE: 'A file the command was asked to write cannot be written.',
  IMPORT_INVALID_FILE:
    'A file to import that is not in its format, or holds no such study (the message names the line or the studies).',
  PORT_IN_USE: 'The port the dashboard was asked to listen on is in use.',
  PORT_NOT_ALLOWED: 'A port below 1024 without the privileges for it.',
  HOST_INVALID: 'A --host that is not an address of this machine.',
  HOST_NOT_ALLOWED:
    'A dashboard request sent to a host name it does not answer to (--allowed-host adds one).',
  DASHBOARD_ASSETS_MISSING: 'The dashboard page is missing from the installed package.',
  API_INVALID_PARAMETER: 'A dashboard API query parameter with a value not allowed.',
  API_MISSING_PARAMETER: 'A dashboard API query without a parameter it needs.',
  TABLE_INVALID_SORT: 'A trials table sorted by a column that does not exist.',
  TABLE_INVALID_STATUS: 'A trials table filtered by a status that does not exist.',
  CHART_INVALID_KIND: 'A plot kind that is not one of those listed.',
  CHART_INVALID_OBJECTIVE: 'A plot of an objective the study does not have.',
  CHART_INVALID_PARAMETER: 'A plot of a parameter the study does not have.',
  PLOT_INVALID_OUT: 'A plot output file whose extension is not .svg, .html or .png.',
  CHROMIUM_MISSING: 'No Chromium to render a PNG plot (apt-get install chromium).',
  // benchmarks (npm run bench:*)
  BENCH_INVALID_PROBLEM: 'A benchmark problem file (--problem-file) that is not a valid problem.',
  BENCH_INVALID_PEER_FILE:
    'A recorded peer-run file (bench:bo --peer-file) with a line that is not a valid run.',
} as const satisfies Record<string, string>;

/** A code of `ERROR_CODES`. */
export type HypertunerErrorCode = keyof typeof ERROR_CODES;

/** Marks our errors across copies of the package (a registered symbol, not `instanceof`). */
const BRAND: unique symbol = Symbol.for('hypertuner.HypertunerError') as never;

/** Marks `error` with the registered symbol `brand` (see `hasBrand`). */
export function setBrand(error: Error, brand: symbol): void {
  Object.defineProperty(error, brand, { value: true });
}

/**
 * `instanceof` for an error class marked with `brand`: for the class itself, any value marked
 * (by any copy of the package); for a subclass, its own instances only.
 */
export function brandedInstance(
  target: abstract new (...args: never[]) => unknown,
  base: abstract new (...args: never[]) => unknown,
  brand: symbol,
  value: unknown,
): boolean {
  if (target !== base) return Function.prototype[Symbol.hasInstance].call(target, value);
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/**
 * The one structured error type of hypertuner: a stable `code` (for programs) and a message
 * that names the field and what is allowed (for people).
 */
export class HypertunerError extends Error {
  /** A stable identifier from `ERROR_CODES`, e.g. `SPACE_MIN_GREATER_THAN_MAX`. */
  readonly code: HypertunerErrorCode;
  /** The field (parameter name, option name) the error is about, when there is one. */
  readonly field: string | undefined;
  declare readonly [BRAND]: true;

  constructor(
    code: HypertunerErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HypertunerError';
    this.code = code;
    this.field = options.field;
    setBrand(this, BRAND);
  }

  /**
   * `error instanceof HypertunerError` holds for a `HypertunerError` of any copy of the package
   * (see `isHypertunerError`); for a subclass, as usual, only its own instances.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstance(this, HypertunerError, BRAND, value);
  }
}

/**
 * Whether `error` is a `HypertunerError` (with `code`, when given) — also one thrown by another
 * copy of the package loaded in the same process, which `instanceof` would not recognise.
 */
export function isHypertunerError<C extends HypertunerErrorCode = HypertunerErrorCode>(
  error: unknown,
  code?: C,
): error is HypertunerError & { readonly code: C } {
  if (!brandedInstance(HypertunerError, HypertunerError, BRAND, error)) return false;
  return code === undefined || (error as { code?: unknown }).code === code;
}

/** Throws a `HypertunerError` when `condition` is false. */
export function ensure(
  condition: boolean,
  code: HypertunerErrorCode,
  message: string,
  field?: string,
): asserts condition {
  if (!condition) throw new HypertunerError(code, message, field === undefined ? {} : { field });
}
