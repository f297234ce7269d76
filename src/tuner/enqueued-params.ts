/**
 * Checks on parameter values a user gives (`study.enqueue`, `fixedParams`): they reach the
 * objective and the oracles as they are, so a value of the wrong type or outside its range must
 * stop at the door.
 */
import type { HypertunerErrorCode, ParamValues, SearchSpace } from '../space/index.js';
import { HypertunerError, describeRange, isValidValue } from '../space/index.js';

/** Error code of a queued value that no parameter of the study could take. */
export const ENQUEUE_INVALID_VALUE = 'ENQUEUE_INVALID_VALUE';

/**
 * Throws `ENQUEUE_INVALID_VALUE` (naming the parameter and what it allows) unless every value is
 * a finite number, a string or a boolean, and fits its parameter when the study knows it.
 * Values of parameters the study has not seen yet (define-by-run) are checked when declared.
 */
export function checkEnqueuedParams(space: SearchSpace, params: ParamValues): void {
  checkGivenParams(space, params, ENQUEUE_INVALID_VALUE, 'enqueue(params)');
}

/** The same checks for fixed values (`fixedParams`), throwing `FIXED_PARAMS_INVALID`. */
export function checkFixedParams(space: SearchSpace, params: ParamValues, where: string): void {
  checkGivenParams(space, params, 'FIXED_PARAMS_INVALID', where);
}

function checkGivenParams(
  space: SearchSpace,
  params: ParamValues,
  code: HypertunerErrorCode,
  where: string,
): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new HypertunerError(
      code,
      `${where}: must be an object of parameter values, e.g. {lr: 0.01}; got ${describeValue(params)}.`,
      { field: 'params' },
    );
  }
  for (const [name, value] of Object.entries(params)) {
    const parameter = space.get(name);
    const allowed =
      parameter === undefined ? 'a finite number, a string or a boolean' : describeRange(parameter);
    const ok =
      parameter === undefined
        ? (typeof value === 'number' && Number.isFinite(value)) ||
          typeof value === 'string' ||
          typeof value === 'boolean'
        : isValidValue(parameter, value);
    if (!ok) {
      throw new HypertunerError(
        code,
        `${where}: ${describeValue(value)} is not a valid value for parameter '${name}'; allowed: ${allowed}.`,
        { field: name },
      );
    }
  }
}

/** A value as a person would write it (JSON, but Infinity and NaN shown as such). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Parameters the trial took from its proposal that the study did not know when it started
 * (only a user's queued values can be so) and whose declaration they do not fit. Returns the
 * error text for the first such value, or undefined when all fit.
 */
export function invalidProposedValue(
  knownAtStart: SearchSpace,
  declared: SearchSpace,
  proposed: ParamValues,
): string | undefined {
  for (const [name, value] of Object.entries(proposed)) {
    if (knownAtStart.has(name)) continue;
    const parameter = declared.get(name);
    if (parameter === undefined || isValidValue(parameter, value)) continue;
    return `The queued or fixed value ${describeValue(value)} of parameter '${name}' does not fit its declaration (${describeRange(parameter)}); the trial fails.`;
  }
  return undefined;
}
