/**
 * One job of the benchmark — a method's search on one seed's data — as the main thread or a
 * worker thread (./worker.ts) runs it. Jobs are independent: each carves its seed's images,
 * and searches in its own directory with in-memory storage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '../../src/tfjs/index.js';
import type { BenchData } from './data.js';
import { carveSplits, loadPool } from './data.js';
import type { Method, MethodRun, RunSettings } from './methods.js';
import { runMethod } from './methods.js';

/** A method's run settings, with image counts in place of the images and directory. */
export interface MethodJob extends Omit<RunSettings, 'train' | 'validation' | 'directory'> {
  readonly method: Method;
  /** Training and validation images carved from the training split for this seed. */
  readonly train: number;
  readonly validation: number;
}

let pool: Promise<BenchData> | undefined;

/** The training split, loaded once per thread. */
export function benchPool(): Promise<BenchData> {
  pool ??= loadPool();
  return pool;
}

export async function runMethodJob(job: MethodJob): Promise<MethodRun> {
  await ensureBackend('auto');
  const data = await benchPool();
  const { train, validation } = carveSplits(data.pool, job);
  return runMethod(job.method, {
    ...job,
    train,
    validation,
    directory: mkdtempSync(join(tmpdir(), 'hypertuner-bench-mf-')),
  });
}
