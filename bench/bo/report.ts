/**
 * Summaries of raw runs: median simple regret and median suggestion time per problem and
 * oracle, next to the targets and the reference figures of Keras Tuner and Optuna.
 */

/** Trials at which regret is reported: those of 10, 25, 50, 100, 200, 500, 1000 a run reaches. */
export function regretCheckpoints(trials: number): number[] {
  return [10, 25, 50, 100, 200, 500, 1000].filter((k) => k <= trials);
}
export const TIME_CHECKPOINTS = [10, 50, 100] as const;

/** The targets and reference figures (median regret at 25, 50, 100 trials). */
interface RegretTargets {
  readonly target: readonly [number, number, number];
  readonly kerasTunerBo: readonly [number, number, number];
  readonly optunaTpe: readonly [number, number, number];
}
const TARGET_TRIALS = [25, 50, 100] as const;
const REGRET_TARGETS: Readonly<Record<string, RegretTargets>> = {
  branin: {
    target: [0.05, 0.002, 0.0005],
    kerasTunerBo: [0.595, 0.0092, 0.0019],
    optunaTpe: [0.597, 0.181, 0.016],
  },
  hartmann6: {
    target: [0.4, 0.1, 0.03],
    kerasTunerBo: [0.789, 0.299, 0.174],
    optunaTpe: [1.48, 0.586, 0.249],
  },
};
/** The oracle the regret targets are set for: our BayesianOptimization with its defaults. */
const REGRET_TARGET_ORACLE = 'bayesian';
/** Milliseconds per suggestion at 100 finished trials, by oracle. */
const TIME_TARGETS_MS: Readonly<Record<string, number>> = {
  tpe: 5,
  bayesian: 25,
  'bayesian-ucb': 25,
};

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** What the summaries read of a run, ours or a recorded peer's. */
export interface RunFigures {
  readonly best: readonly (number | null)[];
  readonly ask_s: readonly number[];
  readonly final_ask_s?: number | null | undefined;
  readonly minimum: number;
}

/** Regret after k trials (NaN when the run has fewer; Infinity before its first feasible trial). */
export function regretAt(run: RunFigures, k: number): number {
  const best = run.best[k - 1];
  return best === undefined ? NaN : best === null ? Infinity : best - run.minimum;
}

/** Seconds of the suggestion made with k finished trials (NaN when not measured). */
export function askSecondsAt(run: RunFigures, k: number): number {
  const seconds = k === run.best.length ? run.final_ask_s : run.ask_s[k];
  return seconds ?? NaN;
}

/** Median seconds per suggestion over those made with `from`..`to` finished trials (robust to a periodic refit or a GC pause). */
export function windowAskSeconds(run: RunFigures, from: number, to: number): number {
  const xs: number[] = [];
  for (let k = from; k <= to; k++) {
    const s = askSecondsAt(run, k);
    if (!Number.isNaN(s)) xs.push(s);
  }
  return median(xs);
}

export interface Summary {
  readonly problem: string;
  readonly oracle: string;
  readonly runs: number;
  readonly regret: ReadonlyMap<number, number>;
  readonly askMs: ReadonlyMap<number, number>;
  /** Median over runs of the median ms per suggestion made with 91..100 finished trials. */
  readonly lastTenMs: number;
  /** Median over runs of their single ms per suggestion at k, or of their median over asks `from`..`to` (`from-to`). */
  readonly timeMs: (at: number | readonly [number, number]) => number;
}

/** Median regrets and times of an oracle's (or a peer's) runs on one problem. */
export function summarise(
  problem: string,
  oracle: string,
  runs: readonly RunFigures[],
  checkpoints: readonly number[] = regretCheckpoints(100),
): Summary {
  const finite = (xs: number[]): number[] => xs.filter((x) => !Number.isNaN(x));
  return {
    problem,
    oracle,
    runs: runs.length,
    regret: new Map(checkpoints.map((k) => [k, median(finite(runs.map((r) => regretAt(r, k))))])),
    askMs: new Map(
      TIME_CHECKPOINTS.map((k) => [k, 1000 * median(finite(runs.map((r) => askSecondsAt(r, k))))]),
    ),
    lastTenMs: 1000 * median(finite(runs.map((r) => windowAskSeconds(r, 91, 100)))),
    timeMs: (at) =>
      1000 *
      median(
        finite(
          runs.map((r) =>
            typeof at === 'number' ? askSecondsAt(r, at) : windowAskSeconds(r, at[0], at[1]),
          ),
        ),
      ),
  };
}

/** A figure in 3 significant digits ('-' when missing). */
export const fmt = (x: number | undefined): string =>
  x === undefined || Number.isNaN(x)
    ? '-'
    : x === Infinity
      ? 'inf'
      : x === 0
        ? '0'
        : Math.abs(x) >= 100
          ? x.toFixed(0)
          : x.toPrecision(3);
const pad = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');

/** Rows as aligned columns (the first left-aligned, the others right-aligned). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => pad(r, widths)).join('\n');
}

/** The printed report of one problem. */
export function formatProblem(
  problem: string,
  minimum: number,
  summaries: readonly Summary[],
  seeds: number,
): string {
  const lines: string[] = [`## ${problem} (minimum ${minimum}; median over ${seeds} seeds)`, ''];
  const checkpoints = [...(summaries[0]?.regret.keys() ?? regretCheckpoints(100))];
  const header = [
    'oracle',
    ...checkpoints.map((k) => `regret@${k}`),
    ...TIME_CHECKPOINTS.map((k) => `ms/ask@${k}`),
    'ms/ask@91-100',
  ];
  const rows: string[][] = [header];
  for (const s of summaries) {
    rows.push([
      s.oracle,
      ...checkpoints.map((k) => fmt(s.regret.get(k))),
      ...TIME_CHECKPOINTS.map((k) => fmt(s.askMs.get(k))),
      fmt(s.lastTenMs),
    ]);
  }
  const targets = REGRET_TARGETS[problem];
  if (targets !== undefined) {
    const at = (xs: readonly number[]): string[] =>
      checkpoints.map((k) => fmt(xs[TARGET_TRIALS.indexOf(k as 25 | 50 | 100)]));
    rows.push(['(ref) Keras Tuner BO', ...at(targets.kerasTunerBo), '-', '-', '-', '-']);
    rows.push(['(ref) Optuna TPE', ...at(targets.optunaTpe), '-', '-', '-', '-']);
    rows.push([
      'target',
      ...at(targets.target).map((c) => (c === '-' ? c : `<=${c}`)),
      '-',
      '-',
      'bo<=25 tpe<=5',
      '-',
    ]);
  }
  lines.push(table(rows), '');
  const checks: string[][] = [['check', ...TARGET_TRIALS.map((k) => `regret@${k}`), 'ms/ask@100']];
  for (const s of summaries) {
    const cells = TARGET_TRIALS.map((k, i) => {
      const target = s.oracle === REGRET_TARGET_ORACLE ? targets?.target[i] : undefined;
      const value = s.regret.get(k);
      if (target === undefined || value === undefined || Number.isNaN(value)) return 'n/a';
      return `${value <= target ? 'PASS' : 'FAIL'} ${fmt(value)}<=${fmt(target)}`;
    });
    const timeTarget = TIME_TARGETS_MS[s.oracle];
    const ms = s.askMs.get(100);
    const time =
      timeTarget === undefined || ms === undefined || Number.isNaN(ms)
        ? 'n/a'
        : `${ms <= timeTarget ? 'PASS' : 'FAIL'} ${fmt(ms)}<=${timeTarget}`;
    checks.push([s.oracle, ...cells, time]);
  }
  lines.push(table(checks));
  if (targets !== undefined)
    lines.push(`(regret targets are checked for '${REGRET_TARGET_ORACLE}', the default oracle)`);
  lines.push('');
  return lines.join('\n');
}
