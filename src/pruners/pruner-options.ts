/**
 * Validation of pruner options: errors name the pruner, the option and what is allowed.
 */
import { HypertunerError } from '../space/index.js';

function invalid(pruner: string, field: string, allowed: string, value: unknown): never {
  throw new HypertunerError(
    'PRUNER_INVALID_OPTION',
    `${pruner} option '${field}' must be ${allowed}; got ${String(value)}.`,
    { field },
  );
}

/** `value` (or `fallback` when undefined), checked to be an integer >= `min`. */
export function integerOption(
  pruner: string,
  field: string,
  value: number | undefined,
  fallback: number,
  min: number,
): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min)
    invalid(pruner, field, `an integer >= ${min}`, resolved);
  return resolved;
}

/** `value` (or `fallback` when undefined), checked to be a finite number >= `min`. */
export function numberOption(
  pruner: string,
  field: string,
  value: number | undefined,
  fallback: number,
  min: number,
): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < min)
    invalid(pruner, field, `a finite number >= ${min}`, resolved);
  return resolved;
}

/** `value` (or `fallback` when undefined), checked to be one of `allowed`. */
export function oneOfOption<T extends number | string>(
  pruner: string,
  field: string,
  value: T | undefined,
  fallback: T,
  allowed: readonly T[],
): T {
  const resolved = value ?? fallback;
  if (!allowed.includes(resolved)) invalid(pruner, field, `one of ${allowed.join(', ')}`, resolved);
  return resolved;
}
