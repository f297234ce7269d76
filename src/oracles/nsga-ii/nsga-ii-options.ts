/**
 * Options of the NSGA-II oracle, with Optuna's defaults (`NSGAIISampler`), and their validation.
 */
import { HypertunerError } from '../../space/index.js';

export const NSGA_II_CROSSOVERS = ['uniform', 'sbx'] as const;
/** 'uniform': each parameter from either parent (Optuna's default); 'sbx': simulated binary crossover of numeric parameters. */
export type NsgaIICrossover = (typeof NSGA_II_CROSSOVERS)[number];

export interface NsgaIIOptions {
  /** Seed of every random choice (default 0). */
  readonly seed?: number;
  /** Trials per generation (default 50). The first generation is drawn at random. */
  readonly populationSize?: number;
  /** Probability that a child's parameter is drawn afresh at random (default 1 / its number of parameters). */
  readonly mutationProb?: number;
  /** How two parents make a child (default 'uniform'; choices always cross uniformly). */
  readonly crossover?: NsgaIICrossover;
  /** Probability that a child is a crossover of two parents rather than a copy of one (default 0.9). */
  readonly crossoverProb?: number;
  /** Uniform crossover: probability of taking each parameter from the second parent (default 0.5). */
  readonly swappingProb?: number;
  /** SBX's distribution index (default 20 with several objectives, 2 with one, as Optuna). */
  readonly sbxEta?: number;
  /** Children tried before falling back to random draws when they repeat configurations (default 100). */
  readonly maxDrawAttempts?: number;
}

export interface ResolvedNsgaIIOptions {
  readonly seed: number;
  readonly populationSize: number;
  readonly mutationProb: number | undefined;
  readonly crossover: NsgaIICrossover;
  readonly crossoverProb: number;
  readonly swappingProb: number;
  readonly sbxEta: number | undefined;
  readonly maxDrawAttempts: number;
}

function invalid(field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'ORACLE_INVALID_OPTION',
    `NsgaIIOracle: option '${field}' must be ${allowed}, got ${JSON.stringify(value) ?? String(value)}.`,
    { field },
  );
}

function probability(field: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1))
    invalid(field, 'a number in [0, 1]', value);
}

/** Fills in Optuna's defaults; throws `ORACLE_INVALID_OPTION` naming a field out of range. */
export function resolveNsgaIIOptions(options: NsgaIIOptions): ResolvedNsgaIIOptions {
  const resolved: ResolvedNsgaIIOptions = {
    seed: options.seed ?? 0,
    populationSize: options.populationSize ?? 50,
    mutationProb: options.mutationProb,
    crossover: options.crossover ?? 'uniform',
    crossoverProb: options.crossoverProb ?? 0.9,
    swappingProb: options.swappingProb ?? 0.5,
    sbxEta: options.sbxEta,
    maxDrawAttempts: options.maxDrawAttempts ?? 100,
  };
  if (typeof resolved.seed !== 'number' || !Number.isFinite(resolved.seed))
    invalid('seed', 'a finite number', resolved.seed);
  if (!Number.isInteger(resolved.populationSize) || resolved.populationSize < 2)
    invalid('populationSize', 'an integer >= 2', resolved.populationSize);
  probability('mutationProb', resolved.mutationProb);
  probability('crossoverProb', resolved.crossoverProb);
  probability('swappingProb', resolved.swappingProb);
  if (!NSGA_II_CROSSOVERS.includes(resolved.crossover))
    invalid('crossover', `one of ${NSGA_II_CROSSOVERS.join(', ')}`, resolved.crossover);
  if (
    resolved.sbxEta !== undefined &&
    !(
      typeof resolved.sbxEta === 'number' &&
      Number.isFinite(resolved.sbxEta) &&
      resolved.sbxEta > 0
    )
  )
    invalid('sbxEta', 'a finite number > 0', resolved.sbxEta);
  if (!Number.isInteger(resolved.maxDrawAttempts) || resolved.maxDrawAttempts < 1)
    invalid('maxDrawAttempts', 'an integer >= 1', resolved.maxDrawAttempts);
  return resolved;
}
