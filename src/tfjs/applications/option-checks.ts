/**
 * Checks of the options the ready-made hypermodels are given: one `HYPERMODEL_INVALID` error
 * naming the hypermodel, the field, what is allowed and what was given.
 */
import { HypertunerError } from '../../space/index.js';

/** What every image classifier hypermodel is told about its data. */
export interface ImageClassifierOptions {
  /** One image's shape, `[height, width, channels]` (or any shape for HyperMLP). */
  readonly inputShape: readonly number[];
  /** Number of classes: the softmax output's width. */
  readonly classes: number;
}

/** Throws `HYPERMODEL_INVALID` naming `field` unless `ok`. */
export function checkOption(ok: boolean, hypermodel: string, field: string, message: string): void {
  if (!ok)
    throw new HypertunerError('HYPERMODEL_INVALID', `${hypermodel}: ${field} ${message}`, {
      field,
    });
}

/** Checks `inputShape` (`rank` dimensions when given) and `classes`. */
export function checkClassifierOptions(
  hypermodel: string,
  options: ImageClassifierOptions,
  rank?: number,
): void {
  const shape = options.inputShape;
  checkOption(
    Array.isArray(shape) &&
      shape.length > 0 &&
      (rank === undefined || shape.length === rank) &&
      shape.every((d) => Number.isInteger(d) && d > 0),
    hypermodel,
    'inputShape',
    `must be ${rank === 3 ? '[height, width, channels]' : 'a list of'} positive integers, got ${JSON.stringify(shape)}.`,
  );
  checkOption(
    Number.isInteger(options.classes) && options.classes >= 2,
    hypermodel,
    'classes',
    `must be an integer >= 2, got ${String(options.classes)}.`,
  );
}
