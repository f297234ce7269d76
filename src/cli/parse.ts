/** Parsing of numeric command-line flags, with errors naming the flag. */
import { HypertunerError } from '../index.js';

export function parseWholeNumber(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--${flag} must be a whole number >= ${min}, got '${text}'.`,
      { field: flag },
    );
  }
  return value;
}
