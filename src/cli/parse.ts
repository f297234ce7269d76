/** Parsing of numeric command-line flags, with errors naming the flag. */
import { HypertunerError } from '../index.js';

export function parseWholeNumber(text: string, flag: string, min: number, max?: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--${flag} must be a whole number ${max === undefined ? `>= ${min}` : `from ${min} to ${max}`}, got '${text}'.`,
      { field: flag },
    );
  }
  return value;
}
