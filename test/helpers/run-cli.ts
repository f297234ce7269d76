/** Runs the `hypertuner` CLI from source in a child process (through tsx). */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Resolves when stderr contains `pattern` `count` times. */
  waitForStderr(pattern: RegExp, count?: number): Promise<void>;
}

export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const matches = stderr.match(new RegExp(w.pattern.source, 'g'))?.length ?? 0;
      if (matches >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    done,
    waitForStderr(pattern, count = 1) {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, count, resolve });
        check();
        void done.then((r) =>
          reject(new Error(`CLI exited (${r.code}) before ${pattern} x${count}:\n${r.stderr}`)),
        );
      });
    },
  };
}

export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return startCli(args, env).done;
}
