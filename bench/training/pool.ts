/** Benchmark workers (threads or processes) kept alive across rounds (see worker.ts). */
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker.js';

/** One live worker: send a request, await its next reply. */
export interface BenchWorker {
  readonly next: () => Promise<WorkerReply>;
  readonly send: (m: WorkerRequest) => void;
  readonly stop: () => Promise<void>;
}

/** A worker thread, or a child process as the tuner's parallel trials run. */
export type WorkerMode = 'thread' | 'process';

/** The parent's side of a worker, whichever it is. */
interface Endpoint {
  readonly onMessage: (listener: (m: WorkerReply) => void) => void;
  readonly onError: (listener: (e: Error) => void) => void;
  readonly send: (m: WorkerRequest) => void;
  readonly stop: () => Promise<void>;
}

function spawnThread(setup: WorkerSetup): Endpoint {
  // through tsx, whose loader hooks worker threads do not inherit
  const api = import.meta.resolve('tsx/esm/api');
  const file = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
  const worker = new Worker(boot, { eval: true, workerData: setup });
  return {
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    send: (m) => worker.postMessage(m),
    stop: async () => void (await worker.terminate()),
  };
}

function spawnProcess(setup: WorkerSetup): Endpoint {
  const child = fork(new URL('./worker.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, HYPERTUNER_BENCH_WORKER: JSON.stringify(setup) },
  });
  return {
    onMessage: (listener) => child.on('message', (m) => listener(m as WorkerReply)),
    onError: (listener) => child.on('error', listener),
    send: (m) => void child.send(m),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/** Starts a worker on worker.ts: a thread (the default) or a child process. */
export function startWorker(setup: WorkerSetup, mode: WorkerMode = 'thread'): BenchWorker {
  const worker = mode === 'thread' ? spawnThread(setup) : spawnProcess(setup);
  const waiting: { resolve: (m: WorkerReply) => void; reject: (e: unknown) => void }[] = [];
  const backlog: WorkerReply[] = [];
  worker.onMessage((m) => {
    const w = waiting.shift();
    if (w === undefined) backlog.push(m);
    else w.resolve(m);
  });
  worker.onError((e) => {
    for (const w of waiting.splice(0)) w.reject(e);
  });
  return {
    next: () => {
      const m = backlog.shift();
      if (m !== undefined) return Promise.resolve(m);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    send: (m) => worker.send(m),
    stop: () => worker.stop(),
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
