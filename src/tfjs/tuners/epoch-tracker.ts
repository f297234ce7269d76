/**
 * Following a trial's objective epoch by epoch: Keras-style logs with both metric spellings
 * (`acc` / `accuracy`), and the best epoch so far (the trial's score, as in Keras Tuner).
 */
import type { Objective } from '../../trials/index.js';
import { isBetter } from '../../trials/index.js';

/** Logs of an epoch with `accuracy` beside `acc` (tfjs' name) and `val_accuracy` beside `val_acc`. */
export function withMetricAliases(
  logs: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(logs ?? {})) {
    if (typeof value === 'number') out[key] = value;
  }
  for (const prefix of ['', 'val_']) {
    const acc = out[`${prefix}acc`];
    const accuracy = out[`${prefix}accuracy`];
    if (acc !== undefined && accuracy === undefined) out[`${prefix}accuracy`] = acc;
    if (accuracy !== undefined && acc === undefined) out[`${prefix}acc`] = accuracy;
  }
  return out;
}

/** The best epoch seen so far of one training run. */
export class EpochTracker {
  #bestValue: number | undefined;
  #bestEpoch: number | undefined;
  #bestLogs: Record<string, number> | undefined;
  #lastLogs: Record<string, number> | undefined;
  #epochs = 0;
  #nonFinite = 0;
  readonly #seenNames = new Set<string>();

  constructor(readonly objective: Objective) {}

  /** Records an epoch's logs; true when the objective improved (the epoch is the best so far). */
  observe(epoch: number, logs: Record<string, number>): boolean {
    for (const key of Object.keys(logs)) this.#seenNames.add(key);
    this.#lastLogs = logs;
    this.#epochs++;
    const value = logs[this.objective.name];
    if (value === undefined) return false;
    if (!Number.isFinite(value)) {
      this.#nonFinite++;
      return false;
    }
    if (
      this.#bestValue !== undefined &&
      !isBetter(value, this.#bestValue, this.objective.direction)
    )
      return false;
    this.#bestValue = value;
    this.#bestEpoch = epoch;
    this.#bestLogs = logs;
    return true;
  }

  get bestValue(): number | undefined {
    return this.#bestValue;
  }

  get bestEpoch(): number | undefined {
    return this.#bestEpoch;
  }

  /** The logs of the best epoch, or undefined when the objective never appeared. */
  get bestLogs(): Record<string, number> | undefined {
    return this.#bestLogs;
  }

  get lastLogs(): Record<string, number> | undefined {
    return this.#lastLogs;
  }

  /** Epochs observed. */
  get epochs(): number {
    return this.#epochs;
  }

  /** Epochs whose objective was logged as NaN or ±Infinity. */
  get nonFiniteEpochs(): number {
    return this.#nonFinite;
  }

  /** Metric names seen in the logs (for error messages). */
  get seenNames(): string[] {
    return [...this.#seenNames];
  }
}
