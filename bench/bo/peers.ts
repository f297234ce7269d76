/**
 * Recorded peer runs (`--peer-file`): JSON lines in the raw-run format of PROBLEMS.md, read
 * and summarised per problem and tool so that they print beside ours, with ratios.
 */
import { readFileSync } from 'node:fs';
import { HypertunerError } from '../../src/space/index.js';

/** One recorded run of a peer (the raw-run format; `final_ask_s` optional). */
export interface PeerRun {
  readonly tool: string;
  readonly problem: string;
  readonly seed: number;
  readonly trials: number;
  readonly best: readonly (number | null)[];
  readonly ask_s: readonly number[];
  readonly final_ask_s?: number | null;
  readonly wall_s: number;
  readonly minimum: number;
}

function invalid(path: string, line: number, detail: string): never {
  throw new HypertunerError(
    'BENCH_INVALID_PEER_FILE',
    `Peer file ${path}, line ${line}: ${detail}`,
    {
      field: 'peer-file',
    },
  );
}

const isNumberArray = (x: unknown, nullable: boolean): boolean =>
  Array.isArray(x) &&
  x.every((v) => (typeof v === 'number' && !Number.isNaN(v)) || (nullable && v === null));

/** Parses one peer file; a malformed line fails with `BENCH_INVALID_PEER_FILE` naming the line and field. */
export function parsePeerRuns(text: string, path: string): PeerRun[] {
  const runs: PeerRun[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      invalid(path, i + 1, 'not JSON (one raw run per line, as PROBLEMS.md describes).');
    }
    const r = value as Record<string, unknown>;
    if (typeof r !== 'object' || r === null) invalid(path, i + 1, 'a run must be a JSON object.');
    if (typeof r.tool !== 'string' || typeof r.problem !== 'string')
      invalid(path, i + 1, "'tool' and 'problem' must be strings.");
    if (!isNumberArray(r.best, true))
      invalid(path, i + 1, "'best' must be an array of numbers (or null before a feasible trial).");
    if (r.ask_s !== undefined && !isNumberArray(r.ask_s, false))
      invalid(path, i + 1, "'ask_s' must be an array of seconds.");
    if (typeof r.minimum !== 'number') invalid(path, i + 1, "'minimum' must be a number.");
    runs.push({
      tool: r.tool,
      problem: r.problem,
      seed: typeof r.seed === 'number' ? r.seed : NaN,
      trials: typeof r.trials === 'number' ? r.trials : (r.best as unknown[]).length,
      best: r.best as (number | null)[],
      ask_s: (r.ask_s as number[] | undefined) ?? [],
      final_ask_s: typeof r.final_ask_s === 'number' ? r.final_ask_s : null,
      wall_s: typeof r.wall_s === 'number' ? r.wall_s : NaN,
      minimum: r.minimum,
    });
  });
  return runs;
}

/** Reads peer files; a missing file fails with one line saying which. */
export function loadPeerRuns(paths: readonly string[]): PeerRun[] {
  return paths.flatMap((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new HypertunerError(
        'BENCH_INVALID_PEER_FILE',
        `Peer file ${path} cannot be read: ${(e as Error).message}`,
        { field: 'peer-file' },
      );
    }
    return parsePeerRuns(text, path);
  });
}

/** The runs of each tool on `problem`, tools in order of first appearance. */
export function peerRunsByTool(runs: readonly PeerRun[], problem: string): Map<string, PeerRun[]> {
  const byTool = new Map<string, PeerRun[]>();
  for (const run of runs) {
    if (run.problem !== problem) continue;
    byTool.set(run.tool, [...(byTool.get(run.tool) ?? []), run]);
  }
  return byTool;
}

/** Our oracle's natural counterpart among the peers (same algorithm), if any. */
export const COUNTERPARTS: Readonly<Record<string, string>> = {
  random: 'optuna-random',
  tpe: 'optuna-tpe',
  'tpe-mv': 'optuna-tpe-mv',
  cmaes: 'optuna-cmaes',
  'cmaes-lq': 'optuna-cmaes',
  'cmaes-plain': 'optuna-cmaes',
  'qmc-sobol': 'optuna-qmc',
  bayesian: 'optuna5-gp',
  nsga2: 'optuna-nsga2',
};
