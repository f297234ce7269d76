/**
 * Saving and loading models and checkpoints in TensorFlow.js's own files
 * (`model.json` + `weights.bin`), on any backend, in a directory (a path) or in an artifact
 * store (`{store, studyName, trialNumber, prefix}`: `checkpoint.model.json`...).
 */
import { dispose, io, loadLayersModel } from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';
import { modelIOHandler } from './file-io-handler.js';
import { filesAt } from './named-files.js';
import type { ModelLocation } from './named-files.js';

/** Saves `model` (topology and weights) at `location` as `model.json` + `weights.bin`. */
export async function saveModel(model: LayersModel, location: ModelLocation): Promise<void> {
  await model.save(modelIOHandler(location));
}

/**
 * Loads a model saved by {@link saveModel} (or by TensorFlow.js's `file://` / downloads).
 * The model is not compiled: compile it to train or evaluate, or use {@link loadWeightsInto}
 * on a model built and compiled by your hypermodel.
 */
export async function loadModel(location: ModelLocation): Promise<LayersModel> {
  return loadLayersModel(modelIOHandler(location));
}

/**
 * Sets the weights of `model` (built from the same hyperparameters) to those saved at
 * `location`. Weights are matched by their order; shapes must agree.
 */
export async function loadWeightsInto(model: LayersModel, location: ModelLocation): Promise<void> {
  const { where } = filesAt(location);
  const artifacts = await modelIOHandler(location).load?.();
  if (artifacts?.weightSpecs === undefined || artifacts.weightData === undefined) {
    throw new HypertunerError('MODEL_NOT_FOUND', `The model in ${where} has no weights.`, {
      field: 'path',
    });
  }
  const named = io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const values = artifacts.weightSpecs.map((spec) => named[spec.name]);
  try {
    const weights = model.weights;
    if (weights.length !== values.length) {
      throw new HypertunerError(
        'CHECKPOINT_MISMATCH',
        `The checkpoint in ${where} has ${values.length} weights; the model has ${weights.length}. Was it built from other hyperparameters?`,
        { field: 'path' },
      );
    }
    const tensors = values.map((value, i) => {
      const weight = weights[i];
      if (
        value === undefined ||
        weight === undefined ||
        value.shape.join(',') !== weight.shape.join(',')
      ) {
        throw new HypertunerError(
          'CHECKPOINT_MISMATCH',
          `Weight ${i} (${weight?.name ?? '?'}) of the model has shape [${weight?.shape.join(', ') ?? ''}]; the checkpoint in ${where} has [${value?.shape.join(', ') ?? ''}].`,
          { field: 'path' },
        );
      }
      return value;
    });
    model.setWeights(tensors);
  } finally {
    dispose(Object.values(named));
  }
}
