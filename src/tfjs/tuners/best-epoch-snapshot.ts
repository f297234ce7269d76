/**
 * A trial's best epoch kept in memory: its weights and optimizer state, taken when an epoch
 * improves the objective and written to the checkpoint once, when the trial ends. Taking it is
 * cheap: tfjs variables are never written in place (an update gives them new data), so a
 * clone keeps the epoch's values without copying them.
 */
import { dispose } from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { saveModel } from '../model-io/index.js';
import type { ModelLocation } from '../model-io/index.js';
import { optimizerWeights, writeOptimizerWeights } from './optimizer-state.js';
import type { OptimizerWeights } from './optimizer-state.js';

export class BestEpochSnapshot {
  #weights: Tensor[] | undefined;
  #optimizer: OptimizerWeights | undefined;
  #epoch = -1;
  #value: number | undefined;

  /** The epoch taken last (-1: none). */
  get epoch(): number {
    return this.#epoch;
  }

  /** The objective value of the epoch taken. */
  get value(): number | undefined {
    return this.#value;
  }

  /** Keeps `model`'s weights and optimizer state as those of `epoch` (replacing any earlier). */
  async take(model: LayersModel, epoch: number, value: number): Promise<void> {
    this.dispose();
    this.#weights = model.getWeights().map((w) => w.clone());
    const state = await optimizerWeights(model);
    if (state !== undefined) {
      // `iter` is a fresh scalar already; the moments are the optimizer's variables: clone them
      this.#optimizer = {
        className: state.className,
        weights: state.weights.map((w) => ({
          name: w.name,
          tensor: w.name === 'iter' ? w.tensor : w.tensor.clone(),
        })),
      };
    }
    this.#epoch = epoch;
    this.#value = value;
  }

  /**
   * Writes the checkpoint at `location`: the optimizer state first, then the model (whose
   * model.json, written last, marks a complete checkpoint). `model` gets the kept weights.
   */
  async write(model: LayersModel, location: ModelLocation): Promise<void> {
    if (this.#weights === undefined) throw new Error('No epoch was kept.');
    if (this.#optimizer !== undefined)
      await writeOptimizerWeights(this.#optimizer, location, this.#epoch);
    model.setWeights(this.#weights);
    await saveModel(model, location);
  }

  /** Frees the kept tensors. */
  dispose(): void {
    if (this.#weights !== undefined) dispose(this.#weights);
    if (this.#optimizer !== undefined) dispose(this.#optimizer.weights.map((w) => w.tensor));
    this.#weights = undefined;
    this.#optimizer = undefined;
    this.#epoch = -1;
    this.#value = undefined;
  }
}
