/**
 * A small seeded generator of floats in [0, 1) (SplitMix32-style: a Weyl sequence through an
 * integer mixer). Local to this layer so that splits are reproducible from a seed alone.
 */
export function seededUniform(seed: number): () => number {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}

/** Shuffles `array` in place (Fisher-Yates) with `uniform`, and returns it. */
export function shuffleInPlace<T extends { [i: number]: number; length: number }>(
  array: T,
  uniform: () => number,
): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = array[i] as number;
    array[i] = array[j] as number;
    array[j] = t;
  }
  return array;
}
