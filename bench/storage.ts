/**
 * Storage benchmark: asks+tells per second with 1, 2, 4 and 8 worker processes sharing one
 * study (SQLite file, PostgreSQL server), and the time of one `startTrial` as the study
 * grows to 100, 1,000 and 10,000 finished trials (target: 10,000 / 100 <= 2x).
 *
 *   npm run bench:storage [-- --quick] [-- --backends sqlite,postgres] [-- --pg-url postgres://...]
 *
 * Without --pg-url a private PostgreSQL server is started (needs the `postgresql` package).
 * Each worker loops: startTrial (a random-search style decide) then finishTrial.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random, deriveSeed } from '../src/math/random.js';
import type { StartDecision, Storage, StudySnapshot } from '../src/storage/index.js';
import { openStorage } from '../src/storage/index.js';
import { startPostgresServer } from '../test/helpers/postgres-server.js';
import type { PostgresServer } from '../test/helpers/postgres-server.js';

const objectives = [{ name: 'loss', direction: 'minimize' as const }];

/** Random search as an oracle would do it: a seeded draw per history length. */
function randomDecide(snapshot: StudySnapshot): StartDecision {
  const random = new Random(deriveSeed(7, snapshot.trials.length));
  return {
    kind: 'create',
    params: {
      lr: 10 ** (-4 + 3 * random.next()),
      units: 16 + Math.floor(random.next() * 240),
      dropout: random.next() / 2,
    },
  };
}

async function askTell(storage: Storage, studyId: number, worker: string): Promise<number> {
  const t0 = performance.now();
  const outcome = await storage.startTrial(studyId, worker, randomDecide);
  const elapsed = performance.now() - t0;
  if (outcome.kind !== 'started') throw new Error(`not started: ${outcome.kind}`);
  const p = outcome.trial.params;
  await storage.finishTrial(outcome.trial.id, {
    status: 'COMPLETED',
    values: [Number(p['lr']) * Number(p['units'])],
  });
  return elapsed;
}

/** Worker mode: open the storage, say ready, wait for "go" on stdin, ask+tell for the duration, print how many. */
async function workerMain(
  url: string,
  studyId: number,
  durationMs: number,
  worker: string,
): Promise<void> {
  const storage = await openStorage(url);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  const end = Date.now() + durationMs;
  let count = 0;
  while (Date.now() < end) {
    await askTell(storage, studyId, worker);
    count++;
  }
  await storage.close();
  process.stdout.write(`${JSON.stringify({ count })}\n`);
}

interface WorkerHandle {
  readonly ready: Promise<void>;
  go(): void;
  readonly count: Promise<number>;
}

function startWorker(
  url: string,
  studyId: number,
  durationMs: number,
  worker: number,
): WorkerHandle {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '--worker', url, String(studyId), String(durationMs), `w${worker}`],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  const count = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}`));
      resolve((JSON.parse(out.slice('ready\n'.length)) as { count: number }).count);
    });
  });
  return { ready, count, go: () => child.stdin.end('go\n') };
}

async function throughput(
  label: string,
  url: string,
  workerCounts: readonly number[],
  durationMs: number,
): Promise<void> {
  for (const workers of workerCounts) {
    const storage = await openStorage(url);
    const study = await storage.createStudy({
      name: `throughput-${workers}-${Date.now()}`,
      objectives,
    });
    await storage.close();
    const handles = Array.from({ length: workers }, (_, w) =>
      startWorker(url, study.id, durationMs, w),
    );
    await Promise.all(handles.map((h) => h.ready));
    for (const h of handles) h.go();
    const counts = await Promise.all(handles.map((h) => h.count));
    const total = counts.reduce((a, b) => a + b, 0);
    const check = await openStorage(url);
    const trials = await check.getTrials(study.id);
    await check.close();
    const dense = trials.every((t, i) => t.number === i) && trials.length === total;
    console.log(
      `${label.padEnd(10)} ${String(workers).padStart(2)} workers: ${(total / (durationMs / 1000)).toFixed(0).padStart(6)} asks+tells/s  (${total} trials${dense ? ', numbers dense' : ', NUMBERS NOT DENSE'})`,
    );
  }
}

async function scaling(
  label: string,
  url: string,
  sizes: readonly number[],
  samples: number,
): Promise<void> {
  const storage = await openStorage(url);
  const study = await storage.createStudy({ name: `scaling-${Date.now()}`, objectives });
  let finished = 0;
  const results: { size: number; mean: number; median: number }[] = [];
  for (const size of sizes) {
    // Fill with 4 concurrent in-process workers (serialised by the storage, overlapping I/O).
    while (finished < size) {
      const batch = Math.min(4, size - finished);
      await Promise.all(
        Array.from({ length: batch }, (_, w) => askTell(storage, study.id, `fill${w}`)),
      );
      finished += batch;
    }
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push(await askTell(storage, study.id, 'probe'));
    finished += samples;
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const median = times[Math.floor(times.length / 2)] ?? NaN;
    results.push({ size, mean, median });
    console.log(
      `${label.padEnd(10)} startTrial at ${String(size).padStart(6)} finished trials: mean ${mean.toFixed(3)} ms, median ${median.toFixed(3)} ms`,
    );
  }
  await storage.close();
  const first = results[0];
  const last = results[results.length - 1];
  if (first !== undefined && last !== undefined && last !== first) {
    console.log(
      `${label.padEnd(10)} ratio ${last.size}/${first.size}: mean ${(last.mean / first.mean).toFixed(2)}x, median ${(last.median / first.median).toFixed(2)}x (target <= 2x)`,
    );
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') {
    const [, url, studyId, durationMs, worker] = args;
    await workerMain(url ?? '', Number(studyId), Number(durationMs), worker ?? 'w');
    return;
  }
  const quick = args.includes('--quick');
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const backends = (option('--backends') ?? 'sqlite,postgres').split(',');
  const workerCounts = quick ? [1, 2, 4] : [1, 2, 4, 8];
  const durationMs = quick ? 1500 : 4000;
  const sizes = quick ? [100, 1000, 3000] : [100, 1000, 10_000];
  const samples = quick ? 100 : 300;
  console.log(
    `storage benchmark${quick ? ' (--quick)' : ''}: ${workerCounts.join('/')} worker processes for ${durationMs / 1000} s each; startTrial time at ${sizes.join(', ')} finished trials`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'hypertuner-bench-'));
  let server: PostgresServer | undefined;
  try {
    if (backends.includes('sqlite')) {
      await throughput('sqlite', `sqlite:${join(dir, 'throughput.db')}`, workerCounts, durationMs);
      await scaling('sqlite', `sqlite:${join(dir, 'scaling.db')}`, sizes, samples);
    }
    if (backends.includes('postgres')) {
      let url = option('--pg-url');
      if (url === undefined) {
        server = await startPostgresServer({ database: 'hypertuner_bench' });
        url = server.url;
        console.log(`postgres: private server on port ${server.port} (fsync off)`);
      }
      await throughput('postgres', url, workerCounts, durationMs);
      await scaling('postgres', url, sizes, samples);
    }
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
