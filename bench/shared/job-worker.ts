/** The worker-thread side of ./job-pool.ts: runs each job it is sent, posts back the result or the error. */
import { parentPort } from 'node:worker_threads';
import type { JobReply } from './job-pool.js';

export function serveJobs<J, R>(run: (job: J) => Promise<R>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveJobs must be called in a worker thread');
  port.on('message', (job: J) => {
    run(job).then(
      (result) => port.postMessage({ ok: true, result } satisfies JobReply<R>),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies JobReply<R>),
    );
  });
}
