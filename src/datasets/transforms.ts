import { ensureOption } from './errors.js';

/** The range of {@link toFloat32Images}' output: `unit` is [0, 1], `symmetric` is [-1, 1]. */
export type PixelRange = 'unit' | 'symmetric';

/** Converts 0..255 pixels to a new `Float32Array` in [0, 1] (default) or [-1, 1]. */
export function toFloat32Images(
  images: Uint8Array,
  options: { readonly range?: PixelRange } = {},
): Float32Array {
  const range = options.range ?? 'unit';
  const out = new Float32Array(images.length);
  switch (range) {
    case 'unit':
      for (let i = 0; i < images.length; i++) out[i] = (images[i] ?? 0) / 255;
      break;
    case 'symmetric':
      for (let i = 0; i < images.length; i++) out[i] = ((images[i] ?? 0) / 255) * 2 - 1;
      break;
    default: {
      const never: never = range;
      ensureOption(false, 'range', `'unit' or 'symmetric', got ${String(never)}`);
    }
  }
  return out;
}

/** One-hot encodes labels as a row-major `labels.length x numClasses` `Float32Array`. */
export function oneHot(labels: Uint8Array, numClasses: number): Float32Array {
  ensureOption(
    Number.isInteger(numClasses) && numClasses >= 1,
    'numClasses',
    `an integer >= 1, got ${numClasses}`,
  );
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? 0;
    ensureOption(
      label < numClasses,
      `labels[${i}]`,
      `below numClasses (${numClasses}), got ${label}`,
    );
    out[i * numClasses + label] = 1;
  }
  return out;
}
