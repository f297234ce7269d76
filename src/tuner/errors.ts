/**
 * Errors named by how the search loop handles them, as in Keras Tuner.
 * - `FailedTrialError`: the trial is FAILED at once, without retries.
 * - `FatalError`: the trial is FAILED and the whole search stops (the error is rethrown).
 * - `TrialPrunedError`: thrown by `trial.report` callers to stop a trial the pruner pruned;
 *   the trial is stored as PRUNED with its last reported value.
 * - anything else: the trial is retried up to `maxRetriesPerTrial` times, then FAILED.
 */
import { HypertunerError } from '../space/index.js';
import { brandedInstance, setBrand } from '../errors.js';

// Registered symbols: a trial error thrown by a program that loaded another copy of the
// package (e.g. the CLI's) is still recognised by `instanceof`.
const FAILED = Symbol.for('hypertuner.FailedTrialError');
const FATAL = Symbol.for('hypertuner.FatalError');
const PRUNED = Symbol.for('hypertuner.TrialPrunedError');

export class FailedTrialError extends Error {
  /**
   * Whether the trial counts toward `maxConsecutiveFailedTrials` (default true; false for a
   * configuration skipped on purpose, such as a model over `maxModelSize`).
   */
  readonly countsAsFailure: boolean;

  constructor(message: string, options?: { cause?: unknown; countsAsFailure?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FailedTrialError';
    this.countsAsFailure = options?.countsAsFailure ?? true;
    setBrand(this, FAILED);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstance(this, FailedTrialError, FAILED, value);
  }
}

export class FatalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FatalError';
    setBrand(this, FATAL);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstance(this, FatalError, FATAL, value);
  }
}

export class TrialPrunedError extends Error {
  constructor(readonly step: number) {
    super(`Trial pruned at step ${step}.`);
    this.name = 'TrialPrunedError';
    setBrand(this, PRUNED);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstance(this, TrialPrunedError, PRUNED, value);
  }
}

/** The search stopped because too many trials in a row failed. */
export function tooManyFailuresError(count: number, lastError: string): HypertunerError {
  // the error's first line: its stack (kept with the trial) is the objective's to read there
  const lines = lastError.split('\n');
  const first = lines[0] ?? '';
  const more =
    lines.length > 1 ? ' (the whole error text is kept with the trial: hypertuner trials)' : '';
  return new HypertunerError(
    'TOO_MANY_FAILED_TRIALS',
    `${count} ${count === 1 ? 'trial' : 'trials'} in a row failed (maxConsecutiveFailedTrials); the search stops. Last error: ${first}${more}`,
    { field: 'maxConsecutiveFailedTrials' },
  );
}

/**
 * Text of an error thrown by user code, with its stack when it has one. Never throws, even for
 * a thrown value that has no text form (e.g. `Object.create(null)`).
 */
export function errorText(error: unknown): string {
  try {
    if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return `${Object.prototype.toString.call(error)} (a thrown value without a text form)`;
  }
}
