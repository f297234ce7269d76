/**
 * `AutoOracle`: the oracle a study gets when none is named. Before each trial it picks the
 * Bayesian oracle, TPE or NSGA-II for what the study shows (see choose-oracle.ts) and lets it
 * propose; the trial records which one in its `oracleAttrs` (`auto_oracle`), and
 * `describe(view)` says which and why, for the study's attributes and progress output. The
 * oracles it delegates to are kept (their caches make them fast) and seeded from its seed;
 * since each is a pure function of the history, so is it, and switching from one to another
 * mid-study hands the whole history to the next (NSGA-II's first parents are the best trials
 * the Gaussian process found).
 */
import { deriveSeed } from '../../math/random.js';
import { HypertunerError } from '../../space/index.js';
import { BayesianOptimizationOracle } from '../bayesian/index.js';
import { NsgaIIOracle } from '../nsga-ii/index.js';
import type { AskResult, Oracle, StudyView } from '../oracle.js';
import { TpeOracle } from '../tpe/index.js';
import type { AutoChoice, AutoChoiceName, AutoThresholds } from './choose-oracle.js';
import { DEFAULT_AUTO_THRESHOLDS, chooseOracle } from './choose-oracle.js';

/** The `oracleAttrs` key naming the oracle that proposed a trial. */
export const AUTO_ORACLE_ATTR = 'auto_oracle';

export interface AutoOracleOptions extends Partial<AutoThresholds> {
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
}

function checkOptions(options: AutoOracleOptions): { seed: number; thresholds: AutoThresholds } {
  const thresholds = { ...DEFAULT_AUTO_THRESHOLDS };
  for (const field of ['gpTrials', 'maxGpDimensions'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0)
      throw new HypertunerError(
        'ORACLE_INVALID_OPTION',
        `AutoOracle: option '${field}' must be an integer >= 0, got ${String(value)}.`,
        { field },
      );
    thresholds[field] = value;
  }
  const share = options.conditionalShare;
  if (share !== undefined) {
    if (!(typeof share === 'number' && share >= 0 && share <= 1))
      throw new HypertunerError(
        'ORACLE_INVALID_OPTION',
        `AutoOracle: option 'conditionalShare' must be a number in [0, 1], got ${String(share)}.`,
        { field: 'conditionalShare' },
      );
    thresholds.conditionalShare = share;
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new HypertunerError(
      'ORACLE_INVALID_OPTION',
      `AutoOracle: option 'seed' must be a finite number, got ${String(seed)}.`,
      { field: 'seed' },
    );
  return { seed, thresholds };
}

export class AutoOracle implements Oracle {
  readonly name = 'auto';
  readonly thresholds: AutoThresholds;
  readonly #seed: number;
  readonly #oracles = new Map<AutoChoiceName, Oracle>();

  /** Throws `ORACLE_INVALID_OPTION`, naming the option, when an option is out of range. */
  constructor(options: AutoOracleOptions = {}) {
    const { seed, thresholds } = checkOptions(options);
    this.#seed = seed;
    this.thresholds = thresholds;
  }

  /** Which oracle proposes the next trial of this study, and why. */
  describe(view: StudyView): AutoChoice {
    return chooseOracle(view, this.thresholds);
  }

  ask(view: StudyView): AskResult {
    const choice = this.describe(view);
    const answer = this.#oracle(choice.oracle).ask(view);
    if (answer.kind !== 'trial') return answer;
    return { ...answer, oracleAttrs: { ...answer.oracleAttrs, [AUTO_ORACLE_ATTR]: choice.oracle } };
  }

  #oracle(name: AutoChoiceName): Oracle {
    let oracle = this.#oracles.get(name);
    if (oracle === undefined) {
      switch (name) {
        case 'bayesian':
          oracle = new BayesianOptimizationOracle({ seed: this.#seed });
          break;
        case 'tpe':
          oracle = new TpeOracle({ seed: deriveSeed(this.#seed, 0x7e) });
          break;
        case 'nsga2':
          oracle = new NsgaIIOracle({ seed: deriveSeed(this.#seed, 0x45) });
          break;
      }
      this.#oracles.set(name, oracle);
    }
    return oracle;
  }
}
