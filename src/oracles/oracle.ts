/**
 * The oracle contract. An oracle decides the next trial's parameters from a study's history.
 * It is pure: no I/O, no clock, randomness only from its seed; for a given history it gives
 * the same answer. It may keep caches (e.g. a fitted model) to be fast, never state that
 * changes its answers.
 */
import type { ParamValues, SearchSpace } from '../space/index.js';
import type { JsonValue, Objective, Trial } from '../trials/index.js';

/** What an oracle sees: the space, the objectives and every trial (running ones included). */
export interface StudyView {
  readonly space: SearchSpace;
  readonly objectives: readonly Objective[];
  /** All trials of the study, by number. */
  readonly trials: readonly Trial[];
}

/** Run a new trial with these parameters. */
export interface TrialProposal {
  readonly kind: 'trial';
  readonly params: ParamValues;
  /** Bookkeeping the oracle reads back later (e.g. a Hyperband bracket). */
  readonly oracleAttrs?: Readonly<Record<string, JsonValue>>;
}

/** Nothing to run now; ask again when running trials finish (e.g. Hyperband between rounds). */
export interface WaitAnswer {
  readonly kind: 'wait';
  readonly reason: string;
}

/** The search is over (e.g. a finite space fully explored); `reason` says why. */
export interface ExhaustedAnswer {
  readonly kind: 'exhausted';
  readonly reason: string;
}

export type AskResult = TrialProposal | WaitAnswer | ExhaustedAnswer;

/** Which method an oracle uses for the next trial, and why (e.g. `AutoOracle`'s choice). */
export interface OracleDescription {
  /** The method's short name, e.g. 'bayesian'. */
  readonly oracle: string;
  /** One line saying why. */
  readonly reason: string;
}

export interface Oracle {
  /** A short name, e.g. 'random', 'grid', 'bayesian', 'tpe'. */
  readonly name: string;
  /** The next thing to do, given the history. */
  ask(view: StudyView): AskResult;
  /**
   * Optional: which method the next ask uses and why, for an oracle that chooses among
   * several (a pure function of the view, like `ask`). The study keeps the latest as its
   * `oracle_choice` attribute and progress output shows it when it changes.
   */
  describe?(view: StudyView): OracleDescription;
}
