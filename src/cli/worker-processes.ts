/**
 * Parallel trials: extra processes of this CLI that join the same study through its storage
 * (`hypertuner worker ...`, `hypertuner example --join ...`). The study's storage keeps them
 * from running the same trial, and each process has its own TensorFlow.js backend when it
 * trains models.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HypertunerError } from '../index.js';

export interface WorkerProcessOptions {
  /** Receives each line a worker writes on stderr (default: passed straight to ours). */
  readonly onStderrLine?: (worker: number, line: string) => void;
  /**
   * Give each worker an IPC channel to this process, so that a worker calling
   * {@link exitWithParent} stops when this process dies, however it dies.
   */
  readonly ipc?: boolean;
  /** Extra environment variables of the workers (e.g. the storage URL, kept off their command line). */
  readonly env?: Readonly<Record<string, string>>;
}

/** How one worker process ended. */
export interface WorkerExit {
  /** 1, 2, ... (also its HYPERTUNER_WORKER_INDEX). */
  readonly worker: number;
  /** Exited with 0, or was stopped by a signal we or the terminal sent. */
  readonly ok: boolean;
  /** `exit code 1`, `signal SIGKILL`, or the spawn error. */
  readonly how: string;
}

export interface WorkerProcesses {
  readonly count: number;
  /** Resolves when every worker has exited; rejects if one failed. */
  readonly done: Promise<void>;
  /** Resolves when every worker has exited, with how each ended (never rejects). */
  readonly exited: Promise<readonly WorkerExit[]>;
  /** Stops every worker (SIGTERM). */
  stop(): void;
}

/** The program and arguments that run this CLI again (from source through tsx, or compiled). */
export function cliCommand(): { readonly command: string; readonly args: readonly string[] } {
  const self = fileURLToPath(import.meta.url);
  const entry = fileURLToPath(new URL(`./main${extname(self)}`, import.meta.url));
  const nodeArgs = [...process.execArgv];
  if (entry.endsWith('.ts') && !nodeArgs.some((a) => a.includes('tsx'))) {
    // run from source by a runner other than tsx (a test runner): load TypeScript with tsx
    nodeArgs.push('--import', import.meta.resolve('tsx'));
  }
  return { command: process.execPath, args: [...nodeArgs, entry] };
}

/** Starts `count` processes of this CLI with `args` (e.g. `['worker', ...]`). */
export function startWorkerProcesses(
  count: number,
  args: readonly string[],
  options: WorkerProcessOptions = {},
): WorkerProcesses {
  const cli = cliCommand();
  const children: ChildProcess[] = [];
  const exits: Promise<WorkerExit>[] = [];
  const stderr = options.onStderrLine === undefined ? 'inherit' : 'pipe';
  const stdio: StdioOptions =
    options.ipc === true ? ['ignore', 'ignore', stderr, 'ipc'] : ['ignore', 'ignore', stderr];
  for (let i = 0; i < count; i++) {
    const worker = i + 1;
    const child = spawn(cli.command, [...cli.args, ...args], {
      stdio,
      env: { ...process.env, ...options.env, HYPERTUNER_WORKER_INDEX: String(worker) },
    });
    children.push(child);
    const onLine = options.onStderrLine;
    if (onLine !== undefined && child.stderr !== null) {
      createInterface({ input: child.stderr }).on('line', (line) => onLine(worker, line));
    }
    exits.push(
      new Promise<WorkerExit>((resolve) => {
        child.on('error', (error) => resolve({ worker, ok: false, how: error.message }));
        child.on('close', (code, signal) => {
          const ok = code === 0 || signal === 'SIGTERM' || signal === 'SIGINT';
          resolve({ worker, ok, how: code === null ? `signal ${signal}` : `exit code ${code}` });
        });
      }),
    );
  }
  const exited = Promise.all(exits);
  let done: Promise<void> | undefined;
  return {
    count,
    exited,
    // made when first asked for, so that nobody is left with an unobserved rejection
    get done() {
      done ??= new Promise<void>((resolve, reject) => {
        for (const exit of exits)
          void exit.then((e) => {
            if (!e.ok)
              reject(
                new HypertunerError(
                  'WORKER_FAILED',
                  `Worker process ${e.worker} exited with ${e.how} (its error, if any, is above).`,
                  { field: 'workers' },
                ),
              );
          });
        void exited.then(() => resolve());
      });
      return done;
    },
    stop() {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/**
 * In a worker started with `ipc: true`: exit when the process that started it is gone (its
 * channel closes), and never stay alive just for that channel.
 */
export function exitWithParent(): void {
  if (process.channel === undefined) return;
  process.on('disconnect', () => process.exit(130));
  process.channel.unref();
}
