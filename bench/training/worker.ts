/**
 * A benchmark worker thread: loads a backend, builds a model, and on each `run` message trains
 * `samples` samples with fastFit, replying with the milliseconds it took. Kept alive between
 * runs so one- and two-worker rounds can alternate without start-up costs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import type { BackendPreference } from '../../src/tfjs/backend/index.js';
import { fastFit } from '../../src/tfjs/training/index.js';
import { BATCH, build, data } from './models.js';
import type { ModelKind } from './models.js';

export interface WorkerSetup {
  readonly prefer: BackendPreference;
  readonly kind: ModelKind;
  /** Largest `samples` a run will ask for. */
  readonly samples: number;
  readonly seed: number;
}

export type WorkerRequest =
  { readonly type: 'run'; readonly samples: number } | { readonly type: 'exit' };
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'unavailable'; readonly reason: string }
  | { readonly type: 'done'; readonly ms: number };

const port = parentPort;
if (port === null) throw new Error('bench/training/worker.ts runs in a worker thread.');
const setup = workerData as WorkerSetup;
const reply = (m: WorkerReply) => port.postMessage(m);
try {
  await selectBackend({ prefer: setup.prefer });
  const { x, y } = data(setup.samples, setup.seed);
  const model = build(setup.kind);
  const size = 3072;
  await fastFit(model, x.subarray(0, 2 * BATCH * size), y.subarray(0, 2 * BATCH), {
    batchSize: BATCH,
  });
  let round = 0;
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'exit') {
      model.dispose();
      port.close();
      return;
    }
    void (async () => {
      const t = performance.now();
      await fastFit(model, x.subarray(0, m.samples * size), y.subarray(0, m.samples), {
        batchSize: BATCH,
        seed: ++round,
        yieldEveryMs: 1000,
      });
      reply({ type: 'done', ms: performance.now() - t });
    })();
  });
  reply({ type: 'ready' });
} catch (e) {
  reply({ type: 'unavailable', reason: e instanceof Error ? e.message : String(e) });
}
