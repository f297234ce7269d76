/**
 * The article reproduced: `hypertuner example --experiment 1|2|3 --compare random,bayesian
 * --seeds 2 --trials 6 --epochs 1 --train-size 2000` on Fashion-MNIST (the issue's command, for
 * each experiment), checked against the studies it stored and the runs' own results; and
 * `--dataset cifar10` on a small CIFAR-10-format file set written here.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import type { RunResult } from '../../src/cli/example/compare-member.js';
import { memberArguments, plannedRuns } from '../../src/cli/example/compare.js';
import { comparePlotBase } from '../../src/cli/example/compare-plot.js';
import {
  addExampleOptions,
  parseExampleFlags,
  projectNameOf,
} from '../../src/cli/example/options.js';
import type { ExampleFlags } from '../../src/cli/example/options.js';
import { spreadOf } from '../../src/cli/example/compare-report.js';
import { openStorage } from '../../src/storage/index.js';
import { cifarBatch } from '../datasets/fixtures.js';
import { runExample } from '../helpers/run-example.js';
import { tempDir } from '../tfjs/tuner-fixtures.js';

afterEach(() => vi.restoreAllMocks());

const ISSUE_COMMAND = [
  ...['--compare', 'random,bayesian', '--seeds', '2', '--trials', '6', '--epochs', '1'],
  ...['--train-size', '2000', '--plain'],
];

/** The table row of `tuner`: its cells. */
function row(out: string, tuner: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith(`| ${tuner} |`));
  if (line === undefined) throw new Error(`no table row for ${tuner} in:\n${out}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

/** The median printed first in a cell ("0.8123 (0.80-0.82)"). */
const medianOf = (cell: string | undefined): number => Number((cell ?? '').split(' ')[0]);

async function compareExperiment(experiment: 1 | 2 | 3): Promise<void> {
  const directory = tempDir(`compare-${experiment}`);
  const { out, err } = await runExample([
    '--experiment',
    String(experiment),
    ...ISSUE_COMMAND,
    ...['--directory', directory],
  ]);
  expect(err).toMatch(
    new RegExp(`Comparing random, bayesian on the article's experiment ${experiment}`),
  );
  expect(err).toMatch(/\(never the test set\)/);
  expect(err).toMatch(/\[bayesian seed 2\] Trial 5 COMPLETED/);
  expect(out).toMatch(
    /\| tuner \| seeds \| trials \| best val_accuracy \| test loss \| test accuracy \| time \|/,
  );
  // the runs' own results and the stored studies agree with the table
  const storage = await openStorage(`sqlite:${join(directory, 'compare.db')}`);
  try {
    for (const tuner of ['random', 'bayesian']) {
      const results: RunResult[] = [];
      for (const seed of [1, 2]) {
        const study = `fashion-mnist-exp${experiment}-${tuner}-seed${seed}`;
        const record = await storage.loadStudy(study);
        const trials = await storage.getTrials(record?.id ?? -1);
        expect(trials.map((t) => t.status)).toEqual(Array(6).fill('COMPLETED'));
        const result = JSON.parse(
          readFileSync(join(directory, study, 'compare-result.json'), 'utf8'),
        ) as RunResult;
        expect(result.bestValue).toBe(Math.max(...trials.map((t) => t.values?.[0] ?? 0)));
        expect(result.testAccuracy).toBeGreaterThan(0.3);
        results.push(result);
      }
      const cells = row(out, tuner);
      expect(cells.slice(0, 3)).toEqual([tuner, '2', '6']);
      expect(medianOf(cells[3])).toBeCloseTo(spreadOf(results.map((r) => r.bestValue)).median, 4);
      expect(medianOf(cells[5])).toBeCloseTo(
        spreadOf(results.map((r) => r.testAccuracy)).median,
        4,
      );
    }
  } finally {
    await storage.close();
  }
  expect(out).toMatch(
    /Verdict: bayesian vs random, median test accuracy 0\.\d{4} vs 0\.\d{4} \([+-]0\.\d{4}\) is (larger than|within) the seed-to-seed spread/,
  );
  const svg = join(directory, `compare-fashion-mnist-exp${experiment}.svg`);
  expect(out).toContain(`Best-so-far plot: ${svg}`);
  expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*bayesian[\s\S]*<\/svg>$/);
  // the article's ending: the best run's layers and test score
  expect(out).toMatch(/Best run by validation accuracy: (random|bayesian) seed [12], trial \d/);
  expect(out).toMatch(/Layer \(type\)\s+Output shape\s+Params\s+Activation/);
  expect(out).toMatch(/Test set: loss \d\.\d{4}, accuracy 0\.\d{4}/);
}

describe('hypertuner example --compare (the article reproduced)', () => {
  it('experiment 2 (depth and width): random vs bayesian over 2 seeds, table, verdict, plot', async () => {
    await compareExperiment(2);
  }, 300_000);

  it('experiment 1 (widths and activations): the same command', async () => {
    await compareExperiment(1);
  }, 300_000);

  it('experiment 3 (depth): the same command', async () => {
    await compareExperiment(3);
  }, 300_000);

  it('refuses a single tuner, grid, or an unknown one, naming --compare', async () => {
    const common = ['--directory', tempDir('compare-bad'), '--plain'];
    await expect(runExample(['--compare', 'random', ...common])).rejects.toThrow(
      /--compare needs two or more different tuners from bayesian, random, hyperband, tpe/,
    );
    await expect(runExample(['--compare', 'random,grid', ...common])).rejects.toThrow(
      /--compare must be one of bayesian, random, hyperband, tpe, got 'grid'/,
    );
    await expect(runExample(['--experiment', '4', ...common])).rejects.toThrow(
      /--experiment must be one of 1, 2, 3, got '4'/,
    );
    await expect(
      runExample(['--compare', 'random,bayesian', '--storage', 'memory:', ...common]),
    ).rejects.toThrow(/--compare runs every tuner and seed in a process of its own/);
    // Hyperband's sampler is allowed when Hyperband is among the tuners compared
    await expect(
      runExample(['--compare', 'random,bayesian', '--sampler', 'tpe', ...common]),
    ).rejects.toThrow(/--sampler tpe needs --tuner hyperband/);
    const flags = addExampleOptions(new Command())
      .parse(['--compare', 'random,hyperband', '--sampler', 'tpe'], { from: 'user' })
      .opts<ExampleFlags>();
    expect(parseExampleFlags(flags)).toMatchObject({
      compare: ['random', 'hyperband'],
      sampler: 'tpe',
    });
  });
});

describe('hypertuner example --dataset cifar10', () => {
  it('runs experiment 1 on a small CIFAR-10-format file set', async () => {
    const data = tempDir('cifar-data');
    const folder = join(data, 'cifar-10', 'cifar-10-batches-bin');
    await mkdir(folder, { recursive: true });
    for (let b = 1; b <= 5; b++)
      await writeFile(join(folder, `data_batch_${b}.bin`), cifarBatch(b, 80));
    await writeFile(join(folder, 'test_batch.bin'), cifarBatch(0, 60));
    vi.stubEnv('HYPERTUNER_DATA_DIR', data);
    try {
      const { out, err } = await runExample([
        ...['--dataset', 'cifar10', '--experiment', '1', '--trials', '2', '--epochs', '1'],
        ...['--train-size', '300', '--val-size', '80', '--final-epochs', '1', '--workers', '1'],
        ...['--directory', tempDir('cifar-example'), '--plain'],
      ]);
      expect(err).toMatch(
        /Data: cifar-10, 400 training \+ 60 test images of 32x32x3, source cache/,
      );
      expect(err).toMatch(/Search: 300 training images, 80 other training images for validation/);
      expect(out).toMatch(/\(Flatten\)\s+\[null, 3072\]/);
      expect(out).toMatch(/Test set \(60 images\): loss \d+\.\d{4}, accuracy \d\.\d{4}/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('says how to get CIFAR-10 when its files are missing and cannot be downloaded', async () => {
    vi.stubEnv('HYPERTUNER_DATA_DIR', tempDir('cifar-none'));
    try {
      await expect(
        runExample(['--dataset', 'cifar10', '--directory', tempDir('cifar-missing'), '--plain']),
      ).rejects.toThrow(/cifar-10-binary\.tar\.gz/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('hypertuner example --compare: what each run is given', () => {
  it("passes every per-run option on to the runs' processes (--pruner to the tuners that take it, --sampler to Hyperband)", () => {
    const directory = tempDir('compare-options');
    const parent = parseExampleFlags(
      addExampleOptions(new Command())
        .parse(
          [
            ...['--compare', 'random,bayesian,hyperband', '--seeds', '2', '--seed', '4'],
            ...['--pruner', 'asha', '--sampler', 'tpe', '--trials', '7', '--epochs', '2'],
            ...['--train-size', '900', '--val-size', '300', '--batch-size', '64'],
            ...['--experiment', '3', '--tune-learning-rate', '--dataset', 'mnist'],
            ...['--backend', 'cpu', '--directory', directory],
          ],
          { from: 'user' },
        )
        .opts<ExampleFlags>(),
    );
    const runs = plannedRuns(parent, parent.compare ?? []);
    expect(runs.map((r) => r.label)).toEqual([
      'random seed 4',
      'bayesian seed 4',
      'hyperband seed 4',
      'random seed 5',
      'bayesian seed 5',
      'hyperband seed 5',
    ]);
    for (const run of runs) {
      // what the member process parses from its command line
      const argv = memberArguments(run, false);
      expect(argv[0]).toBe('example');
      const member = parseExampleFlags(
        addExampleOptions(new Command())
          .parse(argv.slice(1), { from: 'user' })
          .opts<ExampleFlags>(),
      );
      const decides = {
        dataset: 'mnist',
        tuner: run.tuner,
        sampler: run.tuner === 'hyperband' ? 'tpe' : 'random',
        pruner: run.tuner === 'hyperband' ? 'none' : 'asha',
        trials: 7,
        epochs: 2,
        trainSize: 900,
        valSize: 300,
        batchSize: 64,
        seed: run.seed,
        experiment: 3,
        tuneLearningRate: true,
        backend: 'cpu',
        directory,
        compareMember: true,
      };
      expect(member).toMatchObject(decides);
      expect(run.options).toMatchObject(decides);
      // a pruned run is a study of its own: a rerun without --pruner never re-scores it
      if (run.tuner !== 'hyperband')
        expect(projectNameOf(member)).toBe(`mnist-exp3-lr-${run.tuner}-asha-seed${run.seed}`);
      else expect(projectNameOf(member)).toBe(`mnist-exp3-lr-hyperband-tpe-seed${run.seed}`);
    }
    // and so is its plot: an unpruned comparison's plot keeps its own file
    expect(comparePlotBase(parent)).toBe(join(directory, 'compare-mnist-exp3-lr-asha'));
    expect(comparePlotBase({ ...parent, pruner: 'none' })).toBe(
      join(directory, 'compare-mnist-exp3-lr'),
    );
  });
});
