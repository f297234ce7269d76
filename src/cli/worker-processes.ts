/**
 * Parallel trials: extra worker processes that join the same study through its storage.
 * Each runs `hypertuner worker ...`; the study's storage keeps them from running the same
 * trial, and each process has its own TensorFlow.js backend when it trains models.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface WorkerProcesses {
  /** Resolves when every worker has exited; rejects if one failed. */
  readonly done: Promise<void>;
  /** Stops every worker (SIGTERM). */
  stop(): void;
}

/** Starts `count` processes of this CLI with `args` (e.g. `['worker', ...]`). */
export function startWorkerProcesses(count: number, args: readonly string[]): WorkerProcesses {
  const script = process.argv[1] ?? '';
  const children: ChildProcess[] = [];
  const exits: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HYPERTUNER_WORKER_INDEX: String(i + 1) },
    });
    children.push(child);
    exits.push(
      new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) => {
          if (code === 0 || signal === 'SIGTERM' || signal === 'SIGINT') resolve();
          else reject(new Error(`worker process ${i + 1} exited with ${code ?? signal}`));
        });
      }),
    );
  }
  return {
    done: Promise.all(exits).then(() => undefined),
    stop() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
