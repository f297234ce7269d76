/**
 * A benchmark worker — a worker thread, or a child process as the tuner's `--workers` runs
 * (forked with the setup in HYPERTUNER_BENCH_WORKER) — loads a backend, builds a model, and on each `run` message trains
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

/** The parent's end: the thread's port, or the IPC channel of a forked process. */
interface Channel {
  readonly onMessage: (listener: (m: WorkerRequest) => void) => void;
  readonly send: (m: WorkerReply) => void;
  readonly close: () => void;
}

function parentChannel(): { channel: Channel; setup: WorkerSetup } {
  const port = parentPort;
  if (port !== null) {
    return {
      channel: {
        onMessage: (listener) => port.on('message', listener),
        send: (m) => port.postMessage(m),
        close: () => port.close(),
      },
      setup: workerData as WorkerSetup,
    };
  }
  const setupJson = process.env['HYPERTUNER_BENCH_WORKER'];
  const send = process.send?.bind(process);
  if (send === undefined || setupJson === undefined) {
    throw new Error('bench/training/worker.ts runs in a worker thread or a forked process.');
  }
  return {
    channel: {
      onMessage: (listener) => process.on('message', listener),
      send: (m) => send(m),
      close: () => process.disconnect(),
    },
    setup: JSON.parse(setupJson) as WorkerSetup,
  };
}

const { channel, setup } = parentChannel();
const reply = (m: WorkerReply) => channel.send(m);
try {
  await selectBackend({ prefer: setup.prefer });
  const { x, y } = data(setup.samples, setup.seed);
  const model = build(setup.kind);
  const size = 3072;
  await fastFit(model, x.subarray(0, 2 * BATCH * size), y.subarray(0, 2 * BATCH), {
    batchSize: BATCH,
  });
  let round = 0;
  channel.onMessage((m) => {
    if (m.type === 'exit') {
      model.dispose();
      channel.close();
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
