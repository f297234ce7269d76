/**
 * `hypertuner example --compare random,bayesian[,tpe,hyperband] --seeds N`: the article's
 * question ("did Bayesian optimisation do better than random search?") answered with numbers.
 * Each tuner runs N times (seeds --seed, --seed + 1, ...) with the same budget (--trials trials
 * of --epochs epochs; Hyperband gets the same epochs in all) on the same data, each run its own
 * study in one storage (`<directory>/compare.db` unless --storage), named
 * `<dataset>-exp<E>-<tuner>-seed<S>` so that `hypertuner dashboard` shows them side by side.
 * Runs go --workers at a time, each in its own process training one trial at a time (so a run
 * repeats itself for its seed). Then: a table of medians and spreads over seeds, a verdict, a
 * best-so-far plot per tuner (SVG, and PNG when Chromium is at hand) beside the studies, and
 * the layers and test score of the best run's model (best by validation, never by test).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HypertunerError } from '../../index.js';
import { redactStorageUrl } from '../../storage/index.js';
import { isInProcessStorage, STORAGE_ENV } from '../storage-flag.js';
import { startWorkerProcesses } from '../worker-processes.js';
import type { RunResult } from './compare-member.js';
import { resultPath } from './compare-member.js';
import { writeComparePlots } from './compare-plot.js';
import { comparisonTable, summarizeRuns, verdictLines } from './compare-report.js';
import type { ExampleOptions, TunerName } from './options.js';
import { COMPARE_TRIALS, studyArguments } from './options.js';
import { seconds } from './text.js';
import { plural } from '../../plural.js';
import { ARTICLE_EXPERIMENT_SPACES } from '../../tfjs/applications/article-experiments.js';

/** One run of a comparison: a tuner and a seed. */
export interface Run {
  readonly tuner: TunerName;
  readonly seed: number;
  readonly label: string;
  readonly options: ExampleOptions;
}

/** The storage every run shares: --storage, else `<directory>/compare.db`. */
export function compareStorage(options: ExampleOptions): string {
  return options.storage ?? `sqlite:${join(resolve(options.directory), 'compare.db')}`;
}

/**
 * The runs of a comparison, seed by seed: each with the options of its member process (the
 * comparison's, with its tuner and seed; Hyperband takes --sampler, the others --pruner).
 */
export function plannedRuns(options: ExampleOptions, tuners: readonly TunerName[]): Run[] {
  const runs: Run[] = [];
  // seed by seed, so that the runs finished early cover every tuner
  for (let i = 0; i < options.seeds; i++) {
    for (const tuner of tuners) {
      const seed = options.seed + i;
      runs.push({
        tuner,
        seed,
        label: `${tuner} seed ${seed}`,
        options: {
          ...options,
          tuner,
          seed,
          // Hyperband's sampler (--sampler tpe: as BOHB); the other tuners choose themselves
          sampler: tuner === 'hyperband' ? options.sampler : 'random',
          // --pruner for the tuners that run whole trials (Hyperband stops trials itself)
          pruner: tuner === 'hyperband' ? 'none' : options.pruner,
          workers: 1,
          compareMember: true,
          compare: undefined,
        },
      });
    }
  }
  return runs;
}

/** The command line of a run's member process. */
export function memberArguments(run: Run, overwrite: boolean): string[] {
  return [
    'example',
    '--compare-member',
    ...['--tuner', run.tuner, '--seed', String(run.seed), '--workers', '1'],
    ...['--pruner', run.options.pruner],
    ...studyArguments(run.options),
    ...(overwrite ? ['--overwrite'] : []),
  ];
}

/** Runs one member process; resolves when it exits, rejects if it failed. */
async function runMember(
  run: Run,
  storage: string,
  overwrite: boolean,
  say: (text: string) => void,
): Promise<RunResult> {
  const started = Date.now();
  const tail: string[] = [];
  const processes = startWorkerProcesses(1, memberArguments(run, overwrite), {
    ipc: true,
    env: { [STORAGE_ENV]: storage },
    onStderrLine: (_worker, line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (/^Trial \d+ /.test(line)) say(`[${run.label}] ${line}`);
    },
  });
  const [exit] = await processes.exited;
  if (exit === undefined || !exit.ok)
    throw new HypertunerError(
      'WORKER_FAILED',
      `The run '${run.label}' stopped with ${exit?.how ?? 'no exit'}:\n${tail.join('\n')}`,
      { field: 'compare' },
    );
  const result = JSON.parse(await readFile(resultPath(run.options), 'utf8')) as RunResult;
  say(
    `[${run.label}] done in ${seconds(Date.now() - started)}: ${plural(result.trials, 'trial')}, best val_accuracy ${result.bestValue.toFixed(4)} (trial ${result.bestTrial}), test accuracy ${result.testAccuracy.toFixed(4)}.`,
  );
  return result;
}

/** Runs `runs` with at most `parallel` at once, in order; the first failure is rethrown at the end. */
async function runAll(
  runs: readonly Run[],
  parallel: number,
  start: (run: Run) => Promise<RunResult>,
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  const failures: unknown[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < runs.length) {
      const run = runs[next++] as Run;
      try {
        results.push(await start(run));
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, runs.length)) }, lane));
  if (failures.length > 0) throw failures[0];
  return results;
}

export async function runCompare(options: ExampleOptions): Promise<void> {
  const tuners = options.compare ?? [];
  const t0 = Date.now();
  const say = (text: string): void => void process.stderr.write(`${text}\n`);
  const storage = compareStorage(options);
  if (isInProcessStorage(storage))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--compare runs every tuner and seed in a process of its own: --storage must be one they can all open (sqlite:path.db or postgres://...), not ${redactStorageUrl(storage)}.`,
      { field: 'storage' },
    );
  const runs = plannedRuns(options, tuners);
  const parallel = Math.min(options.workers, runs.length);
  const how = [
    options.pruner === 'asha'
      ? `${tuners.filter((t) => t !== 'hyperband').join(', ')} with ASHA pruning`
      : '',
    tuners.includes('hyperband') && options.sampler === 'tpe' ? 'hyperband with TPE sampling' : '',
  ].filter((text) => text !== '');
  say(
    `Comparing ${tuners.join(', ')}${how.length > 0 ? ` (${how.join('; ')})` : ''} on the article's experiment ${options.experiment} (${ARTICLE_EXPERIMENT_SPACES[options.experiment]}${options.tuneLearningRate ? ", and Adam's learning rate" : ''}), ${options.dataset}: ${plural(options.seeds, 'seed')} each (${options.seed} to ${options.seed + options.seeds - 1}), ${plural(options.trials ?? COMPARE_TRIALS, 'trial')} of ${plural(options.epochs, 'epoch')} on ${options.trainSize} training images per run, validated on up to ${options.valSize} other training images (never the test set); ${plural(parallel, 'run')} at a time.`,
  );
  say(
    `Studies in ${redactStorageUrl(storage)} (see them with: hypertuner dashboard --storage ${redactStorageUrl(storage)}).`,
  );
  const results = await runAll(runs, parallel, (run) =>
    runMember(run, storage, options.overwrite, say),
  );
  const summaries = summarizeRuns(results, tuners);
  const seedsText =
    options.seeds === 1 ? 'one seed' : `median (min-max) over ${options.seeds} seeds`;
  const plots = await writeComparePlots(results, tuners, options, say);
  const best = [...results].sort((a, b) => b.bestValue - a.bestValue)[0];
  const lines = [
    `Experiment ${options.experiment} on ${options.dataset}, ${plural(options.trials ?? COMPARE_TRIALS, 'trial')} x ${plural(options.epochs, 'epoch')} per run; ${seedsText}; time is each run's wall-clock with ${plural(parallel, 'run')} at a time:`,
    '',
    comparisonTable(summaries),
    '',
    ...verdictLines(summaries),
    ...plots.map((p) => `Best-so-far plot: ${p}`),
  ];
  if (best !== undefined)
    lines.push(
      '',
      `Best run by validation accuracy: ${best.tuner} seed ${best.seed}, trial ${best.bestTrial} of study '${best.study}': ${JSON.stringify(best.bestParams)}`,
      best.layers,
      `Test set: loss ${best.testLoss.toFixed(4)}, accuracy ${best.testAccuracy.toFixed(4)} (the trial's checkpoint of its best epoch). Total time ${seconds(Date.now() - t0)}.`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}
