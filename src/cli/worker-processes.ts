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
import type { StopStep } from './stop-signals.js';

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
  /**
   * A worker that exits with this code asks to be replaced ({@link REPLACE_EXIT_CODE}): a new
   * process with the same arguments takes its place, unless the workers are being stopped.
   */
  readonly replaceOnExit?: number;
  /** Told when worker `worker` is replaced by a new process. */
  readonly onReplaced?: (worker: number) => void;
}

/**
 * The exit code of a worker process that asks its parent for a fresh process in its place (its
 * trial overran its time limit and the objective ignored the abort signal, so its work goes on).
 */
export const REPLACE_EXIT_CODE = 75;

/** The message a parent sends a worker process to pass on a step of Ctrl+C (see stop-signals). */
export interface StopMessage {
  readonly hypertunerStop: StopStep;
}

/** Whether `message` is a {@link StopMessage}. */
export function isStopMessage(message: unknown): message is StopMessage {
  const step = (message as Partial<StopMessage> | null)?.hypertunerStop;
  return step === 'finish' || step === 'now';
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
  /** Stops every worker (SIGTERM: each finishes its running trial). */
  stop(): void;
  /** Passes a step of Ctrl+C to every worker through its IPC channel (with `ipc: true`). */
  send(step: StopStep): void;
  /** Replaces no more workers (the search is over: one started now would find nothing to do). */
  stopReplacing(): void;
  /** Ends every worker at once (SIGKILL). */
  kill(): void;
  /** The process ids of the workers running now. */
  pids(): number[];
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
  const children = new Map<number, ChildProcess>();
  const stderr = options.onStderrLine === undefined ? 'inherit' : 'pipe';
  const stdio: StdioOptions =
    options.ipc === true ? ['ignore', 'ignore', stderr, 'ipc'] : ['ignore', 'ignore', stderr];
  let stopping = false;
  const live = (): ChildProcess[] =>
    [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
  const run = (worker: number): Promise<WorkerExit> =>
    new Promise<WorkerExit>((resolve) => {
      const launch = (): void => {
        const child = spawn(cli.command, [...cli.args, ...args], {
          stdio,
          env: { ...process.env, ...options.env, HYPERTUNER_WORKER_INDEX: String(worker) },
        });
        children.set(worker, child);
        const onLine = options.onStderrLine;
        if (onLine !== undefined && child.stderr !== null) {
          createInterface({ input: child.stderr }).on('line', (line) => onLine(worker, line));
        }
        child.on('error', (error) => resolve({ worker, ok: false, how: error.message }));
        child.on('close', (code, signal) => {
          const replace = code !== null && code === options.replaceOnExit;
          if (replace && !stopping) {
            options.onReplaced?.(worker);
            launch();
            return;
          }
          const ok = code === 0 || replace || signal === 'SIGTERM' || signal === 'SIGINT';
          resolve({ worker, ok, how: code === null ? `signal ${signal}` : `exit code ${code}` });
        });
      };
      launch();
    });
  const exits = Array.from({ length: count }, (_, i) => run(i + 1));
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
      stopping = true;
      for (const child of live()) child.kill('SIGTERM');
    },
    stopReplacing() {
      stopping = true;
    },
    send(step) {
      stopping = true;
      const message: StopMessage = { hypertunerStop: step };
      for (const child of live()) if (child.connected) child.send(message);
    },
    kill() {
      stopping = true;
      for (const child of live()) child.kill('SIGKILL');
    },
    pids() {
      return live().flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
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
