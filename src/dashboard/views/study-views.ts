/**
 * The JSON the page shows outside the charts: the list of studies, one study's header
 * (objectives, counts, best trial, parameters) and one trial's detail.
 */
import type { StudySummary } from '../../storage/index.js';
import type { JsonValue, Objective, Trial, TrialStatus } from '../../trials/index.js';
import { paretoFront, rankTrials, trialDurationMs } from '../../trials/index.js';
import type { StudySnapshot } from '../study-data.js';

export interface StudyListItem {
  readonly name: string;
  readonly objectives: readonly Objective[];
  readonly trialCounts: Readonly<Record<TrialStatus, number>>;
  readonly total: number;
  readonly bestValue: number | null;
  readonly createdAt: number;
}

export function studyListItem(summary: StudySummary): StudyListItem {
  const total = Object.values(summary.trialCounts).reduce((a, b) => a + b, 0);
  return {
    name: summary.name,
    objectives: summary.objectives,
    trialCounts: summary.trialCounts,
    total,
    bestValue: summary.bestValue ?? null,
    createdAt: summary.createdAt,
  };
}

export interface ParameterInfo {
  readonly name: string;
  readonly kind: string;
  readonly description: string;
}

export interface StudyHeader {
  readonly name: string;
  readonly objectives: readonly Objective[];
  readonly counts: Readonly<Record<TrialStatus, number>>;
  readonly total: number;
  readonly fingerprint: string;
  /** Best trial (single objective). */
  readonly best: {
    readonly number: number;
    readonly values: readonly number[];
    readonly params: Readonly<Record<string, JsonValue>>;
  } | null;
  /** Size of the Pareto front (several objectives). */
  readonly paretoSize: number | null;
  readonly parameters: readonly ParameterInfo[];
  readonly createdAt: number;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  /** Trials that could not be read, with why (STORAGE_CORRUPT's message). */
  readonly damaged: readonly {
    readonly trial: number | null;
    readonly field: string;
    readonly message: string;
  }[];
}

function describe(p: StudySnapshot['study']['space']['parameters'][number]): string {
  switch (p.kind) {
    case 'int':
    case 'float':
      return `${p.kind} [${p.min}, ${p.max}]${p.step === undefined ? '' : ` step ${p.step}`}${p.sampling === 'linear' ? '' : ` ${p.sampling}`}`;
    case 'choice':
      return `choice of ${p.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'boolean':
      return 'boolean';
    case 'fixed':
      return `fixed ${JSON.stringify(p.value)}`;
  }
}

export function studyHeader(snapshot: StudySnapshot): StudyHeader {
  const { study, trials, counts } = snapshot;
  const multi = study.objectives.length > 1;
  const best = multi ? undefined : rankTrials(trials, study.objectives)[0];
  return {
    name: study.name,
    objectives: study.objectives,
    counts,
    total: trials.length,
    fingerprint: snapshot.fingerprint,
    best:
      best === undefined
        ? null
        : { number: best.number, values: best.values ?? [], params: best.params },
    paretoSize: multi ? paretoFront(trials, study.objectives).length : null,
    parameters: study.space.parameters.map((p) => ({
      name: p.name,
      kind: p.kind,
      description: describe(p),
    })),
    createdAt: study.createdAt,
    userAttrs: study.userAttrs,
    damaged: snapshot.damaged.map((r) => ({
      trial: r.trialNumber ?? null,
      field: r.field,
      message: r.error.message,
    })),
  };
}

export interface TrialDetail {
  readonly number: number;
  readonly status: TrialStatus;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly values: readonly number[] | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly intermediate: Trial['intermediate'];
  readonly error: string | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly durationMs: number | null;
  readonly workerId: string | null;
  readonly retryOf: number | null;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly oracleAttrs: Readonly<Record<string, JsonValue>>;
}

export function trialDetail(trial: Trial, now = Date.now()): TrialDetail {
  return {
    number: trial.number,
    status: trial.status,
    params: trial.params,
    values: trial.values ?? null,
    metrics: trial.metrics,
    intermediate: trial.intermediate,
    error: trial.error ?? null,
    createdAt: trial.createdAt,
    startedAt: trial.startedAt ?? null,
    finishedAt: trial.finishedAt ?? null,
    durationMs: trialDurationMs(trial, now) ?? null,
    workerId: trial.workerId ?? null,
    retryOf: trial.retryOf ?? null,
    userAttrs: trial.userAttrs,
    oracleAttrs: trial.oracleAttrs,
  };
}
