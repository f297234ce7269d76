/**
 * Runs the `hypertuner` CLI's `main` in this process, capturing what it writes: many cases in
 * one process instead of one process each (a process costs a second or more to start). Cases
 * run one at a time (stdout, stderr and the environment are this process's).
 */
import type { CliResult } from './run-cli.js';

/** Runs `hypertuner <args>` in this process with `env` added to the environment. */
export async function runCliInProcess(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const callback = rest.find((r): r is () => void => typeof r === 'function');
      callback?.();
      return true;
    };
  process.stdout.write = capture((t) => (stdout += t)) as typeof process.stdout.write;
  process.stderr.write = capture((t) => (stderr += t)) as typeof process.stderr.write;
  Object.assign(process.env, env);
  try {
    const code = await main(args);
    return { code, signal: null, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
