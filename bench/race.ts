/**
 * `npm run bench:race`: the 10-minute race. For each seed, back to back (which side goes first
 * alternates with the seed), `hypertuner example --time-budget M --seed s --tune-learning-rate`
 * (its defaults: experiment 2's space, the method, the workers, the final training; the
 * learning rate tuned too) and our Optuna + PyTorch script (bench/python/optuna_race.py:
 * Optuna 3.1 TPE, PyTorch 1.13 on --threads threads) with the same search space, the same
 * held-out images (the example's seeded validation subset, passed as indices), the same final
 * training (all training images but the held-out ones, planned for 10 epochs and going on
 * while time is left, stopped by the held-out accuracy, best epoch kept) and the same budget, counted from each program's start. Prints both tables and the median
 * difference in test accuracy (hypertuner - Optuna + PyTorch).
 *
 *   npm run bench:race -- --minutes 10 --seeds 3 [-- --trial-epochs 3] [-- --out runs.jsonl]
 *
 * Target (issue 22): hypertuner's median test accuracy >= Optuna + PyTorch's. Test accuracy
 * does not depend on the load, but what fits in 10 minutes does: run the verdict on a quiet
 * machine; the load average around each run is printed.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { heldOutIndices } from '../src/cli/example/data.js';
import { loadFashionMnist } from '../src/datasets/index.js';
import { median } from './multifidelity/stats.js';
import { positiveInt, positiveNumber } from './shared/cli-numbers.js';
import type { ExampleSummary, Finished } from './shared/processes.js';
import { load, runExample, runPython } from './shared/processes.js';

const program = new Command()
  .name('bench:race')
  .option('--minutes <m>', 'time budget of each side', positiveNumber, 10)
  .option('--seeds <n>', 'seeds 1..n', positiveInt, 3)
  .option('--threads <n>', "PyTorch's threads", positiveInt, 2)
  .option(
    '--trial-epochs <n>',
    'epochs of each Optuna trial (on all non-held-out images)',
    positiveInt,
    3,
  )
  .option('--val-size <n>', "held-out images (the example's --val-size)", positiveInt, 5000)
  .option('--example-args <args>', 'more arguments for the example (e.g. "--tuner tpe")', '')
  .option('--out <file>', 'append each run as a JSON line')
  .parse();
const o = program.opts<{
  minutes: number;
  seeds: number;
  threads: number;
  trialEpochs: number;
  valSize: number;
  exampleArgs: string;
  out?: string;
}>();
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** One side's run, as both tables show it. */
interface Row {
  readonly seed: number;
  readonly trials: number;
  readonly searchSeconds: number;
  readonly finalEpochs: string;
  readonly finalSeconds: number;
  readonly totalSeconds: number;
  readonly testAccuracy: number;
  readonly load: readonly [number, number];
}

interface OptunaResult {
  readonly trials: number;
  readonly search_seconds: number;
  readonly final_epochs: number;
  readonly final_ending: string;
  readonly final_best_epoch: number;
  readonly final_seconds: number;
  readonly final_note: string | null;
  readonly total_seconds: number;
  readonly test_accuracy: number;
  readonly versions: { readonly torch: string; readonly optuna: string };
}

function oursRow(s: ExampleSummary, run: Finished): Row {
  return {
    seed: s.seed,
    trials: s.trials,
    searchSeconds: s.searchSeconds,
    finalEpochs:
      s.finalNote === null
        ? `${s.finalEpochs}${s.finalPartial ? ' (last partial)' : ''}, best ${s.finalBestEpoch}, ${s.finalEnding ?? ''}`
        : `none: ${s.finalNote}`,
    finalSeconds: s.finalSeconds,
    // spawn to exit: what the budget holds
    totalSeconds: run.seconds,
    testAccuracy: s.testAccuracy ?? Number.NaN,
    load: run.load,
  };
}

function optunaRow(seed: number, r: OptunaResult, run: Finished): Row {
  return {
    seed,
    trials: r.trials,
    searchSeconds: r.search_seconds,
    finalEpochs:
      r.final_note === null
        ? `${r.final_epochs}, best ${r.final_best_epoch}, ${r.final_ending}`
        : `none: ${r.final_note}`,
    finalSeconds: r.final_seconds,
    totalSeconds: run.seconds,
    testAccuracy: r.test_accuracy,
    load: run.load,
  };
}

const time = (s: number): string =>
  s < 60
    ? `${s.toFixed(0)}s`
    : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;

function table(title: string, rows: readonly Row[]): string {
  const lines = [
    title,
    '',
    '| seed | trials | search time | final training (epochs) | final time | total | test accuracy | load (start → end) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.seed} | ${r.trials} | ${time(r.searchSeconds)} | ${r.finalEpochs} | ${time(r.finalSeconds)} | ${time(r.totalSeconds)} | ${r.testAccuracy.toFixed(4)} | ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)} |`,
    ),
    `| median | ${median(rows.map((r) => r.trials))} | ${time(median(rows.map((r) => r.searchSeconds)))} | | ${time(median(rows.map((r) => r.finalSeconds)))} | ${time(median(rows.map((r) => r.totalSeconds)))} | ${median(rows.map((r) => r.testAccuracy)).toFixed(4)} | |`,
  ];
  return lines.join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-bench-race-'));
const ours: Row[] = [];
const theirs: Row[] = [];
let versions = '';
try {
  const train = (await loadFashionMnist({ download: false })).train;
  log(`bench:race: ${o.minutes} min per side, seeds 1..${o.seeds}; load ${load().toFixed(2)}`);
  for (let seed = 1; seed <= o.seeds; seed++) {
    const heldOut = join(dir, `held-out-${seed}.bin`);
    const indices = heldOutIndices(train.count, o.valSize, seed);
    writeFileSync(heldOut, new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
    const runOurs = async (): Promise<void> => {
      log(`seed ${seed}: hypertuner example...`);
      const { summary, run } = await runExample(
        [
          ...['--time-budget', String(o.minutes), '--seed', String(seed), '--overwrite'],
          // the script's space: experiment 2 (npm start's) with Adam's learning rate
          '--tune-learning-rate',
          ...['--val-size', String(o.valSize), '--directory', join(dir, `ours-${seed}`)],
          ...o.exampleArgs.split(' ').filter((a) => a !== ''),
        ],
        (line) => {
          if (/^Search ended|^Search took|^Method:/.test(line)) log(`  ${line}`);
        },
      );
      ours.push(oursRow(summary, run));
      log(
        `  test accuracy ${summary.testAccuracy?.toFixed(4)}, ${time(run.seconds)} spawn to exit`,
      );
      if (o.out !== undefined)
        appendFileSync(
          o.out,
          `${JSON.stringify({ side: 'hypertuner', seed, summary, seconds: run.seconds, load: run.load })}\n`,
        );
    };
    const runTheirs = async (): Promise<void> => {
      log(`seed ${seed}: Optuna + PyTorch...`);
      const { result, run } = await runPython<OptunaResult>('optuna_race.py', [
        ...['--minutes', String(o.minutes), '--seed', String(seed), '--held-out', heldOut],
        ...['--trial-epochs', String(o.trialEpochs), '--threads', String(o.threads)],
      ]);
      versions = `Optuna ${result.versions.optuna} + PyTorch ${result.versions.torch}`;
      theirs.push(optunaRow(seed, result, run));
      log(`  test accuracy ${result.test_accuracy.toFixed(4)}, ${time(run.seconds)} spawn to exit`);
      if (o.out !== undefined)
        appendFileSync(
          o.out,
          `${JSON.stringify({ side: 'optuna-torch', seed, result, seconds: run.seconds, load: run.load })}\n`,
        );
    };
    // alternate who goes first, so a drift in the machine's load hits both alike
    for (const go of seed % 2 === 1 ? [runOurs, runTheirs] : [runTheirs, runOurs]) await go();
  }
  const diffs = ours.map(
    (r, i) => r.testAccuracy - (theirs.find((t) => t.seed === r.seed) ?? theirs[i])!.testAccuracy,
  );
  const mOurs = median(ours.map((r) => r.testAccuracy));
  const mTheirs = median(theirs.map((r) => r.testAccuracy));
  process.stdout.write(
    [
      table(
        `hypertuner example --time-budget ${o.minutes} --tune-learning-rate ${o.exampleArgs}`.trim(),
        ours,
      ),
      '',
      table(
        `${versions} (${o.threads} threads), ${o.trialEpochs} epochs per trial on all non-held-out images`,
        theirs,
      ),
      '',
      `Median test accuracy: hypertuner ${mOurs.toFixed(4)}, Optuna + PyTorch ${mTheirs.toFixed(4)}; difference of medians ${(mOurs - mTheirs >= 0 ? '+' : '') + (mOurs - mTheirs).toFixed(4)}, median of the per-seed differences ${(median(diffs) >= 0 ? '+' : '') + median(diffs).toFixed(4)}.`,
      `Target: hypertuner's median >= Optuna + PyTorch's: ${mOurs >= mTheirs ? 'PASS' : 'FAIL'} (a verdict at --minutes 10 --seeds 3 on a quiet machine).`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
