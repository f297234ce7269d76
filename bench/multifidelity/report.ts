/**
 * From the epoch curves of one seed to the figures of the benchmark, and the medians over
 * seeds with the targets (PASS/FAIL).
 */
import type { Method, MethodRun } from './methods.js';
import { METHODS, METHOD_LABEL } from './methods.js';
import type { MedianInterval } from './stats.js';
import { median, medianInterval } from './stats.js';

export const TARGETS = {
  /** Both multi-fidelity methods end above plain random search, same epochs. */
  beatRandom: true,
  /** They reach random search's final best with at most this fraction of its epochs. */
  epochsFraction: 1 / 3,
} as const;

export interface SeedFigures {
  readonly method: Method;
  readonly seed: number;
  /** Best validation accuracy within the budget. */
  readonly best: number;
  readonly epochs: number;
  readonly trials: number;
  readonly pruned: number;
  /** Epochs after which the method first matched random search's final best (null: never). */
  readonly epochsToRandomBest: number | null;
  /** That, divided by the epochs random search trained. */
  readonly ratioToRandom: number | null;
  readonly seconds: number;
}

function best(curve: readonly number[]): number {
  return curve.reduce((a, b) => (Number.isFinite(b) && b > a ? b : a), 0);
}

/** Epochs after which the running best first reached `target` (1-based), or null. */
function firstReaching(curve: readonly number[], target: number): number | null {
  const i = curve.findIndex((v) => Number.isFinite(v) && v >= target - 1e-9);
  return i < 0 ? null : i + 1;
}

/** Figures of every method of one seed against that seed's random search. */
export function seedFigures(runs: readonly MethodRun[]): SeedFigures[] {
  const random = runs.find((r) => r.method === 'random');
  if (random === undefined) throw new Error('no random search run');
  const target = best(random.curve);
  return runs.map((run) => {
    const reached = firstReaching(run.curve, target);
    return {
      method: run.method,
      seed: run.seed,
      best: best(run.curve),
      epochs: run.curve.length,
      trials: run.trials,
      pruned: run.pruned,
      epochsToRandomBest: reached,
      ratioToRandom: reached === null ? null : reached / random.curve.length,
      seconds: run.seconds,
    };
  });
}

export interface MethodSummary {
  readonly method: Method;
  readonly seeds: number;
  readonly best: number;
  /** Median over seeds of (this method's best - random's best). */
  readonly gainOverRandom: number;
  /** A distribution-free >= 90% confidence interval of that median (undefined: too few seeds). */
  readonly gainInterval: MedianInterval | undefined;
  readonly epochs: number;
  readonly trials: number;
  readonly pruned: number;
  /** Median over seeds; a seed that never reached counts as Infinity. */
  readonly epochsToRandomBest: number;
  readonly ratioToRandom: number;
  readonly ratioInterval: MedianInterval | undefined;
  readonly seconds: number;
  /** Seeds in which it reached random search's final best within the target fraction of the epochs. */
  readonly seedsWithinFraction: number;
  /** Seeds in which its best ended above random search's. */
  readonly seedsAhead: number;
  readonly verdicts: { readonly beatRandom: Verdict; readonly epochsFraction: Verdict } | undefined;
}

export type Verdict = 'PASS' | 'FAIL';

export function summarise(all: readonly SeedFigures[]): MethodSummary[] {
  const randomBest = new Map(
    all.filter((f) => f.method === 'random').map((f) => [f.seed, f.best] as const),
  );
  const present = METHODS.filter((method) => all.some((f) => f.method === method));
  return present.map((method) => {
    const mine = all.filter((f) => f.method === method);
    const gains = mine.map((f) => f.best - (randomBest.get(f.seed) ?? Number.NaN));
    const ratios = mine.map((f) => f.ratioToRandom ?? Infinity);
    const gain = median(gains);
    const ratio = median(ratios);
    return {
      method,
      seeds: mine.length,
      best: median(mine.map((f) => f.best)),
      gainOverRandom: gain,
      gainInterval: medianInterval(gains),
      epochs: median(mine.map((f) => f.epochs)),
      trials: median(mine.map((f) => f.trials)),
      pruned: median(mine.map((f) => f.pruned)),
      epochsToRandomBest: median(mine.map((f) => f.epochsToRandomBest ?? Infinity)),
      ratioToRandom: ratio,
      ratioInterval: medianInterval(ratios),
      seconds: median(mine.map((f) => f.seconds)),
      seedsWithinFraction: ratios.filter((r) => r <= TARGETS.epochsFraction + 1e-9).length,
      seedsAhead: gains.filter((g) => g > 0).length,
      verdicts:
        method === 'random'
          ? undefined
          : {
              beatRandom: gain > 0 ? 'PASS' : 'FAIL',
              epochsFraction: ratio <= TARGETS.epochsFraction + 1e-9 ? 'PASS' : 'FAIL',
            },
    };
  });
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

/** The report's table, one line per method. */
export function formatSummary(summaries: readonly MethodSummary[]): string[] {
  const header =
    `${'method'.padEnd(30)} ${'best val acc'.padStart(12)} ${'vs random'.padStart(10)} ` +
    `${'epochs'.padStart(7)} ${'trials'.padStart(7)} ${'pruned'.padStart(7)} ` +
    `${'epochs to random best'.padStart(22)}   targets`;
  const lines = [header];
  for (const s of summaries) {
    const reach = Number.isFinite(s.epochsToRandomBest)
      ? `${s.epochsToRandomBest.toFixed(0)} (${s.ratioToRandom.toFixed(2)}x)`
      : 'never';
    const gain = s.method === 'random' ? '—' : pt(s.gainOverRandom);
    const targets =
      s.verdicts === undefined
        ? '(baseline)'
        : `beats random: ${s.verdicts.beatRandom}; <= 1/3 of the epochs: ${s.verdicts.epochsFraction}`;
    lines.push(
      `${METHOD_LABEL[s.method].padEnd(30)} ${pct(s.best).padStart(12)} ${gain.padStart(10)} ` +
        `${s.epochs.toFixed(0).padStart(7)} ${s.trials.toFixed(0).padStart(7)} ${s.pruned.toFixed(0).padStart(7)} ` +
        `${reach.padStart(22)}   ${targets}`,
    );
  }
  return lines;
}

const pt = (v: number): string => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)} pt`;
const times = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'never');

/** Where an interval lies against a target's threshold (`above`: PASS is above it). */
function side(interval: MedianInterval, threshold: number, passAbove: boolean): string {
  const pass = passAbove ? interval.low > threshold : interval.high <= threshold + 1e-9;
  const fail = passAbove ? interval.high <= threshold : interval.low > threshold + 1e-9;
  if (pass) return 'all on the PASS side';
  if (fail) return 'all on the FAIL side';
  return 'straddles the target: this verdict is within the noise';
}

/**
 * How sure each verdict is: the median's confidence interval over seeds, and on which side of
 * the target it lies.
 */
export function formatIntervals(summaries: readonly MethodSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    if (s.verdicts === undefined) continue;
    const g = s.gainInterval;
    const r = s.ratioInterval;
    if (g === undefined || r === undefined) {
      lines.push(
        `${METHOD_LABEL[s.method]}: too few seeds for a confidence interval of the medians (5 or more)`,
      );
      continue;
    }
    const level = `${(100 * g.coverage).toFixed(0)}%`;
    lines.push(
      `${METHOD_LABEL[s.method]}: gain ${pt(s.gainOverRandom)}, ${level} interval ${pt(g.low)} .. ${pt(g.high)} (${side(g, 0, true)}); ` +
        `epochs to random's best ${times(s.ratioToRandom)}, interval ${times(r.low)} .. ${times(r.high)} (${side(r, TARGETS.epochsFraction, false)}); ` +
        `per seed: ahead of random search in ${s.seedsAhead} of ${s.seeds}, its best reached within a third of the epochs in ${s.seedsWithinFraction} of ${s.seeds}`,
    );
  }
  return lines;
}

/** One line per seed and method, for the detail. */
export function formatSeed(figures: readonly SeedFigures[]): string {
  return figures
    .map((f) => {
      const reach =
        f.epochsToRandomBest === null
          ? 'never'
          : `${f.epochsToRandomBest} (${(f.ratioToRandom ?? 0).toFixed(2)}x)`;
      return `  seed ${f.seed} ${f.method.padEnd(13)} best ${pct(f.best)} in ${f.epochs} epochs, ${f.trials} trials (${f.pruned} pruned), random's best after ${reach}, ${f.seconds.toFixed(0)} s`;
    })
    .join('\n');
}
