/**
 * The comparison of several studies (the page's compare view): each study's best trial side by
 * side (objective, trials, best value, its parameters), their histories overlaid and their
 * importances next to each other. Studies with several objectives are compared on the first.
 */
import { HypertunerError } from '../../space/index.js';
import type { JsonValue, Objective } from '../../trials/index.js';
import { rankTrials } from '../../trials/index.js';
import type { ChartResult } from '../charts/chart-common.js';
import { compareHistoryChart, compareImportanceChart } from '../charts/compare-charts.js';
import type { StudyData, StudySnapshot } from '../study-data.js';

/** Studies compared at most at once. */
export const MAX_COMPARED = 12;

export interface ComparedStudy {
  readonly name: string;
  /** The (first) objective it is compared on. */
  readonly objective: Objective;
  readonly completed: number;
  readonly total: number;
  readonly best: {
    readonly number: number;
    readonly value: number;
    readonly params: Readonly<Record<string, JsonValue>>;
  } | null;
}

export interface Comparison {
  readonly fingerprint: string;
  readonly studies: readonly ComparedStudy[];
  /** Every parameter any of the studies has, in the order first met. */
  readonly parameters: readonly string[];
  readonly history: ChartResult;
  readonly importance: ChartResult;
}

/** The `studies` query parameter: a JSON array of 2 to {@link MAX_COMPARED} distinct names. */
export function parseStudyList(text: string): string[] {
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    names = undefined;
  }
  if (
    !Array.isArray(names) ||
    names.length < 2 ||
    names.length > MAX_COMPARED ||
    !names.every((n) => typeof n === 'string' && n !== '') ||
    new Set(names).size !== names.length
  )
    throw new HypertunerError(
      'API_INVALID_PARAMETER',
      `studies must be a JSON array of 2 to ${MAX_COMPARED} different study names, e.g. ["a","b"]; got '${text.slice(0, 200)}'.`,
      { field: 'studies' },
    );
  return names as string[];
}

function compared(snapshot: StudySnapshot): ComparedStudy {
  const objective = snapshot.study.objectives[0] as Objective;
  const best = rankTrials(snapshot.trials, [objective])[0];
  const value = best?.values?.[0];
  return {
    name: snapshot.study.name,
    objective,
    completed: snapshot.counts.COMPLETED,
    total: snapshot.trials.length,
    best:
      best === undefined || value === undefined
        ? null
        : { number: best.number, value, params: best.params },
  };
}

export async function comparison(data: StudyData, names: readonly string[]): Promise<Comparison> {
  const snapshots = await Promise.all(names.map((name) => data.snapshot(name)));
  const parameters = [
    ...new Set(snapshots.flatMap((s) => s.study.space.parameters.map((p) => p.name))),
  ];
  return {
    fingerprint: snapshots.map((s) => s.fingerprint).join('|'),
    studies: snapshots.map(compared),
    parameters,
    history: compareHistoryChart(snapshots),
    importance: compareImportanceChart(
      snapshots,
      snapshots.map((s) => data.importances(s, 0)),
    ),
  };
}
