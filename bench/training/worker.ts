/**
 * A benchmark worker thread: loads a backend, builds a model, and on each `run` message trains
 * with fastFit — `samples` samples once, or, with `forMs`, epoch after epoch over them until
 * that many milliseconds have passed (stopping at the end of a batch) — replying with the
 * samples trained and the milliseconds it took. Kept alive between runs so one- and two-worker
 * rounds can alternate without start-up costs.
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
  | { readonly type: 'run'; readonly samples: number; readonly forMs?: number }
  | { readonly type: 'exit' };
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'unavailable'; readonly reason: string }
  | { readonly type: 'done'; readonly ms: number; readonly samples: number };

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
      let trained = 0;
      const forMs = m.forMs;
      await fastFit(model, x.subarray(0, m.samples * size), y.subarray(0, m.samples), {
        batchSize: BATCH,
        epochs: forMs === undefined ? 1 : Number.MAX_SAFE_INTEGER,
        seed: ++round,
        yieldEveryMs: 1000,
        callbacks: {
          onBatchEnd: (_batch, logs) => {
            trained += logs['size'] ?? 0;
            if (forMs !== undefined && performance.now() - t >= forMs) model.stopTraining = true;
          },
        },
      });
      reply({ type: 'done', ms: performance.now() - t, samples: trained });
    })();
  });
  reply({ type: 'ready' });
} catch (e) {
  reply({ type: 'unavailable', reason: e instanceof Error ? e.message : String(e) });
}
