/**
 * Keeping plots light for large studies: at most a given number of points, chosen so that the
 * picture keeps its shape (the extremes of each bucket, and points that must stay).
 */
import { Random } from '../../math/random.js';

/**
 * Up to about `maxPoints` of `items` (in their order): the items with the smallest and the
 * largest `key` in each of `maxPoints / 2` buckets, plus every item `keep` says must stay.
 */
export function downsampleExtremes<T>(
  items: readonly T[],
  maxPoints: number,
  key: (item: T) => number,
  keep: (item: T) => boolean = () => false,
): T[] {
  if (items.length <= maxPoints) return [...items];
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = items.length / buckets;
  const chosen = new Set<number>();
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(items.length, Math.floor((b + 1) * size));
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      const v = key(items[i] as T);
      if (v < key(items[lo] as T)) lo = i;
      if (v > key(items[hi] as T)) hi = i;
    }
    if (end > start) {
      chosen.add(lo);
      chosen.add(hi);
    }
  }
  items.forEach((item, i) => {
    if (keep(item)) chosen.add(i);
  });
  return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
}

/** Up to `maxItems` of `items` drawn at random with a seed, in their original order. */
export function sampleInOrder<T>(items: readonly T[], maxItems: number, seed = 0): T[] {
  if (items.length <= maxItems) return [...items];
  const indices = new Random(seed).shuffle(items.map((_, i) => i)).slice(0, maxItems);
  return indices.sort((a, b) => a - b).map((i) => items[i] as T);
}

/** Evenly spaced items, first and last included, at most `maxItems`. */
export function strideSample<T>(items: readonly T[], maxItems: number): T[] {
  if (items.length <= maxItems) return [...items];
  if (maxItems < 2) return items.slice(-1);
  const out: T[] = [];
  for (let k = 0; k < maxItems; k++)
    out.push(items[Math.round((k * (items.length - 1)) / (maxItems - 1))] as T);
  return out;
}
