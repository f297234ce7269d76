/**
 * `npm run bench:multifidelity`: multi-fidelity search against plain random search on
 * Fashion-MNIST, same budget of training epochs, same run.
 *
 *   npm run bench:multifidelity [-- --quick] [-- --json] [-- --seeds 5]
 *
 * For each seed, three searches of an MLP space (bench/multifidelity/space.ts) each train at
 * most `budget` epochs in all: RandomSearch where every trial trains maxEpochs, Hyperband
 * (maxEpochs, factor 3, promoted trials continue their parent's checkpoint), and
 * BayesianOptimization + ASHA (SuccessiveHalvingPruner, rungs a factor 3 apart). Every epoch's
 * validation accuracy is recorded in training order, so each method has a curve "best accuracy
 * after e epochs". Figures are epochs, not seconds: a shared, loaded machine changes the run
 * time, not the result. Targets (issue 6), on the medians over seeds: both multi-fidelity
 * methods end above random search, and reach random search's final best accuracy with at most
 * 1/3 of its epochs. Progress on stderr, the report (or --json) on stdout.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadFashionMnist } from '../src/datasets/index.js';
import { ensureBackend, imageSplitToArrays } from '../src/tfjs/index.js';
import type { MethodRun } from './multifidelity/methods.js';
import { METHODS, runMethod } from './multifidelity/methods.js';
import type { SeedFigures } from './multifidelity/report.js';
import {
  TARGETS,
  formatSeed,
  formatSummary,
  seedFigures,
  summarise,
} from './multifidelity/report.js';
import { SPACE_TEXT } from './multifidelity/space.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer >= 1.');
  return n;
}

const program = new Command('bench:multifidelity')
  .description(
    'Hyperband and BayesianOptimization+ASHA against plain random search on Fashion-MNIST, same epoch budget.',
  )
  .option('--quick', 'a smaller training set and one seed (about 2 minutes)')
  .option('--json', 'print the results as JSON on stdout')
  .option('--seeds <n>', 'seeds 0..n-1 (default 3, --quick 1)', positiveInt)
  .option('--max-epochs <n>', 'epochs of a full training (default 9)', positiveInt)
  .option('--budget <n>', 'epochs each method may train (default 9 full trainings)', positiveInt)
  .option('--train <n>', 'training images (default 4000, --quick 2000)', positiveInt)
  .option('--validation <n>', 'validation images (default 2000, --quick 1000)', positiveInt)
  .parse();

const o = program.opts<{
  quick?: boolean;
  json?: boolean;
  seeds?: number;
  maxEpochs?: number;
  budget?: number;
  train?: number;
  validation?: number;
}>();
const quick = o.quick === true;
const maxEpochs = o.maxEpochs ?? 9;
const factor = 3;
const settings = {
  seeds: o.seeds ?? (quick ? 1 : 3),
  maxEpochs,
  factor,
  budget: o.budget ?? 9 * maxEpochs,
  train: o.train ?? (quick ? 2000 : 4000),
  validation: o.validation ?? (quick ? 1000 : 2000),
  batchSize: 64,
};

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const started = performance.now();
const loads = [loadavg()[0] ?? 0];

const backend = await ensureBackend('auto');
const data = await loadFashionMnist({
  limitTrain: settings.train,
  limitTest: settings.validation,
  allowSubset: true,
  download: false,
});
const train = imageSplitToArrays(data.train);
const validation = imageSplitToArrays(data.test);
log(
  `bench:multifidelity: ${settings.seeds} seed(s) x ${METHODS.length} methods, ${settings.budget} epochs each ` +
    `(maxEpochs ${maxEpochs}), ${settings.train} training / ${settings.validation} validation images ` +
    `(${data.source}), ${backend.description}`,
);

const runs: MethodRun[] = [];
const figures: SeedFigures[] = [];
for (let seed = 0; seed < settings.seeds; seed++) {
  const seedRuns: MethodRun[] = [];
  for (const method of METHODS) {
    const run = await runMethod(method, {
      seed,
      maxEpochs,
      factor,
      budget: settings.budget,
      batchSize: settings.batchSize,
      train,
      validation,
      directory: mkdtempSync(join(tmpdir(), 'hypertuner-bench-mf-')),
    });
    seedRuns.push(run);
    loads.push(loadavg()[0] ?? 0);
    log(
      `  seed ${seed} ${method}: best ${(100 * Math.max(0, ...run.curve.filter(Number.isFinite))).toFixed(1)}% ` +
        `after ${run.curve.length} epochs, ${run.trials} trials, ${run.seconds.toFixed(0)} s, load ${(loadavg()[0] ?? 0).toFixed(2)}`,
    );
  }
  runs.push(...seedRuns);
  figures.push(...seedFigures(seedRuns));
}

const summaries = summarise(figures);
const seconds = (performance.now() - started) / 1000;
if (o.json === true) {
  process.stdout.write(
    `${JSON.stringify({
      settings: { ...settings, quick, dataset: data.source, space: SPACE_TEXT },
      backend: backend.description,
      targets: TARGETS,
      summaries,
      figures,
      curves: runs.map((r) => ({ method: r.method, seed: r.seed, curve: r.curve })),
      load: { max: Math.max(...loads) },
      seconds,
    })}\n`,
  );
} else {
  const out = [
    `# bench:multifidelity — Fashion-MNIST (${settings.train} training, ${settings.validation} validation images), ` +
      `budget ${settings.budget} epochs per method (= ${settings.budget / maxEpochs} full trainings of ${maxEpochs} epochs), ` +
      `median of ${settings.seeds} seed(s)`,
    `space: ${SPACE_TEXT}; batch ${settings.batchSize}; Hyperband factor ${factor}; ASHA reduction factor ${factor}, min resource 1`,
    `"epochs to random best": epochs after which the method first reached random search's final best val accuracy (same seed), and that over random's ${settings.budget} epochs`,
    '',
    ...formatSummary(summaries),
    '',
    'per seed:',
    formatSeed(figures),
    '',
    `backend ${backend.description}; max load ${Math.max(...loads).toFixed(2)}; ${seconds.toFixed(0)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
