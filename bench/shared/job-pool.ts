/**
 * Runs a benchmark's jobs on N worker threads (or in this thread when N is 1), in order of
 * submission; each worker thread serves jobs with {@link serveJobs} (./job-worker.ts).
 */
import { Worker } from 'node:worker_threads';

/**
 * Worker threads do not inherit the parent's module hooks, so a TypeScript worker would not
 * load: the worker's entry registers tsx's hooks first, then imports the worker module.
 */
function bootstrap(workerModule: URL): URL {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const source = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(workerModule.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** What a worker posts back for one job. */
export type JobReply<R> = { ok: true; result: R } | { ok: false; error: string };

export interface JobPoolOptions<J, R> {
  /** Worker threads; 1 runs every job in this thread with `runHere`. */
  readonly workers: number;
  /** The module a worker thread loads; it calls `serveJobs` with the same job function. */
  readonly workerModule: URL;
  /** The job function, for running in this thread. */
  readonly runHere: (job: J) => Promise<R>;
  /** Called as each job ends, with its result or its error. */
  readonly onDone: (job: J, result: R | Error) => void;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export async function runJobs<J, R>(jobs: readonly J[], o: JobPoolOptions<J, R>): Promise<void> {
  if (o.workers <= 1) {
    for (const job of jobs) o.onDone(job, await o.runHere(job).catch(asError));
    return;
  }
  let next = 0;
  const lane = async (): Promise<void> => {
    const worker = new Worker(bootstrap(o.workerModule));
    try {
      while (next < jobs.length) {
        const job = jobs[next++] as J;
        const reply = await new Promise<JobReply<R>>((resolve, reject) => {
          const onError = (error: Error): void => reject(error);
          worker.once('error', onError);
          worker.once('message', (message: JobReply<R>) => {
            worker.off('error', onError);
            resolve(message);
          });
          worker.postMessage(job);
        });
        o.onDone(job, reply.ok ? reply.result : new Error(reply.error));
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.workers, jobs.length) }, lane));
}
