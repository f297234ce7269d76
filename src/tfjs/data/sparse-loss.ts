/**
 * Whether a compiled model's (first output's) loss is a sparse one, which takes class indices
 * as labels rather than one-hot rows.
 */
import type { LayersModel } from '@tensorflow/tfjs';

/** The loss of the model's first output, in any form `compile` accepts, as a string or function. */
function firstLoss(model: LayersModel): unknown {
  const loss: unknown = model.loss;
  if (Array.isArray(loss)) return loss[0];
  if (loss !== null && typeof loss === 'object') {
    const byName = loss as Record<string, unknown>;
    const name = model.outputNames[0];
    return name !== undefined && name in byName ? byName[name] : Object.values(byName)[0];
  }
  return loss;
}

/**
 * True when the model's loss, given as a string, an array (first entry), an object keyed by
 * output name (the first output's entry) or a function (by its name, as tfjs'
 * `sparseCategoricalCrossentropy`), is a sparse loss.
 */
export function isSparseLoss(model: LayersModel): boolean {
  const loss = firstLoss(model);
  const name = typeof loss === 'string' ? loss : typeof loss === 'function' ? loss.name : undefined;
  return name !== undefined && /^sparse/i.test(name);
}
