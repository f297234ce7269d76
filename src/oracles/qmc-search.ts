/**
 * Quasi-Monte Carlo search, as Optuna's `QMCSampler`: trial after trial, the points of a
 * low-discrepancy sequence (Sobol or Halton) in the unit cube, one coordinate per parameter
 * of the space (in its order), decoded to values. They cover the space more evenly than
 * random draws. Scrambled (the default here, seeded so every worker draws the same sequence),
 * each seed gives another equally even point set.
 *
 * Each proposal records its index in the sequence (`oracleAttrs.qmc`); the next ask takes
 * the next unused index, so the oracle resumes from storage and several workers take
 * different points. A configuration the study already has is skipped (the next points, then
 * a random one); a finite space that is used up answers `exhausted`.
 */
import { ScrambledHalton, firstPrimes } from '../math/halton.js';
import { deriveSeed } from '../math/random.js';
import { SOBOL_MAX_DIMENSION, Sobol } from '../math/sobol.js';
import type { ParamValue } from '../space/index.js';
import {
  HypertunerError,
  cardinality,
  configurationKey,
  decode,
  isActive,
} from '../space/index.js';
import type { AskResult, Oracle, StudyView } from './oracle.js';
import { withFixedParams } from './oracle.js';
import { RandomSearchOracle, seenConfigurations } from './random-search.js';

export type QmcType = 'sobol' | 'halton';

export interface QmcOptions {
  /** The sequence: `sobol` (default) or `halton`. */
  readonly qmcType?: QmcType;
  /** Scramble the sequence (default true; Optuna's QMCSampler defaults to false). */
  readonly scramble?: boolean;
  /** Seed of the scrambling and of the fallback draws (default 0). */
  readonly seed?: number;
}

/** Points skipped at most when they repeat configurations the study has, before a random one. */
const SKIPS = 256;

interface Sequence {
  point(index: number, out: Float64Array): void;
}

/** The plain Halton sequence: the radical inverse of the index in the k-th prime base. */
class PlainHalton implements Sequence {
  readonly #bases: number[];
  constructor(dimension: number) {
    this.#bases = firstPrimes(dimension);
  }
  point(index: number, out: Float64Array): void {
    this.#bases.forEach((base, k) => {
      let value = 0;
      let factor = 1 / base;
      for (let rest = index; rest > 0; rest = Math.floor(rest / base), factor /= base)
        value += (rest % base) * factor;
      out[k] = value;
    });
  }
}

export class QmcSearchOracle implements Oracle {
  readonly name = 'qmc';
  readonly qmcType: QmcType;
  readonly scramble: boolean;
  readonly seed: number;
  readonly #sequences = new Map<number, Sequence>();

  /** Throws `ORACLE_INVALID_OPTION`, naming the option, when an option is not allowed. */
  constructor(options: QmcOptions = {}) {
    this.qmcType = options.qmcType ?? 'sobol';
    this.scramble = options.scramble ?? true;
    this.seed = options.seed ?? 0;
    if (this.qmcType !== 'sobol' && this.qmcType !== 'halton')
      invalid('qmcType', "'sobol' or 'halton'", this.qmcType);
    if (typeof this.scramble !== 'boolean') invalid('scramble', 'true or false', this.scramble);
    if (!Number.isFinite(this.seed)) invalid('seed', 'a finite number', this.seed);
  }

  ask(view: StudyView): AskResult {
    view = withFixedParams(view); // a fixed parameter's coordinate decodes to its value
    if (view.space.size === 0) return { kind: 'trial', params: {} };
    const parameters = view.space.parameters;
    const sequence = this.#sequence(parameters.length);
    const seen = seenConfigurations(view);
    let index = 0;
    for (const trial of view.trials) {
      const used = trial.oracleAttrs.qmc;
      if (typeof used === 'number' && used >= index) index = used + 1;
    }
    const u = new Float64Array(parameters.length);
    for (let skip = 0; skip < SKIPS; skip++, index++) {
      sequence.point(index, u);
      const params: Record<string, ParamValue> = {};
      parameters.forEach((p, k) => {
        if (isActive(p, params))
          params[p.name] = decode(p, cardinality(p) <= 1 ? 0.5 : (u[k] as number));
      });
      if (!seen.has(configurationKey(params)))
        return { kind: 'trial', params, oracleAttrs: { qmc: index } };
    }
    return new RandomSearchOracle({ seed: deriveSeed(this.seed, 0x5eed) }).ask(view);
  }

  #sequence(dimension: number): Sequence {
    let sequence = this.#sequences.get(dimension);
    if (sequence === undefined) {
      if (this.qmcType === 'sobol' && dimension > SOBOL_MAX_DIMENSION) {
        throw new HypertunerError(
          'QMC_TOO_MANY_DIMENSIONS',
          `QmcSearchOracle: a Sobol sequence here covers up to ${SOBOL_MAX_DIMENSION} parameters; the space has ${dimension}. Use qmcType 'halton'.`,
          { field: 'qmcType' },
        );
      }
      sequence =
        this.qmcType === 'sobol'
          ? new Sobol(dimension, { scramble: this.scramble, seed: this.seed })
          : this.scramble
            ? new ScrambledHalton(dimension, deriveSeed(this.seed, 0x4a17))
            : new PlainHalton(dimension);
      this.#sequences.set(dimension, sequence);
    }
    return sequence;
  }
}

function invalid(field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'ORACLE_INVALID_OPTION',
    `QmcSearchOracle: option '${field}' must be ${allowed}, got ${String(value)}.`,
    { field },
  );
}
