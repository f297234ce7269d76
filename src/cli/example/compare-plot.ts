/**
 * The plot of `hypertuner example --compare`: best validation accuracy so far against the
 * budget spent, per tuner the median over seeds and the band from the worst to the best run;
 * written beside the studies as SVG (rendered in Node) and PNG (headless Chromium, when at
 * hand). The budget is trials, or epochs trained when Hyperband (whose trials are of unequal
 * length) is among the tuners.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HypertunerError } from '../../index.js';
import { bestSoFarBandChart } from '../../dashboard/charts/band-chart.js';
import { plural } from '../../plural.js';
import type { BandGroup, RunCurve } from '../../dashboard/charts/band-chart.js';
import type { RunResult } from './compare-member.js';
import type { ExampleOptions, TunerName } from './options.js';

/** A run's (budget spent, value) after each of its trials, in trial order. */
export function runCurve(run: RunResult, byEpochs: boolean): RunCurve {
  let spent = 0;
  return run.history.map((t) => {
    spent += byEpochs ? t.epochs : 1;
    return [spent, t.value] as const;
  });
}

/**
 * The plot files' path without extension: the comparison's directory, dataset, experiment, the
 * learning rate when tuned and the pruner when there is one, so a pruned comparison never
 * overwrites the plot of an unpruned one (as their studies are kept apart).
 */
export function comparePlotBase(
  options: Pick<
    ExampleOptions,
    'directory' | 'dataset' | 'experiment' | 'tuneLearningRate' | 'pruner'
  >,
): string {
  const lr = options.tuneLearningRate ? '-lr' : '';
  const pruner = options.pruner === 'none' ? '' : `-${options.pruner}`;
  return join(
    resolve(options.directory),
    `compare-${options.dataset}-exp${options.experiment}${lr}${pruner}`,
  );
}

/** Writes the plot files; returns their paths (PNG left out, and said why, without Chromium). */
export async function writeComparePlots(
  results: readonly RunResult[],
  tuners: readonly TunerName[],
  options: ExampleOptions,
  say: (text: string) => void,
): Promise<string[]> {
  const byEpochs = tuners.includes('hyperband');
  const groups: BandGroup[] = tuners.map((tuner) => ({
    name: tuner,
    runs: results.filter((r) => r.tuner === tuner).map((r) => runCurve(r, byEpochs)),
  }));
  const chart = bestSoFarBandChart(groups, {
    title: `Best validation accuracy so far: experiment ${options.experiment}, ${options.dataset}, ${plural(options.seeds, 'seed')} per tuner`,
    x: byEpochs ? 'epochs trained' : 'trials',
    y: 'best val_accuracy so far',
    direction: 'maximize',
  });
  const base = comparePlotBase(options);
  // loaded here: ECharts only when a comparison is plotted
  const { renderChartFile } = await import('../../dashboard/render/render-chart-file.js');
  const written: string[] = [];
  for (const format of ['svg', 'png'] as const) {
    const path = `${base}.${format}`;
    try {
      await writeFile(path, await renderChartFile(chart, format, { width: 900 }));
      written.push(path);
    } catch (error) {
      if (format === 'png' && error instanceof HypertunerError)
        say(`No PNG plot: ${error.message}`);
      else throw error;
    }
  }
  return written;
}
