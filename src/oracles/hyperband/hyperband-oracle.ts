/**
 * The Hyperband oracle (Li et al. 2018), compatible with Keras Tuner's: brackets of
 * successive halving, from many short trainings to a few full ones (see `hyperbandPlan`).
 * Round-0 configurations come from a sampler (seeded random search by default, never
 * repeating a configuration; a model-based one such as `TpeOracle` makes it BOHB-like), which
 * sees one trial per configuration (`samplerHistory`). Promoted trials carry their parent's
 * parameters and continue from its checkpoint: `oracleAttrs` says `epochs`, `initialEpoch`
 * and `parentTrial`.
 *
 * Pure: the answer is a function of the trials (with their oracleAttrs and statuses), so a
 * restarted process continues mid-bracket without re-running finished rounds. Brackets run
 * in Keras Tuner's order; when a bracket must wait for running trials, the next one starts,
 * and the oracle answers `wait` only when no bracket can use a worker.
 *
 * Fixed parameters (`view.fixed`) reach the sampler, so every new configuration holds them; a
 * promoted trial continues its parent's training with the parent's values (in a study whose
 * trials all had the fixed values, the same ones).
 */
import { HypertunerError } from '../../space/index.js';
import type { JsonValue } from '../../trials/index.js';
import type { AskResult, Oracle, StudyView, TrialProposal } from '../oracle.js';
import { RandomSearchOracle } from '../random-search.js';
import { hyperbandAttrsRecord } from './hyperband-attrs.js';
import type { HyperbandPlan, HyperbandPlanOptions } from './hyperband-plan.js';
import { hyperbandPlan } from './hyperband-plan.js';
import { hyperbandState } from './hyperband-state.js';
import type { BracketState } from './hyperband-state.js';
import { nextInBracket } from './next-in-bracket.js';
import type { BracketStep } from './next-in-bracket.js';
import { samplerHistory } from './sampler-history.js';
import { plural } from '../../plural.js';

export interface HyperbandOptions extends HyperbandPlanOptions {
  /** Seed of the default round-0 sampler (default 0). */
  readonly seed?: number;
  /** Stop (answer exhausted) before a trial that would take the epochs trained past this. */
  readonly maxEpochsTotal?: number;
  /**
   * Proposes round-0 configurations (default: `new RandomSearchOracle({seed})`). It sees one
   * trial per configuration (see `samplerHistory`), asked when a round-0 trial is about to start,
   * so a model-based sampler learns from every round finished so far, within a bracket too.
   */
  readonly sampler?: Oracle;
  /**
   * A promoted trial trains its whole resource again instead of continuing its parent's
   * (Hyperband over training-set size): `maxEpochsTotal` charges it all of it (default false).
   */
  readonly promotedFromScratch?: boolean;
}

export class HyperbandOracle implements Oracle {
  readonly name = 'hyperband';
  readonly plan: HyperbandPlan;
  readonly sampler: Oracle;
  readonly maxEpochsTotal: number | undefined;
  readonly promotedFromScratch: boolean;

  constructor(options: HyperbandOptions = {}) {
    this.plan = hyperbandPlan(options);
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) {
      throw new HypertunerError(
        'HYPERBAND_INVALID_OPTION',
        `Hyperband option 'seed' must be a finite number; got ${String(seed)}.`,
        { field: 'seed' },
      );
    }
    const budget = options.maxEpochsTotal;
    if (budget !== undefined && (!Number.isFinite(budget) || budget < 1)) {
      throw new HypertunerError(
        'HYPERBAND_INVALID_OPTION',
        `Hyperband option 'maxEpochsTotal' must be a number >= 1; got ${String(budget)}.`,
        { field: 'maxEpochsTotal' },
      );
    }
    const sampler: unknown = options.sampler;
    if (sampler !== undefined && typeof (sampler as Partial<Oracle> | null)?.ask !== 'function') {
      throw new HypertunerError(
        'HYPERBAND_INVALID_OPTION',
        `Hyperband option 'sampler' must be an oracle (an object with an ask(view) method); got ${sampler === null ? 'null' : typeof sampler}.`,
        { field: 'sampler' },
      );
    }
    this.maxEpochsTotal = budget;
    this.promotedFromScratch = options.promotedFromScratch === true;
    this.sampler = options.sampler ?? new RandomSearchOracle({ seed });
  }

  ask(view: StudyView): AskResult {
    const direction = view.objectives[0]?.direction ?? 'minimize';
    const state = hyperbandState(view.trials, this.plan, direction);
    let sampled: AskResult | undefined;
    const sample = (): AskResult => (sampled ??= this.sampler.ask(samplerHistory(view, this.plan)));
    let waitReason: string | undefined;
    for (const bracket of state.started) {
      const step = nextInBracket(bracket, sample);
      if (step.kind === 'trial') return this.#propose(step, sampled, state.epochsUsed);
      if (step.kind === 'wait') waitReason ??= step.reason;
    }
    const total = this.plan.brackets.length;
    if (state.nextSequence < total) {
      const planned = this.plan.brackets[state.nextSequence];
      if (planned !== undefined) {
        const fresh: BracketState = { plan: planned, sequence: state.nextSequence, rounds: [] };
        const step = nextInBracket(fresh, sample);
        if (step.kind === 'trial') return this.#propose(step, sampled, state.epochsUsed);
        if (step.kind === 'wait') waitReason ??= step.reason;
      }
    }
    if (waitReason !== undefined || state.unfinished > 0) {
      return {
        kind: 'wait',
        reason: waitReason ?? `waiting for ${plural(state.unfinished, 'running Hyperband trial')}`,
      };
    }
    if (state.nextSequence < total && sampled?.kind === 'exhausted') {
      return {
        kind: 'exhausted',
        reason: `no new configuration for Hyperband round 0: ${sampled.reason}`,
      };
    }
    return {
      kind: 'exhausted',
      reason: `Hyperband finished its ${plural(total, 'bracket')} (${plural(this.plan.options.hyperbandIterations, 'iteration')} of ${this.plan.numBrackets})`,
    };
  }

  #propose(
    step: Extract<BracketStep, { kind: 'trial' }>,
    sampled: AskResult | undefined,
    epochsUsed: number,
  ): AskResult {
    const cost = step.attrs.epochs - (this.promotedFromScratch ? 0 : step.attrs.initialEpoch);
    if (this.maxEpochsTotal !== undefined && epochsUsed + cost > this.maxEpochsTotal) {
      return {
        kind: 'exhausted',
        reason: `the next Hyperband trial would train ${plural(cost, 'epoch')}, past maxEpochsTotal (${epochsUsed} of ${this.maxEpochsTotal} used)`,
      };
    }
    const samplerAttrs =
      step.sampled && sampled?.kind === 'trial' ? (sampled.oracleAttrs ?? {}) : {};
    const oracleAttrs: Readonly<Record<string, JsonValue>> = {
      ...samplerAttrs,
      ...hyperbandAttrsRecord(step.attrs),
    };
    const proposal: TrialProposal = { kind: 'trial', params: step.params, oracleAttrs };
    return proposal;
  }
}
