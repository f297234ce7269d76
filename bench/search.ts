/**
 * `npm run bench:search`: how fast a real search trains. hypertuner's example searches for
 * --minutes (its default method, --workers processes, nothing retrained: --final-epochs 0),
 * then PyTorch 1.13 (Debian's python3-torch, --threads threads) trains the very same trials one
 * after the other: each trial's model for the epochs it trained, on as many images, with the
 * validation images evaluated after each epoch. Both are timed as whole programs, from spawn to
 * the end of their last trial (start-up, data loading, worker processes and storage included).
 *
 *   npm run bench:search [-- --minutes 3] [-- --seed 1] [-- --threads 2] [-- --json]
 *
 * Target (issue 22): trained samples per second of wall-clock, hypertuner / PyTorch >= 1.0.
 * Both runs share the machine with whatever else runs: the load average before and after each
 * is printed, and only a quiet machine's ratio is a verdict.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { openStorage } from '../src/index.js';
import type { Trial } from '../src/index.js';
import { positiveInt, positiveNumber } from './shared/cli-numbers.js';
import { load, runExample, runPython } from './shared/processes.js';
import type { Finished } from './shared/processes.js';

const TARGET = 1.0;
/** The 1-minute load average before the runs (ours add ~2) below which the ratio is a verdict. */
const QUIET_LOAD = 1.5;

const program = new Command()
  .name('bench:search')
  .option('--minutes <m>', 'length of the search', positiveNumber, 3)
  .option('--seed <n>', 'seed of the search', positiveInt, 1)
  .option('--threads <n>', "PyTorch's threads", positiveInt, 2)
  .option('--train-size <n>', 'training images per trial', positiveInt, 12000)
  .option('--val-size <n>', 'validation images per trial', positiveInt, 5000)
  .option('--epochs <n>', 'epochs per trial', positiveInt, 4)
  .option('--example-args <args>', 'more arguments for the example (e.g. "--tuner tpe")', '')
  .option('--json', 'the figures as JSON on stdout')
  .parse();
const o = program.opts<{
  minutes: number;
  seed: number;
  threads: number;
  trainSize: number;
  valSize: number;
  epochs: number;
  exampleArgs: string;
  json?: boolean;
}>();
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** The finished trials of the one study the example made in `dir`. */
async function studyTrials(dir: string): Promise<Trial[]> {
  const [project] = readdirSync(dir);
  if (project === undefined) throw new Error(`no project folder in ${dir}`);
  const storage = await openStorage(`sqlite:${join(dir, project, 'study.db')}`);
  try {
    const record = await storage.loadStudy(project);
    if (record === undefined) throw new Error(`no study ${project}`);
    return (await storage.getTrials(record.id)).filter((t) => t.finishedAt !== undefined);
  } finally {
    await storage.close();
  }
}

interface Side {
  readonly samples: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly load: readonly [number, number];
}

const side = (samples: number, seconds: number, run: Finished): Side => ({
  samples,
  seconds,
  perSecond: samples / seconds,
  load: run.load,
});

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-bench-search-'));
try {
  const startLoad = load();
  log(`bench:search: ${o.minutes} min search, seed ${o.seed}; load ${startLoad.toFixed(2)}`);
  const sizes = ['--train-size', String(o.trainSize), '--val-size', String(o.valSize)];
  const { run } = await runExample(
    [
      ...['--time-budget', String(o.minutes), '--final-epochs', '0', '--seed', String(o.seed)],
      ...[...sizes, '--epochs', String(o.epochs), '--directory', dir, '--overwrite'],
      ...o.exampleArgs.split(' ').filter((a) => a !== ''),
    ],
    (line) => {
      if (/^Trial \d+ (COMPLETED|PRUNED|FAILED)|^Search ended/.test(line)) log(`  ${line}`);
    },
  );
  const trials = (await studyTrials(dir)).sort((a, b) => a.number - b.number);
  const trained = trials.filter((t) => t.intermediate.length > 0);
  const lastEnd = Math.max(...trained.map((t) => t.finishedAt as number));
  const samples = trained.reduce((s, t) => s + t.intermediate.length * o.trainSize, 0);
  const ours = side(samples, (lastEnd - run.spawnedAt) / 1000, run);
  log(
    `hypertuner: ${trained.length} trials, ${samples} samples in ${ours.seconds.toFixed(1)} s = ${ours.perSecond.toFixed(0)}/s; load ${run.load[0].toFixed(2)} -> ${run.load[1].toFixed(2)}`,
  );

  const spec = join(dir, 'trials.json');
  writeFileSync(
    spec,
    JSON.stringify({
      threads: o.threads,
      train_size: o.trainSize,
      val_size: o.valSize,
      batch_size: 128,
      seed: o.seed,
      trials: trained.map((t) => ({ params: t.params, epochs: t.intermediate.length })),
    }),
  );
  log(`PyTorch (${o.threads} threads) replays the ${trained.length} trials...`);
  const torch = await runPython<{ samples: number; seconds: number; torch: string }>(
    'replay_trials.py',
    [spec],
  );
  const theirs = side(torch.result.samples, torch.result.seconds, torch.run);
  log(
    `PyTorch ${torch.result.torch}: ${theirs.samples} samples in ${theirs.seconds.toFixed(1)} s = ${theirs.perSecond.toFixed(0)}/s; load ${torch.run.load[0].toFixed(2)} -> ${torch.run.load[1].toFixed(2)}`,
  );
  const ratio = ours.perSecond / theirs.perSecond;
  // threads that wait for a core slow PyTorch more than our processes: only quiet runs count
  const quiet = startLoad < QUIET_LOAD;
  const figures = {
    minutes: o.minutes,
    seed: o.seed,
    trials: trained.length,
    ours,
    theirs,
    ratio,
    verdict: quiet,
  };
  if (o.json === true) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    const row = (name: string, s: Side): string =>
      `| ${name} | ${s.samples} | ${s.seconds.toFixed(1)} | ${s.perSecond.toFixed(0)} | ${s.load[0].toFixed(2)} → ${s.load[1].toFixed(2)} |`;
    process.stdout.write(
      [
        `Trained samples per second of wall-clock over a ${o.minutes}-minute search (${trained.length} trials, seed ${o.seed}):`,
        '',
        '| system | samples trained | seconds | samples/s | load average (start → end) |',
        '|---|---|---|---|---|',
        row('hypertuner example (its workers)', ours),
        row(
          `PyTorch ${torch.result.torch}, ${o.threads} threads, the same trials in sequence`,
          theirs,
        ),
        '',
        `Ratio hypertuner / PyTorch: ${ratio.toFixed(2)} (target >= ${TARGET.toFixed(1)}: ${ratio >= TARGET ? 'PASS' : 'FAIL'}${
          quiet
            ? ')'
            : `; not a verdict: the load average was ${startLoad.toFixed(2)} before the runs, a verdict needs < ${QUIET_LOAD})`
        }.`,
        '',
      ].join('\n'),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
