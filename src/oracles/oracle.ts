/**
 * The oracle contract. An oracle decides the next trial's parameters from a study's history.
 * It is pure: no I/O, no clock, randomness only from its seed; for a given history it gives
 * the same answer. It may keep caches (e.g. a fitted model) to be fast, never state that
 * changes its answers.
 *
 * Fixed parameters (`StudyView.fixed`): an oracle must propose exactly the fixed values for
 * the parameters of its space named there, and choose the others given them. The simplest
 * way, which every oracle here takes, is to call `withFixedParams(view)` first: the space then
 * holds each fixed parameter as a Fixed one (one value), so the oracle searches the others only,
 * and models them from the whole history (as Optuna's PartialFixedSampler does: a model-based
 * oracle learns the other parameters from all trials, whatever their fixed parameters held).
 * Fixed names the space does not know yet are not the oracle's business: the study adds them.
 */
import type { ParamValues } from '../space/index.js';
import { SearchSpace } from '../space/index.js';
import type { JsonValue, Objective, Trial } from '../trials/index.js';

/** What an oracle sees: the space, the objectives and every trial (running ones included). */
export interface StudyView {
  readonly space: SearchSpace;
  readonly objectives: readonly Objective[];
  /** All trials of the study, by number. */
  readonly trials: readonly Trial[];
  /**
   * Parameters whose values this ask must propose as given (a study's `fixedParams`, or
   * `ask({ fixedParams })` for one trial). Honour it with `withFixedParams(view)`.
   */
  readonly fixed?: ParamValues;
}

/** Spaces with fixed parameters already made, per space: asked again with the same values, the same object (oracles cache by space). */
const fixedSpaces = new WeakMap<SearchSpace, Map<string, SearchSpace>>();

/**
 * The view an oracle searches when `view.fixed` is set: each parameter of the space named in
 * `fixed` becomes a Fixed parameter holding its value (keeping its place and conditions), so
 * any proposal drawn from the space carries the fixed values. Without `fixed` (or with none of
 * the space's names in it), `view` itself.
 */
export function withFixedParams(view: StudyView): StudyView {
  const fixed = view.fixed;
  if (fixed === undefined) return view;
  const names = Object.keys(fixed).filter((name) => view.space.has(name));
  if (names.length === 0) return view;
  const key = JSON.stringify(names.sort().map((name) => [name, fixed[name]]));
  let cache = fixedSpaces.get(view.space);
  if (cache === undefined) fixedSpaces.set(view.space, (cache = new Map()));
  let space = cache.get(key);
  if (space === undefined) {
    space = new SearchSpace(
      view.space.parameters.map((p) => {
        const value = fixed[p.name];
        return value === undefined
          ? p
          : { kind: 'fixed', name: p.name, value, default: value, conditions: p.conditions };
      }),
    );
    cache.set(key, space);
  }
  return { ...view, space };
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
