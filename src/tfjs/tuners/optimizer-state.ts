/**
 * The optimizer's state beside a checkpoint (`optimizer.json` + `optimizer.bin`), so a trial
 * that continues another's training (Hyperband's promoted trials) also continues its optimizer:
 * Adam's moments and step count, RMSProp's accumulators... whatever `optimizer.getWeights()`
 * returns. The fused Adam update keeps tfjs' own state, so it is saved the same way.
 *
 * Weights are restored by position (as `setWeights` does), so the model must be built from
 * the same hyperparameters. An optimizer without `getWeights`/`setWeights` is skipped: the
 * continued trial then starts with a fresh optimizer, as Keras Tuner's does.
 */
import { dispose, io } from '@tensorflow/tfjs';
import type { LayersModel, NamedTensorMap, Tensor } from '@tensorflow/tfjs';
import { filesAt } from '../model-io/index.js';
import type { ModelLocation } from '../model-io/index.js';

export const OPTIMIZER_JSON_FILE = 'optimizer.json';
export const OPTIMIZER_WEIGHTS_FILE = 'optimizer.bin';

interface OptimizerStateJson {
  readonly format: 'hypertuner-optimizer-state';
  readonly className: string;
  /** Original weight names, in `getWeights()` order (the specs are named by position). */
  readonly names: readonly string[];
  readonly specs: readonly io.WeightsManifestEntry[];
  /** The epoch (0-based) after which the state was saved. */
  readonly epoch: number;
}

/**
 * Writes the optimizer's state of `model` at `location` (a checkpoint's directory or its place
 * in an artifact store). Returns false (and writes nothing) when
 * the model has no optimizer or it cannot give its weights.
 */
export async function saveOptimizerState(
  model: LayersModel,
  location: ModelLocation,
  epoch: number,
): Promise<boolean> {
  const weights = await optimizerWeights(model);
  if (weights === undefined) return false;
  // `iter` is a new scalar made by getWeights; the others are the optimizer's own variables
  const owned = weights.weights.filter((w) => w.name === 'iter').map((w) => w.tensor);
  try {
    await writeOptimizerWeights(weights, location, epoch);
    return true;
  } finally {
    dispose(owned);
  }
}

/** An optimizer's class and weights, as `getWeights` gives them. */
export interface OptimizerWeights {
  readonly className: string;
  readonly weights: readonly { readonly name: string; readonly tensor: Tensor }[];
}

/**
 * The optimizer's class and weights of `model` (the caller disposes the `iter` scalar), or
 * undefined when it has none or cannot give them.
 */
export async function optimizerWeights(model: LayersModel): Promise<OptimizerWeights | undefined> {
  const optimizer = model.optimizer;
  if (optimizer === undefined || optimizer === null) return undefined;
  try {
    return { className: optimizer.getClassName(), weights: await optimizer.getWeights() };
  } catch {
    return undefined; // getWeights() is not implemented for this optimizer
  }
}

/** Writes optimizer weights (e.g. a snapshot of an earlier epoch's) at `location`. */
export async function writeOptimizerWeights(
  state: OptimizerWeights,
  location: ModelLocation,
  epoch: number,
): Promise<void> {
  const byPosition: NamedTensorMap = {};
  state.weights.forEach((w, i) => (byPosition[String(i)] = w.tensor));
  const { data, specs } = await io.encodeWeights(byPosition);
  const json: OptimizerStateJson = {
    format: 'hypertuner-optimizer-state',
    className: state.className,
    names: state.weights.map((w) => w.name),
    specs,
    epoch,
  };
  const files = filesAt(location);
  await files.write(OPTIMIZER_WEIGHTS_FILE, new Uint8Array(data));
  await files.write(OPTIMIZER_JSON_FILE, new TextEncoder().encode(JSON.stringify(json)));
}

/**
 * Sets the optimizer of `model` (compiled, not yet trained) to the state saved at `location`.
 * Returns false when there is none, it belongs to another optimizer class, or the optimizer
 * cannot take it; the optimizer is then left as it was.
 */
export async function loadOptimizerState(
  model: LayersModel,
  location: ModelLocation,
): Promise<boolean> {
  const optimizer = model.optimizer;
  if (optimizer === undefined || optimizer === null) return false;
  let json: OptimizerStateJson;
  let bytes: Uint8Array | undefined;
  try {
    const files = filesAt(location);
    const text = await files.read(OPTIMIZER_JSON_FILE);
    bytes = await files.read(OPTIMIZER_WEIGHTS_FILE);
    if (text === undefined || bytes === undefined) return false;
    json = JSON.parse(new TextDecoder().decode(text)) as OptimizerStateJson;
  } catch {
    return false;
  }
  if (
    json.format !== 'hypertuner-optimizer-state' ||
    json.className !== optimizer.getClassName() ||
    json.names.length !== json.specs.length
  )
    return false;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const named = io.decodeWeights(buffer as ArrayBuffer, [...json.specs]);
  try {
    const values = json.names.map((name, i) => {
      const tensor = named[String(i)];
      if (tensor === undefined) throw new Error(`optimizer weight ${i} is missing`);
      return { name, tensor };
    });
    // setWeights copies the values into new variables of the optimizer
    await optimizer.setWeights(values);
    return true;
  } catch {
    return false;
  } finally {
    dispose(Object.values(named));
  }
}
