/**
 * What the threads of a data-parallel dense training share (all in SharedArrayBuffers): the
 * training data, the helper's sample indices for each batch, the parameters after each step,
 * the helper's gradients and score, and a control block the two wait on.
 */
import type { AdamSettings, DenseLayerSpec } from './dense-trainer.js';

/** Slots of the control block (Int32). */
export const CTRL = {
  /** Incremented by the main thread for each step it asks of the helper. */
  command: 0,
  /** Set to the command's number by the helper when its part is done. */
  done: 1,
  /** Rows the helper trains in this step. */
  rows: 2,
  /** Rows of the whole batch (the gradient is their mean). */
  meanOver: 3,
  /** 1: the helper should exit. */
  stop: 4,
  /** 1: the helper failed (its message says why). */
  failed: 5,
  /** Set to 1 by the helper once it is ready for commands. */
  ready: 6,
  size: 8,
} as const;

/** The setup a helper thread receives (`workerData`). */
export interface ParallelSetup {
  readonly layers: readonly DenseLayerSpec[];
  readonly adam: AdamSettings;
  readonly batchSize: number;
  readonly control: SharedArrayBuffer;
  /** Float64 × 2: the helper's loss sum and correct count of the last step. */
  readonly score: SharedArrayBuffer;
  /** Uint32 × batchSize: the helper's sample indices of the current step. */
  readonly order: SharedArrayBuffer;
  /** Float32 × paramCount: the parameters, written by the main thread after each step. */
  readonly params: SharedArrayBuffer;
  /** Float32 × paramCount: the helper's gradients of the last step. */
  readonly grads: SharedArrayBuffer;
  readonly data: {
    readonly count: number;
    /** Float32 samples, row-major. */
    readonly x: SharedArrayBuffer;
    /** Float32 labels (class indices, or targets of `classes` values per sample). */
    readonly y: SharedArrayBuffer;
    readonly xShape: readonly number[];
    readonly yShape: readonly number[];
    readonly oneHot: boolean;
  };
}
