import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { fastFit } from '../../src/tfjs/training/index.js';
await selectBackend();
const x = new Float32Array(64 * 8).map((_, i) => Math.sin(i));
const y = Int32Array.from({ length: 64 }, (_, i) => i % 3);
for (const a of ['relu', 'tanh', 'elu', 'swish', 'selu', 'mish', 'gelu'] as const) {
  try {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [8], units: 5, activation: a as never }));
    m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    m.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const h = await fastFit(m, x, y, { epochs: 2, batchSize: 16 });
    console.log(a, 'ok', h.history['loss']);
    const before = tf.memory().numTensors;
    const s = await m.save(tf.io.withSaveHandler(async (art) => { console.log(Object.keys(art), art.trainingConfig !== undefined); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    m.optimizer.dispose(); m.dispose();
    console.log('tensors', before, tf.memory().numTensors);
  } catch (e) { console.log(a, 'FAIL', (e as Error).message); }
}
