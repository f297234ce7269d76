/**
 * `hypertuner`: hyperparameter optimization for TypeScript. The public API of the core: search
 * spaces, studies and their trials, oracles, pruners and storages. TensorFlow.js (tuners,
 * training, datasets) lives in `hypertuner/tfjs`.
 *
 * Every name is exported on purpose (test/package/exports.test.ts keeps the list): what is not
 * here is internal and may change. Importing this module loads no native addon and no server
 * library: SQLite (better-sqlite3) and PostgreSQL (pg) are loaded when a storage of theirs is
 * opened.
 */

// errors
export { ERROR_CODES, HypertunerError, isHypertunerError } from './errors.js';
export type { HypertunerErrorCode } from './errors.js';
export { SpaceErrorCode } from './space/index.js';
export { StorageErrorCode, ArtifactErrorCode } from './storage/index.js';
export { FailedTrialError, FatalError, TrialPrunedError } from './tuner/index.js';

// search spaces
export { HyperParameters, SearchSpace, Sampling } from './space/index.js';
export type {
  BooleanOptions,
  BooleanParameter,
  ChoiceOptions,
  ChoiceParameter,
  Condition,
  ConditionOptions,
  FixedParameter,
  FloatParameter,
  HyperParametersOptions,
  IntParameter,
  MissingValuePolicy,
  NumberOptions,
  Parameter,
  ParamValue,
  ParamValues,
  SearchSpaceJson,
} from './space/index.js';

// trials and objectives
export { Direction, TrialStatus } from './trials/index.js';
export type {
  IntermediateValue,
  JsonValue,
  Objective,
  ObjectiveSpec,
  Trial,
} from './trials/index.js';

// studies: open, ask and tell, optimize
export { ORACLE_CHOICE_ATTR, RunningTrial, Study } from './tuner/index.js';
export type {
  AskOptions,
  AskOutcome,
  ConstraintsFunction,
  ObjectiveFunction,
  ObjectiveResult,
  OpenStudyOptions,
  OptimizeOptions,
  OptimizeResult,
  SearchCallbacks,
  TellResult,
  TrialContext,
} from './tuner/index.js';

// oracles
export {
  AutoOracle,
  BayesianOptimizationOracle,
  CmaEsOracle,
  GridSearchOracle,
  HyperbandOracle,
  NsgaIIOracle,
  QmcSearchOracle,
  RandomSearchOracle,
  TpeOracle,
  defaultGamma,
  defaultWeights,
  hyperbandPlan,
  tunedGamma,
} from './oracles/index.js';
export type {
  Acquisition,
  AskResult,
  AutoChoiceName,
  AutoOracleOptions,
  AutoThresholds,
  BayesianOptimizationOptions,
  CmaEsOptions,
  CmaEsStart,
  CmaEsSurrogate,
  ExhaustedAnswer,
  HyperbandBracket,
  HyperbandOptions,
  HyperbandPlan,
  HyperbandPlanOptions,
  HyperbandRound,
  LossWarping,
  NsgaIICrossover,
  NsgaIIOptions,
  Oracle,
  OracleDescription,
  QmcOptions,
  QmcType,
  RandomSearchOptions,
  RestartStrategy,
  StudyView,
  TpeOptions,
  TpePreset,
  TrialProposal,
  TrustRegionMode,
  WaitAnswer,
} from './oracles/index.js';

// pruners
export { MedianPruner, PatientPruner, SuccessiveHalvingPruner } from './pruners/index.js';
export type {
  MedianPrunerOptions,
  PatientPrunerOptions,
  Pruner,
  PrunerView,
  SuccessiveHalvingPrunerOptions,
} from './pruners/index.js';

// analysis: importances as data (study.importances)
export type {
  ParameterImportance,
  StudyImportanceOptions,
  StudyImportances,
} from './analysis/index.js';

// storages, copies between them, tables of trials (study.trialsTable), Optuna journal files
export {
  MemoryStorage,
  PostgresStorage,
  SqliteStorage,
  copyStudy,
  exportOptunaJournal,
  importOptunaJournal,
  openStorage,
} from './storage/index.js';
export type {
  ArtifactInfo,
  ArtifactStore,
  CopyStudyOptions,
  CopyStudyResult,
  CreateStudyInput,
  EnqueueOptions,
  ImportOptunaJournalOptions,
  ImportOptunaJournalResult,
  OptunaJournal,
  PostgresStorageOptions,
  ReadOptunaJournalOptions,
  ReapOptions,
  SqliteStorageOptions,
  StartDecision,
  StartOutcome,
  Storage,
  StudyRecord,
  StudySnapshot,
  StudySummary,
  TableAttr,
  TableCell,
  TrialResult,
  TrialsTable,
  TrialsTableOptions,
} from './storage/index.js';
