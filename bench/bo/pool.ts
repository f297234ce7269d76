/** Runs jobs on N worker threads (or in this thread when N is 1), in order of submission. */
import { Worker } from 'node:worker_threads';
import type { Job } from './jobs.js';
import { runJob } from './jobs.js';
import type { RawRun } from './run.js';

/**
 * Worker threads do not inherit the parent's module hooks, so a TypeScript worker would not
 * load: the worker's entry registers tsx's hooks first, then imports worker.ts.
 */
function bootstrap(): URL {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const workerUrl = new URL('./worker.ts', import.meta.url).href;
  const source = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(workerUrl)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

type Reply = { ok: true; run: RawRun } | { ok: false; error: string };

export async function runJobs(
  jobs: readonly Job[],
  workers: number,
  onDone: (job: Job, result: RawRun | Error) => void,
): Promise<void> {
  if (workers <= 1) {
    for (const job of jobs)
      onDone(
        job,
        await runJob(job).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      );
    return;
  }
  let next = 0;
  const lane = async (): Promise<void> => {
    const worker = new Worker(bootstrap());
    try {
      while (next < jobs.length) {
        const job = jobs[next++] as Job;
        const reply = await new Promise<Reply>((resolve, reject) => {
          const onError = (error: Error): void => reject(error);
          worker.once('error', onError);
          worker.once('message', (message: Reply) => {
            worker.off('error', onError);
            resolve(message);
          });
          worker.postMessage(job);
        });
        onDone(job, reply.ok ? reply.run : new Error(reply.error));
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
}
