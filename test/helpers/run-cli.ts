/** Runs the `hypertuner` CLI from source in a child process (through tsx). */
import { execFileSync, spawn } from 'node:child_process';
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

/**
 * The uid and gid of an unprivileged user for a CLI run that must meet file permissions (root
 * passes them all): `nobody` when this process is root, else this user (already unprivileged).
 */
export function unprivilegedUser(): { readonly uid: number; readonly gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  options: { readonly user?: { readonly uid: number; readonly gid: number } } = {},
): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
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
  options: { readonly user?: { readonly uid: number; readonly gid: number } } = {},
): Promise<CliResult> {
  return startCli(args, env, options).done;
}
