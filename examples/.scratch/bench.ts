import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { fastFit } from '../../src/tfjs/training/index.js';
import { loadFashionMnist } from '../../src/datasets/index.js';
const choice = await selectBackend();
console.log(choice.description);
const ds = await loadFashionMnist({});
const n = 10000;
const x = new Float32Array(n * 784);
for (let i = 0; i < x.length; i++) x[i] = (ds.train.images[i] ?? 0) / 255;
const y = Int32Array.from(ds.train.labels.subarray(0, n));
for (const [units, layers, batch] of [[128,2,64],[256, 2, 128], [256, 2, 128], [512, 4, 128], [512, 4, 256], [256,3,32], [64,2,32], [512,2,64]] as const) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [784], units, activation: 'relu' }));
  for (let l = 1; l < layers; l++) m.add(tf.layers.dense({ units, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await fastFit(m, x.subarray(0, 784*512), y.subarray(0, 512), { epochs: 1, batchSize: batch });
  const t = performance.now();
  const h = await fastFit(m, x, y, { epochs: 1, batchSize: batch, validationData: [x.subarray(0, 784*2000), y.subarray(0, 2000)] });
  console.log(units, layers, batch, 'samples/s', (n / ((performance.now() - t) / 1000)).toFixed(0), h.history['val_acc']);
  m.dispose();
}
