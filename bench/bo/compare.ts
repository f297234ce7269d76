/**
 * Our oracles beside recorded peers on one problem: the peers' median regrets, the ratios of
 * ours to theirs, and issue 21's targets with PASS/FAIL.
 */
import { COUNTERPARTS } from './peers.js';
import type { Summary } from './report.js';
import { fmt, table } from './report.js';
import type { ProblemKind } from './targets.js';
import { ABSOLUTE_TARGETS, PEER_TARGETS, TIME_TARGETS } from './targets.js';

/** One target checked on one problem. */
export interface Verdict {
  readonly point: string;
  readonly oracle: string;
  readonly problem: string;
  /** Trials (or `from-to` for a window of asks, for time targets). */
  readonly at: number | string;
  /** What we were compared with, e.g. `<= 1 x optuna-tpe (0.016)` or `<= 0.005`. */
  readonly bound: string;
  readonly ours: number;
  /** undefined when a side has no runs. */
  readonly pass: boolean | undefined;
}

/** ours / theirs, with 0/0 = 1 (both at the minimum). */
export function regretRatio(ours: number, theirs: number): number {
  if (ours === theirs) return 1;
  return theirs === 0 ? Infinity : ours / theirs;
}

const regretOf = (s: Summary | undefined, k: number): number => s?.regret.get(k) ?? NaN;

/** The lowest median regret at k among `tools` (peers, or `ours:<oracle>`), and whose it is. */
function bestOf(
  tools: readonly string[],
  k: number,
  ours: readonly Summary[],
  peers: readonly Summary[],
): { tool: string; regret: number } | undefined {
  let best: { tool: string; regret: number } | undefined;
  for (const tool of tools) {
    const summary = tool.startsWith('ours:')
      ? ours.find((s) => s.oracle === tool.slice(5))
      : peers.find((s) => s.oracle === tool);
    const regret = regretOf(summary, k);
    if (!Number.isNaN(regret) && (best === undefined || regret < best.regret))
      best = { tool, regret };
  }
  return best;
}

/** Checks every target that applies to `problem` for the oracles we ran. */
export function verdicts(
  problem: ProblemKind,
  ours: readonly Summary[],
  peers: readonly Summary[],
): Verdict[] {
  const out: Verdict[] = [];
  for (const target of PEER_TARGETS) {
    const mine = ours.find((s) => s.oracle === target.oracle);
    if (mine === undefined || !target.applies(problem)) continue;
    for (const k of target.at) {
      const value = regretOf(mine, k);
      const theirs = bestOf(target.against, k, ours, peers);
      const bound =
        theirs === undefined
          ? `<= ${target.factor} x best of ${target.against.join('/')} (none run to ${k} trials)`
          : `<= ${target.factor} x ${theirs.tool} (${fmt(theirs.regret)})`;
      out.push({
        point: target.point,
        oracle: target.oracle,
        problem: problem.name,
        at: k,
        bound,
        ours: value,
        pass:
          theirs === undefined || Number.isNaN(value)
            ? undefined
            : value <= target.factor * theirs.regret,
      });
    }
  }
  for (const target of ABSOLUTE_TARGETS) {
    const mine = ours.find((s) => s.oracle === target.oracle);
    if (mine === undefined || !target.applies(problem)) continue;
    for (const k of target.at) {
      const value = regretOf(mine, k);
      out.push({
        point: target.point,
        oracle: target.oracle,
        problem: problem.name,
        at: k,
        bound: `<= ${target.atMost}`,
        ours: value,
        pass: Number.isNaN(value) ? undefined : value <= target.atMost,
      });
    }
  }
  for (const target of TIME_TARGETS) {
    const mine = ours.find((s) => s.oracle === target.oracle);
    if (mine === undefined || !target.applies(problem)) continue;
    const at = target.window ?? target.at ?? 100;
    const where = typeof at === 'number' ? String(at) : `asks ${at[0]}-${at[1]}`;
    const value = mine.timeMs(at);
    // a window past the runs' length (asks 991-1000 of 100-trial runs) is not listed
    if (Number.isNaN(value) && target.window !== undefined) continue;
    let bound: number | undefined;
    let boundText: string;
    if (target.atMostMs !== undefined) {
      bound = target.atMostMs;
      boundText = `<= ${target.atMostMs} ms`;
    } else {
      const theirs = peers.find((p) => p.oracle === target.peer)?.timeMs(at);
      bound =
        theirs === undefined || Number.isNaN(theirs) ? undefined : (target.factor ?? 1) * theirs;
      boundText = `<= ${target.factor} x ${target.peer} ms (${fmt(theirs)})`;
    }
    out.push({
      point: target.point,
      oracle: target.oracle,
      problem: problem.name,
      at: `ms ${where}`,
      bound: boundText,
      ours: value,
      pass: bound === undefined || Number.isNaN(value) ? undefined : value <= bound,
    });
  }
  return out;
}

const verdictCell = (pass: boolean | undefined): string =>
  pass === undefined ? 'n/a' : pass ? 'PASS' : 'FAIL';

/** Verdicts as a table: target, oracle, problem, trials, our median regret, bound, PASS/FAIL. */
export function formatVerdicts(list: readonly Verdict[]): string {
  return table([
    ['target', 'oracle', 'problem', 'at', 'ours', 'bound', 'verdict'],
    ...list.map((v) => [
      v.point,
      v.oracle,
      v.problem,
      String(v.at),
      fmt(v.ours),
      v.bound,
      verdictCell(v.pass),
    ]),
  ]);
}

/** The peers' rows and the ratios of ours to theirs, for one problem. */
export function formatPeerComparison(
  problem: ProblemKind,
  ours: readonly Summary[],
  peers: readonly Summary[],
): string {
  const checkpoints = [...(ours[0]?.regret.keys() ?? peers[0]?.regret.keys() ?? [])];
  const lines: string[] = [`### ${problem.name}: beside recorded peers`, ''];
  lines.push(
    table([
      ['peer (median regret)', 'runs', ...checkpoints.map((k) => `@${k}`), 'ms/ask@91-100'],
      ...peers.map((s) => [
        s.oracle,
        String(s.runs),
        ...checkpoints.map((k) => fmt(s.regret.get(k))),
        fmt(s.lastTenMs),
      ]),
    ]),
    '',
  );
  const ratioRows: string[][] = [
    ['ours / peer (regret; < 1: ours closer)', ...checkpoints.map((k) => `@${k}`)],
  ];
  for (const s of ours) {
    const counterpart = COUNTERPARTS[s.oracle];
    const twin = peers.find((p) => p.oracle === counterpart);
    if (twin !== undefined) {
      ratioRows.push([
        `${s.oracle} / ${twin.oracle}`,
        ...checkpoints.map((k) => fmt(regretRatio(regretOf(s, k), regretOf(twin, k)))),
      ]);
    }
    if (peers.length > 0) {
      ratioRows.push([
        `${s.oracle} / best peer`,
        ...checkpoints.map((k) => {
          const best = bestOf(
            peers.map((p) => p.oracle),
            k,
            [],
            peers,
          );
          return best === undefined
            ? '-'
            : `${fmt(regretRatio(regretOf(s, k), best.regret))} (${best.tool})`;
        }),
      ]);
    }
  }
  if (ratioRows.length > 1) lines.push(table(ratioRows), '');
  const checked = verdicts(problem, ours, peers);
  if (checked.length > 0) lines.push(formatVerdicts(checked), '');
  return lines.join('\n');
}
