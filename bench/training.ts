/**
 * Training throughput on CPU: stock tfjs-wasm `model.fit` vs hypertuner's default path
 * (fast kernels + fastFit), tfjs-node where installed, and 2 worker threads vs 1.
 *
 *   npm run bench:training [-- --quick] [-- --json]
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import {
  selectBackend,
  uninstallFastKernels,
  installFastKernels,
} from '../src/tfjs/backend/index.js';
import type { BackendPreference } from '../src/tfjs/backend/index.js';
import { fastFit } from '../src/tfjs/training/index.js';

type ModelKind = 'mlp' | 'cnn';
const BATCH = 128;
const INPUT: Record<ModelKind, number[]> = { mlp: [3072], cnn: [32, 32, 3] };

function build(kind: ModelKind): tf.LayersModel {
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

/** Synthetic data: uniform pixels, random labels (seeded LCG). */
function data(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const x = new Float32Array(n * 3072);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const y = Int32Array.from({ length: n }, () => Math.floor(next() * 10));
  return { x, y };
}

/** Samples per second of `model.fit` (stock path) over `n` samples after a warm-up. */
async function stockFit(kind: ModelKind, n: number): Promise<number> {
  const { x, y } = data(n, 1);
  const model = build(kind);
  const xs = tf.tensor(x, [n, ...INPUT[kind]]);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
  try {
    const warm = Math.min(n, 2 * BATCH);
    await model.fit(xs.slice(0, warm), ys.slice(0, warm), {
      epochs: 1,
      batchSize: BATCH,
      verbose: 0,
    });
    const t = performance.now();
    await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: true });
    return n / ((performance.now() - t) / 1000);
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}

/** Samples per second of fastFit over `n` samples after a warm-up. */
async function fastPath(kind: ModelKind, n: number, ready?: () => Promise<void>): Promise<number> {
  const { x, y } = data(n, 2);
  const model = build(kind);
  await fastFit(model, x.subarray(0, 2 * BATCH * 3072), y.subarray(0, 2 * BATCH), {
    batchSize: BATCH,
  });
  await ready?.();
  const t = performance.now();
  await fastFit(model, x, y, { epochs: 1, batchSize: BATCH, seed: 1 });
  const rate = n / ((performance.now() - t) / 1000);
  model.dispose();
  return rate;
}

interface WorkerJob {
  readonly task: 'fast' | 'tfjs-node';
  readonly kind: ModelKind;
  readonly samples: number;
}

async function runWorker(job: WorkerJob): Promise<void> {
  const port = parentPort!;
  const prefer: BackendPreference = job.task === 'tfjs-node' ? 'tensorflow' : 'wasm';
  try {
    await selectBackend({ prefer });
  } catch (e) {
    port.postMessage({ type: 'unavailable', reason: String(e) });
    return;
  }
  const go = () =>
    new Promise<void>((resolve) => {
      port.once('message', () => resolve());
      port.postMessage({ type: 'ready' });
    });
  const rate =
    job.task === 'tfjs-node'
      ? await (async () => {
          await go();
          return fastPath(job.kind, job.samples);
        })()
      : await fastPath(job.kind, job.samples, go);
  port.postMessage({ type: 'done', rate, samples: job.samples });
}

/** Runs `count` workers in lockstep; returns total samples/s over the wall time, or null. */
async function inWorkers(count: number, job: WorkerJob): Promise<number | null> {
  // Workers do not inherit tsx's loader hooks: load this .ts file through tsx's API.
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
  const workers = Array.from(
    { length: count },
    () => new Worker(boot, { eval: true, workerData: job }),
  );
  const messages = workers.map((w) => {
    const queue: ((m: { type: string; rate?: number }) => void)[] = [];
    w.on('message', (m) => queue.shift()?.(m));
    return () =>
      new Promise<{ type: string; rate?: number }>((resolve, reject) => {
        queue.push(resolve);
        w.once('error', reject);
      });
  });
  try {
    const first = await Promise.all(messages.map((next) => next()));
    if (first.some((m) => m.type !== 'ready')) return null;
    const done = messages.map((next) => next());
    const t = performance.now();
    workers.forEach((w) => w.postMessage('go'));
    await Promise.all(done);
    return (count * job.samples) / ((performance.now() - t) / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const json = process.argv.includes('--json');
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const n = { mlp: quick ? 640 : 2560, mlpStock: quick ? 384 : 1280, cnn: quick ? 384 : 1280 };
  const choice = await selectBackend({ prefer: 'wasm' });
  log(`backend: ${choice.description}`);
  const results: Record<string, unknown> = { backend: choice.description, batchSize: BATCH };

  for (const kind of ['mlp', 'cnn'] as const) {
    uninstallFastKernels();
    log(`${kind}: stock wasm model.fit ...`);
    let stock: number | null = null;
    let stockError: string | undefined;
    try {
      stock = await stockFit(kind, kind === 'mlp' ? n.mlpStock : n.cnn);
    } catch (e) {
      stockError = e instanceof Error ? e.message.split('\n')[0] : String(e);
    }
    installFastKernels();
    log(`${kind}: fast kernels + fastFit ...`);
    const fast = await fastPath(kind, kind === 'mlp' ? n.mlp : n.cnn);
    log(`${kind}: tfjs-node (if installed) ...`);
    const node = await inWorkers(1, {
      task: 'tfjs-node',
      kind,
      samples: kind === 'mlp' ? n.mlp : n.cnn,
    });
    results[kind] = {
      stockWasmFit: stock,
      ...(stockError === undefined ? {} : { stockWasmError: stockError }),
      fast,
      ratioToStock: stock === null ? null : fast / stock,
      tfjsNode: node,
    };
  }

  log('mlp: 1 worker vs 2 workers (fast path) ...');
  const workerSamples = quick ? 1024 : 3072;
  const one = await inWorkers(1, { task: 'fast', kind: 'mlp', samples: workerSamples });
  const two = await inWorkers(2, { task: 'fast', kind: 'mlp', samples: workerSamples });
  results['workers'] = { one, two, ratio: one !== null && two !== null ? two / one : null };

  if (json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(v < 20 ? 2 : 0) : 'n/a');
  const out = [
    `backend: ${choice.description}, batch ${BATCH}`,
    'samples/s        stock fit   fast path   ratio   tfjs-node',
  ];
  for (const kind of ['mlp', 'cnn'] as const) {
    const r = results[kind] as Record<string, unknown>;
    const stockText = r['stockWasmFit'] === null ? 'cannot train' : fmt(r['stockWasmFit']);
    out.push(
      `${kind === 'mlp' ? 'MLP 3072-256-256-16-10' : 'CNN 32x32x3     '}  ${stockText.padStart(10)}  ${fmt(r['fast']).padStart(10)}  ${fmt(r['ratioToStock']).padStart(6)}x  ${fmt(r['tfjsNode']).padStart(9)}`,
    );
  }
  const w = results['workers'] as Record<string, unknown>;
  out.push(
    `worker threads (MLP, fast path): 1 → ${fmt(w['one'])}/s, 2 → ${fmt(w['two'])}/s total, ratio ${fmt(w['ratio'])}x`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (isMainThread) {
  await main();
} else {
  await runWorker(workerData as WorkerJob);
}
