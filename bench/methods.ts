/**
 * `npm run bench:methods`: which search method the example should use by default, measured as
 * the race measures: each method runs `hypertuner example --time-budget M --seed s` (the same
 * workers, data, planning and final training; only the method differs) and is scored by the
 * test accuracy of its final model. Methods run interleaved: for each seed every method once,
 * in an order that rotates with the seed, so a change of the machine's load hits them alike.
 *
 *   npm run bench:methods -- --minutes 10 --seeds 3 [-- --methods bayesian,bayesian-asha,tpe,hyperband-tpe]
 *     [-- --example-args "--tune-learning-rate"]
 *
 * The methods: bayesian, tpe and random (a whole trial: --epochs 4 on --train-size 12,000), each
 * also with ASHA pruning (-asha); hyperband-tpe, Hyperband over epochs (rounds of 1, 3 and 9
 * epochs on all 12,000 images, a promoted trial continuing its parent) with TPE sampling;
 * hyperband-tpe-samples, Hyperband over training-set size with TPE sampling (4 epochs, from
 * scratch, on 1,333, 4,000 or all 12,000 images: its top round is the other methods' trial).
 *
 * Prints, per method, the test accuracy of each seed, the median, the median trial count, and
 * how often it was the seed's best; the default of `npm start` is the method with the best
 * median (ties: more seeds won).
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { median } from './multifidelity/stats.js';
import { positiveInt, positiveNumber } from './shared/cli-numbers.js';
import { load, runExample } from './shared/processes.js';

/** Each method as the example's flags. */
const METHODS: Readonly<Record<string, readonly string[]>> = {
  bayesian: ['--tuner', 'bayesian'],
  'bayesian-asha': ['--tuner', 'bayesian', '--pruner', 'asha'],
  tpe: ['--tuner', 'tpe'],
  'tpe-asha': ['--tuner', 'tpe', '--pruner', 'asha'],
  random: ['--tuner', 'random'],
  // Hyperband over up to 9 epochs (factor 3: rounds of 1, 3 and 9 epochs), TPE sampling
  'hyperband-tpe': ['--tuner', 'hyperband', '--sampler', 'tpe', '--epochs', '9'],
  // Hyperband over training images (factor 3: rounds on 1/9, 1/3 and all of them), 4 epochs
  // each from scratch, TPE sampling
  'hyperband-tpe-samples': [
    ...['--tuner', 'hyperband', '--sampler', 'tpe', '--fidelity', 'samples', '--epochs', '4'],
  ],
};

const methodList = (value: string): string[] => {
  const names = value.split(',').map((m) => m.trim());
  for (const name of names)
    if (METHODS[name] === undefined)
      throw new InvalidArgumentError(
        `unknown method '${name}'; use some of: ${Object.keys(METHODS).join(', ')}.`,
      );
  return names;
};

const program = new Command()
  .name('bench:methods')
  .option('--minutes <m>', 'time budget of each run', positiveNumber, 10)
  .option('--seeds <n>', 'seeds 1..n', positiveInt, 3)
  .option('--methods <list>', `some of ${Object.keys(METHODS).join(', ')}`, methodList, [
    'bayesian',
    'bayesian-asha',
    'tpe',
    'hyperband-tpe',
  ])
  .option(
    '--example-args <args>',
    'more arguments for every run (e.g. "--tune-learning-rate", the race\'s space)',
    '',
  )
  .option('--out <file>', 'append each run as a JSON line')
  .parse();
const o = program.opts<{
  minutes: number;
  seeds: number;
  methods: string[];
  exampleArgs: string;
  out?: string;
}>();
const log = (s: string): void => void process.stderr.write(`${s}\n`);

interface Run {
  readonly method: string;
  readonly seed: number;
  readonly testAccuracy: number;
  readonly trials: number;
  readonly load: readonly [number, number];
}

const dir = mkdtempSync(join(tmpdir(), 'hypertuner-bench-methods-'));
const runs: Run[] = [];
try {
  log(
    `bench:methods: ${o.methods.join(', ')}; ${o.minutes} min each, seeds 1..${o.seeds}; load ${load().toFixed(2)}`,
  );
  for (let seed = 1; seed <= o.seeds; seed++) {
    const k = (seed - 1) % o.methods.length;
    const order = [...o.methods.slice(k), ...o.methods.slice(0, k)];
    for (const method of order) {
      const { summary, run } = await runExample([
        ...(METHODS[method] ?? []),
        ...['--time-budget', String(o.minutes), '--seed', String(seed), '--overwrite'],
        ...['--directory', join(dir, `${method}-${seed}`)],
        ...o.exampleArgs.split(' ').filter((a) => a !== ''),
      ]);
      const r: Run = {
        method,
        seed,
        testAccuracy: summary.testAccuracy ?? Number.NaN,
        trials: summary.trials,
        load: run.load,
      };
      runs.push(r);
      log(
        `  seed ${seed} ${method}: test accuracy ${r.testAccuracy.toFixed(4)}, ${r.trials} trials, ${run.seconds.toFixed(0)} s, load ${run.load[0].toFixed(2)} -> ${run.load[1].toFixed(2)}`,
      );
      if (o.out !== undefined) appendFileSync(o.out, `${JSON.stringify({ ...r, summary })}\n`);
    }
  }
  const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  const wins = new Map<string, number>();
  for (const seed of seeds) {
    const ofSeed = runs.filter((r) => r.seed === seed);
    const top = Math.max(...ofSeed.map((r) => r.testAccuracy));
    for (const r of ofSeed)
      if (r.testAccuracy === top) wins.set(r.method, (wins.get(r.method) ?? 0) + 1);
  }
  const rows = o.methods.map((method) => {
    const mine = runs.filter((r) => r.method === method);
    return {
      method,
      accuracies: mine.map((r) => r.testAccuracy),
      median: median(mine.map((r) => r.testAccuracy)),
      trials: median(mine.map((r) => r.trials)),
      wins: wins.get(method) ?? 0,
    };
  });
  const ranked = [...rows].sort((a, b) => b.median - a.median || b.wins - a.wins);
  process.stdout.write(
    [
      `Test accuracy of the example's final model, ${o.minutes} min per run${o.exampleArgs === '' ? '' : ` with ${o.exampleArgs}`}, seeds 1..${o.seeds} (methods interleaved):`,
      '',
      `| method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | median | median trials | seeds won |`,
      `|---|${seeds.map(() => '---|').join('')}---|---|---|`,
      ...rows.map(
        (r) =>
          `| ${r.method} | ${r.accuracies.map((a) => a.toFixed(4)).join(' | ')} | ${r.median.toFixed(4)} | ${r.trials} | ${r.wins} |`,
      ),
      '',
      `Best median: ${ranked[0]?.method ?? '-'}.`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
