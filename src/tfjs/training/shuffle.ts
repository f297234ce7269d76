/**
 * Seeded sample orders for training epochs. Each epoch's order depends only on (seed, epoch),
 * so a run resumed at `initialEpoch` sees the same batches as an uninterrupted one.
 */
import { Random, deriveSeed } from '../../math/random.js';

/** Writes the order of `out.length` samples for `epoch` into `out`: shuffled, or 0..n-1. */
export function epochOrder(out: Uint32Array, seed: number, epoch: number, shuffle: boolean): void {
  for (let i = 0; i < out.length; i++) out[i] = i;
  if (!shuffle) return;
  const random = new Random(deriveSeed(seed, epoch));
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
}
