/** What `fastFit` asks of whatever trains its batches (tfjs, or the dense trainer). */
import type { FitArrays } from '../fit-data.js';

export interface BatchRunner {
  /** Before an epoch's first batch. */
  beginEpoch(): void;
  /** One step on the samples `order[start..end)`; the values of the model's metrics before it. */
  trainBatch(order: Uint32Array, start: number, end: number): Promise<number[]>;
  /** After an epoch's last batch (or a stop): the model holds what was trained. */
  endEpoch(): void;
  /** Means of the model's metrics over `data`, in its metrics' order. */
  evaluate(data: FitArrays): number[];
  /** How it trained, as a sentence part (e.g. the threads it chose). */
  describe?(): string;
  /** After training (threads stopped, ...). */
  dispose?(): Promise<void>;
}
