/**
 * Per-kernel time of one training step (fast path), for finding what to speed up.
 *   npx tsx bench/training/profile.ts [mlp|cnn] [--stock | --no-simd]
 * --stock: stock WASM kernels; --no-simd: our kernels without hypertuner's SIMD module.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { setSimdEnabled } from '../../src/tfjs/backend/simd/simd-module.js';
import { fuseAdam } from '../../src/tfjs/training/index.js';
import { build } from './models.js';

const kind = process.argv[2] === 'cnn' ? 'cnn' : 'mlp';
await selectBackend({ prefer: process.argv.includes('--stock') ? 'wasm-stock' : 'wasm' });
if (process.argv.includes('--no-simd')) setSimdEnabled(false);
const m = build(kind);
if (!process.argv.includes('--stock')) fuseAdam(m.optimizer);
const shape = kind === 'mlp' ? [128, 3072] : [128, 32, 32, 3];
const x = tf.randomUniform(shape);
const y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10);
for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
const steps = 10;
const t0 = performance.now();
for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
const stepMs = (performance.now() - t0) / steps;
console.log(
  `${kind}: ${stepMs.toFixed(1)} ms/step, ${(128000 / stepMs).toFixed(0)} samples/s, load ${(await import('node:os')).loadavg()[0]?.toFixed(2)}`,
);
const info = await tf.profile(async () => {
  for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
});
const by = new Map<string, { ms: number; n: number }>();
let total = 0;
for (const k of info.kernels) {
  const ms = Number(k.kernelTimeMs) || 0;
  const e = by.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += ms / steps;
  e.n += 1 / steps;
  by.set(k.name, e);
  total += ms / steps;
}
console.log(
  `kernel total ${total.toFixed(1)} ms/step, kernels/step ${(info.kernels.length / steps).toFixed(0)}`,
);
for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`${name.padEnd(24)} ${e.ms.toFixed(2).padStart(8)} ms  x${e.n.toFixed(0)}`);
}
