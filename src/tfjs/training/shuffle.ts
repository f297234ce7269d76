/**
 * Seeded sample orders for training epochs. Each epoch's order depends only on (seed, epoch),
 * so a run resumed at `initialEpoch` sees the same batches as an uninterrupted one.
 */

/** A 32-bit generator (mulberry32) returning floats in [0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the run seed and the epoch number into one 32-bit seed. */
function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(epoch + 1, 0xc2b2ae35), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Writes the order of `out.length` samples for `epoch` into `out`: shuffled, or 0..n-1. */
export function epochOrder(out: Uint32Array, seed: number, epoch: number, shuffle: boolean): void {
  for (let i = 0; i < out.length; i++) out[i] = i;
  if (!shuffle) return;
  const random = generator(epochSeed(seed, epoch));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
}
