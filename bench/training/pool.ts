/** Benchmark worker threads kept alive across rounds (see worker.ts). */
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker.js';

/** One live worker: send a request, await its next reply. */
export interface BenchWorker {
  readonly next: () => Promise<WorkerReply>;
  readonly send: (m: WorkerRequest) => void;
  readonly stop: () => Promise<void>;
}

/** Starts a worker on worker.ts (through tsx, whose loader hooks workers do not inherit). */
export function startWorker(setup: WorkerSetup): BenchWorker {
  const api = import.meta.resolve('tsx/esm/api');
  const file = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
  const worker = new Worker(boot, { eval: true, workerData: setup });
  const waiting: { resolve: (m: WorkerReply) => void; reject: (e: unknown) => void }[] = [];
  const backlog: WorkerReply[] = [];
  worker.on('message', (m: WorkerReply) => {
    const w = waiting.shift();
    if (w === undefined) backlog.push(m);
    else w.resolve(m);
  });
  worker.on('error', (e) => {
    for (const w of waiting.splice(0)) w.reject(e);
  });
  return {
    next: () => {
      const m = backlog.shift();
      if (m !== undefined) return Promise.resolve(m);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    send: (m) => worker.postMessage(m),
    stop: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Starts all `workers` at once, each training on its `samples` samples — once, or with `forMs`
 * for that long — and returns the samples they trained in all per second of wall time, from the
 * first start to the last reply (so a worker that finishes its last batch late counts against
 * the total).
 */
export async function runTogether(
  workers: readonly BenchWorker[],
  samples: number,
  forMs?: number,
): Promise<number> {
  const done = workers.map((w) => w.next());
  const t = performance.now();
  for (const w of workers)
    w.send({ type: 'run', samples, ...(forMs === undefined ? {} : { forMs }) });
  const replies = await Promise.all(done);
  const ms = performance.now() - t;
  let trained = 0;
  for (const r of replies) {
    if (r.type !== 'done') throw new Error(`worker failed: ${JSON.stringify(r)}`);
    trained += r.samples;
  }
  return trained / (ms / 1000);
}
