/** Command-line number parsers shared by the benchmarks (commander argument parsers). */
import { InvalidArgumentError } from 'commander';

/** A parser accepting whole numbers >= `min`, for commander's `.option(..., parser)`. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`must be an integer >= ${min}.`);
    return n;
  };
}

/** Whole numbers >= 1. */
export const positiveInt = integerAtLeast(1);

/** Numbers > 0 (e.g. minutes). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('must be a number > 0.');
  return n;
}
