/**
 * The report of `hypertuner example --compare`: per tuner the median and spread (min-max) over
 * seeds of the trials run, best validation accuracy, test loss and accuracy and time, as a
 * table; and a verdict that sets the difference between tuners' median test accuracies against
 * how much the runs of one tuner differ from seed to seed.
 */
import type { RunResult } from './compare-member.js';
import type { TunerName } from './options.js';
import { seconds } from './text.js';

/** Median, lowest and highest of a list of numbers. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mid = Math.floor(n / 2);
  const median =
    n % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[n - 1] as number };
}

export interface TunerSummary {
  readonly tuner: TunerName;
  readonly runs: readonly RunResult[];
  readonly trials: Spread;
  readonly bestValue: Spread;
  readonly testLoss: Spread;
  readonly testAccuracy: Spread;
  readonly timeMs: Spread;
}

/** The runs of each tuner, in the order the tuners were given. */
export function summarizeRuns(
  results: readonly RunResult[],
  tuners: readonly TunerName[],
): TunerSummary[] {
  return tuners.map((tuner) => {
    const runs = results.filter((r) => r.tuner === tuner);
    const of = (pick: (r: RunResult) => number): Spread => spreadOf(runs.map(pick));
    return {
      tuner,
      runs,
      trials: of((r) => r.trials),
      bestValue: of((r) => r.bestValue),
      testLoss: of((r) => r.testLoss),
      testAccuracy: of((r) => r.testAccuracy),
      timeMs: of((r) => r.timeMs),
    };
  });
}

function cell(spread: Spread, format: (v: number) => string, runs: number): string {
  if (runs <= 1 || spread.min === spread.max) return format(spread.median);
  return `${format(spread.median)} (${format(spread.min)}-${format(spread.max)})`;
}

const four = (v: number): string => v.toFixed(4);

/** The table, in Markdown (it reads as text too): median (min-max) over the seeds. */
export function comparisonTable(summaries: readonly TunerSummary[]): string {
  const rows = summaries.map((s) => {
    const n = s.runs.length;
    return [
      s.tuner,
      String(n),
      cell(s.trials, (v) => String(Math.round(v)), n),
      cell(s.bestValue, four, n),
      cell(s.testLoss, four, n),
      cell(s.testAccuracy, four, n),
      cell(s.timeMs, seconds, n),
    ];
  });
  const head = [
    'tuner',
    'seeds',
    'trials',
    'best val_accuracy',
    'test loss',
    'test accuracy',
    'time',
  ];
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** How many of the (a, b) run pairs have a's value above b's (ties count half). */
function pairsAhead(a: readonly number[], b: readonly number[]): number {
  let ahead = 0;
  for (const x of a) for (const y of b) ahead += x > y ? 1 : x === y ? 0.5 : 0;
  return ahead;
}

/**
 * One line per tuner after the first (the baseline): the difference of median test accuracies
 * against the seed-to-seed spread (the larger of the two tuners' max - min over seeds).
 */
export function verdictLines(summaries: readonly TunerSummary[]): string[] {
  const [base, ...others] = summaries;
  if (base === undefined) return [];
  return others.map((s) => {
    const diff = s.testAccuracy.median - base.testAccuracy.median;
    const signed = `${diff >= 0 ? '+' : '-'}${Math.abs(diff).toFixed(4)}`;
    const head = `Verdict: ${s.tuner} vs ${base.tuner}, median test accuracy ${four(s.testAccuracy.median)} vs ${four(base.testAccuracy.median)} (${signed})`;
    if (s.runs.length < 2 || base.runs.length < 2)
      return `${head}; one seed per tuner gives no seed-to-seed spread to judge it by (use --seeds 3 or more).`;
    const spread = Math.max(
      s.testAccuracy.max - s.testAccuracy.min,
      base.testAccuracy.max - base.testAccuracy.min,
    );
    const pairs = s.runs.length * base.runs.length;
    const ahead = pairsAhead(
      s.runs.map((r) => r.testAccuracy),
      base.runs.map((r) => r.testAccuracy),
    );
    const judged =
      Math.abs(diff) > spread
        ? `larger than the seed-to-seed spread (${four(spread)}): ${s.tuner} did ${diff > 0 ? 'better' : 'worse'} than ${base.tuner}`
        : `within the seed-to-seed spread (${four(spread)}): no significant difference between ${s.tuner} and ${base.tuner}`;
    return `${head} is ${judged} (${s.tuner}'s run ahead in ${ahead} of ${pairs} pairs of runs).`;
  });
}
