/** Worker thread: runs the jobs it is sent and posts back each raw run (or the error). */
import { parentPort } from 'node:worker_threads';
import type { Job } from './jobs.js';
import { runJob } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('bench/bo/worker.ts must run as a worker thread');
port.on('message', (job: Job) => {
  runJob(job).then(
    (run) => port.postMessage({ ok: true, run }),
    (error: unknown) =>
      port.postMessage({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
