/** The benchmark's models and synthetic data, shared by the main thread and the workers. */
import * as tf from '@tensorflow/tfjs';

export type ModelKind = 'mlp' | 'cnn';
export const BATCH = 128;
export const INPUT: Readonly<Record<ModelKind, readonly number[]>> = {
  mlp: [3072],
  cnn: [32, 32, 3],
};
export const LABEL: Readonly<Record<ModelKind, string>> = {
  mlp: 'MLP 3072-256-256-16-10',
  cnn: 'CNN 32x32x3 conv32-pool-conv64-pool-128-10',
};

/** The article's MLP, or the small CNN, compiled with Adam as in the article. */
export function build(kind: ModelKind): tf.LayersModel {
  const m = tf.sequential();
  if (kind === 'mlp') {
    m.add(tf.layers.dense({ inputShape: [3072], units: 256, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 256, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  } else {
    m.add(
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, activation: 'relu' }),
    );
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  }
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

/** Synthetic CIFAR-sized data: uniform pixels, random labels (seeded LCG). */
export function data(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const x = new Float32Array(n * 3072);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const y = Int32Array.from({ length: n }, () => Math.floor(next() * 10));
  return { x, y };
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
