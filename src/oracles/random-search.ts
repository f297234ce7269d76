/**
 * Random search: uniform draws in the unit cube, decoded. Never proposes a configuration
 * the study already has; in a finite space that is used up it answers `exhausted`.
 */
import { Random, deriveSeed } from '../math/random.js';
import type { ParamValue } from '../space/index.js';
import { HypertunerError, configurationKey, enumerateConfigurations } from '../space/index.js';
import type { AskResult, Oracle, StudyView } from './oracle.js';
import { withFixedParams } from './oracle.js';

export interface RandomSearchOptions {
  /** A finite number (default 0). */
  readonly seed?: number;
  /** Draws tried before a finite space counts as used up: an integer >= 1 (default 1000). */
  readonly maxDrawAttempts?: number;
  /**
   * Spaces with at most this many configurations are enumerated exactly: an integer >= 0
   * (default 20000).
   */
  readonly enumerationLimit?: number;
}

function invalidOption(field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'ORACLE_INVALID_OPTION',
    `RandomSearchOracle: option '${field}' must be ${allowed}, got ${String(value)}.`,
    { field },
  );
}

/** Checks the options (throws `ORACLE_INVALID_OPTION` naming the field) and fills in defaults. */
function checkOptions(options: RandomSearchOptions): Required<RandomSearchOptions> {
  const settings = {
    seed: options.seed ?? 0,
    maxDrawAttempts: options.maxDrawAttempts ?? 1000,
    enumerationLimit: options.enumerationLimit ?? 20_000,
  };
  if (typeof settings.seed !== 'number' || !Number.isFinite(settings.seed)) {
    invalidOption('seed', 'a finite number', settings.seed);
  }
  if (!Number.isInteger(settings.maxDrawAttempts) || settings.maxDrawAttempts < 1) {
    invalidOption('maxDrawAttempts', 'an integer >= 1', settings.maxDrawAttempts);
  }
  if (!Number.isInteger(settings.enumerationLimit) || settings.enumerationLimit < 0) {
    invalidOption('enumerationLimit', 'an integer >= 0', settings.enumerationLimit);
  }
  return settings;
}

/** Keys of parameter objects already seen (a trial's params never change). */
const keys = new WeakMap<object, string>();

/** The configuration keys of every trial of the study. */
export function seenConfigurations(view: StudyView): Set<string> {
  return new Set(
    view.trials.map((t) => {
      let key = keys.get(t.params);
      if (key === undefined) keys.set(t.params, (key = configurationKey(t.params)));
      return key;
    }),
  );
}

export class RandomSearchOracle implements Oracle {
  readonly name = 'random';
  readonly #seed: number;
  readonly #maxDrawAttempts: number;
  readonly #enumerationLimit: number;

  /** Throws `ORACLE_INVALID_OPTION`, naming the option, when an option is out of range. */
  constructor(options: RandomSearchOptions = {}) {
    const settings = checkOptions(options);
    this.#seed = settings.seed;
    this.#maxDrawAttempts = settings.maxDrawAttempts;
    this.#enumerationLimit = settings.enumerationLimit;
  }

  ask(view: StudyView): AskResult {
    view = withFixedParams(view);
    const random = new Random(deriveSeed(this.#seed, view.trials.length));
    if (view.space.size === 0) return { kind: 'trial', params: {} };
    const seen = seenConfigurations(view);
    const size = view.space.cardinality();
    if (size <= this.#enumerationLimit) {
      const unseen: Record<string, ParamValue>[] = [];
      for (const configuration of enumerateConfigurations(view.space)) {
        if (!seen.has(configurationKey(configuration))) unseen.push(configuration);
      }
      if (unseen.length === 0) {
        return {
          kind: 'exhausted',
          reason: `all ${seen.size} configurations of the search space have been tried`,
        };
      }
      return {
        kind: 'trial',
        params: unseen[random.int(unseen.length)] as Record<string, ParamValue>,
      };
    }
    for (let attempt = 0; attempt < this.#maxDrawAttempts; attempt++) {
      const params = view.space.complete({}, random.uniform);
      if (!seen.has(configurationKey(params))) return { kind: 'trial', params };
    }
    return {
      kind: 'exhausted',
      reason: `no untried configuration found in ${this.#maxDrawAttempts} random draws (${seen.size} tried)`,
    };
  }
}
