/**
 * What the race benchmarks run as processes of their own: the example (hypertuner's CLI from
 * source, as `npm start` runs it) and Debian's python3 with PyTorch and Optuna; each timed from
 * spawn to exit, with the load average around it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const pythonDir = fileURLToPath(new URL('../python/', import.meta.url));

export interface Finished {
  readonly stdout: string;
  readonly stderr: string;
  /** Spawn to exit. */
  readonly seconds: number;
  /** 1-minute load average at spawn and at exit. */
  readonly load: readonly [number, number];
  /** Spawn time (ms since 1970). */
  readonly spawnedAt: number;
}

/** Runs `command args` to its end; fails with its stderr's tail when it exits with an error. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; onStderr?: (line: string) => void } = {},
): Promise<Finished> {
  const load0 = loadavg()[0] ?? 0;
  const spawnedAt = Date.now();
  const t = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    const text = c.toString();
    stderr += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onStderr?.(line);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t) / 1000;
      if (code !== 0) {
        reject(
          new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-3000)}`),
        );
        return;
      }
      resolve({ stdout, stderr, seconds, load: [load0, loadavg()[0] ?? 0], spawnedAt });
    });
  });
}

/** The last line of `text` that parses as a JSON object. */
export function lastJson<T>(text: string): T {
  const line = text
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON line in:\n${text.slice(-2000)}`);
  return JSON.parse(line) as T;
}

/** What `hypertuner example --json` prints last. */
export interface ExampleSummary {
  readonly method: string;
  readonly seed: number;
  readonly budgetSeconds: number;
  readonly trials: number;
  readonly searchSeconds: number;
  readonly predictedFinalSeconds: number;
  readonly finalEpochs: number;
  readonly finalPartial: boolean;
  readonly finalEnding: string | null;
  readonly finalBestEpoch: number;
  readonly finalSeconds: number;
  /** Why the best trial's checkpoint was used instead of retraining. */
  readonly finalNote: string | null;
  readonly trainedWith: string | null;
  readonly totalSeconds: number;
  readonly bestValue: number | null;
  readonly bestParams: Record<string, unknown>;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
}

/** Runs `hypertuner example --json` with `args` (from source, through tsx, as `npm start`). */
export async function runExample(
  args: readonly string[],
  onStderr?: (line: string) => void,
): Promise<{ summary: ExampleSummary; run: Finished }> {
  const finished = await run(
    process.execPath,
    ['--import', 'tsx', cliEntry, 'example', '--json', '--plain', ...args],
    onStderr === undefined ? {} : { onStderr },
  );
  return { summary: lastJson<ExampleSummary>(finished.stdout), run: finished };
}

let python: string | undefined;

/**
 * A python3 that imports torch and optuna: $HYPERTUNER_PYTHON, Debian's /usr/bin/python3, or
 * python3 on the PATH; fails saying how to get one.
 */
export function torchPython(): string {
  if (python !== undefined) return python;
  const candidates = [process.env['HYPERTUNER_PYTHON'], '/usr/bin/python3', 'python3'];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    const probe = spawnSync(
      candidate,
      ['-c', 'import torch, optuna; print(torch.__version__, optuna.__version__)'],
      {
        encoding: 'utf8',
      },
    );
    if (probe.status === 0) {
      python = candidate;
      return candidate;
    }
  }
  throw new Error(
    'No python3 with PyTorch and Optuna: apt-get install python3-torch python3-optuna (Debian: 1.13 and 3.1), or set HYPERTUNER_PYTHON.',
  );
}

/** Runs one of bench/python/'s scripts with `args`; its last JSON line. */
export async function runPython<T>(
  script: string,
  args: readonly string[],
): Promise<{ result: T; run: Finished }> {
  const finished = await run(torchPython(), [`${pythonDir}${script}`, ...args], { cwd: pythonDir });
  return { result: lastJson<T>(finished.stdout), run: finished };
}

/** The 1-minute load average now. */
export function load(): number {
  return loadavg()[0] ?? 0;
}
