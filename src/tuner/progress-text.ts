/**
 * The one progress format of hypertuner: the lines `optimize({ verbose })`, the tfjs tuners'
 * `verbose`, the CLI (`search`, `worker`) and `hypertuner example` print, and the fields of
 * the CLI's live bar. Pure text; `ProgressCounter` keeps the counts and times they show.
 *
 *     Resuming study 'mlp': 11 of 30 trials done
 *     Trial 12/30: #11 COMPLETED in 41s, val_accuracy 0.8512 | best 0.8610 (#9) | elapsed 8m12s, ETA 14m
 *     Trial 13 (no limit): #12 FAILED in 2.0s (timed out after 2 s) | best 0.8610 (#9) | elapsed 8m14s
 *     Search ended: the study has its 30 trials (maxTrials). 19 trials run now: 17 COMPLETED, 1 PRUNED, 1 FAILED.
 */
import { plural } from '../plural.js';
import type { Objective, Trial, TrialStatus } from '../trials/index.js';
import { isLostTrial, trialDurationMs } from '../trials/index.js';
import type { SearchStartInfo, TrialEndInfo } from './callbacks.js';

/** `850 ms`, `2.4s`, `41s`, `8m12s`, `1h05m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A metric for people: `0.8512`, `12`, `1.234e-5`. */
export function formatMetric(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  return size >= 1e-3 && size < 1e5 ? value.toFixed(4) : value.toPrecision(4);
}

/** `loss 0.4100, val_accuracy 0.8500` (at most `limit` metrics). */
export function metricsText(metrics: Readonly<Record<string, number>>, limit = 6): string {
  return Object.entries(metrics)
    .slice(0, limit)
    .map(([name, value]) => `${name} ${formatMetric(value)}`)
    .join(', ');
}

/** A trial's objective values by name: `val_accuracy 0.8512` (or `loss 0.1, latency 3`). */
export function objectiveText(trial: Trial, objectives: readonly Objective[]): string {
  const values = trial.values ?? [];
  return values
    .map((v, i) => `${objectives[i]?.name ?? `value ${i}`} ${formatMetric(v)}`)
    .join(', ');
}

/** `best 0.8610 (#9)`, `best -`, or `Pareto front: 4 trials` with several objectives. */
export function bestText(
  best: Trial | undefined,
  objectives: readonly Objective[],
  paretoFront?: number,
): string {
  if (objectives.length > 1) return `Pareto front: ${plural(paretoFront ?? 0, 'trial')}`;
  const value = best?.values?.[0];
  return value === undefined || best === undefined
    ? 'best -'
    : `best ${formatMetric(value)} (#${best.number})`;
}

/** The first line of a FAILED trial's error, shortened to `max` characters. */
export function errorLine(error: string | undefined, max = 160): string {
  const first = (error ?? '').split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** `units=64, lr=0.001` */
export function paramsText(params: Trial['params']): string {
  return Object.entries(params)
    .map(
      ([name, value]) =>
        `${name}=${typeof value === 'number' ? formatMetric(value) : String(value)}`,
    )
    .join(', ');
}

/** The process part of a worker id `host:pid:nonce`: `pid 1234`. */
export function workerLabel(workerId: string | undefined): string {
  const parts = (workerId ?? '').split(':');
  return parts.length >= 3 ? `pid ${parts[parts.length - 2] ?? '?'}` : (workerId ?? '?');
}

/** Counts and times of a search, for the progress lines and the bar. */
export class ProgressCounter {
  readonly #now: () => number;
  #started = 0;
  #start: SearchStartInfo | undefined;
  #shown = 0;
  #endedNow = 0;
  #countedNow = 0;
  /** Elapsed ms when the last counted trial ended. */
  #lastCountedAt = 0;
  readonly #statuses = new Map<TrialStatus, number>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The search starts (see `SearchCallbacks.onSearchStart`). */
  start(info: SearchStartInfo): void {
    this.#start = info;
    this.#started = this.#now();
    this.#shown = info.budget === undefined && info.nTrials !== undefined ? 0 : info.alreadyDone;
    this.#endedNow = 0;
    this.#countedNow = 0;
    this.#lastCountedAt = 0;
    this.#statuses.clear();
  }

  /**
   * A trial of the search ended (in this process or another); `done` as `TrialEndInfo.done`,
   * read after it ended. A trial whose worker was lost is shown but not counted: a retry, or a
   * new trial, takes its place in the budget.
   */
  ended(trial: Trial, done: number): void {
    this.#endedNow++;
    this.#statuses.set(trial.status, (this.#statuses.get(trial.status) ?? 0) + 1);
    if (isLostTrial(trial)) return;
    this.#countedNow++;
    this.#lastCountedAt = this.elapsedMs;
    // one more, but never more than the study has done, nor past the budget
    const next = this.#countsRunNow()
      ? this.#countedNow
      : Math.min(this.#shown + 1, Math.max(done, this.#shown));
    const total = this.total;
    this.#shown = total === undefined ? next : Math.min(next, total);
  }

  /** The trial budget the counter counts toward (maxTrials, else nTrials), if any. */
  get total(): number | undefined {
    return this.#start?.budget ?? this.#start?.nTrials;
  }

  /** `12/30`, `12 (no limit)`, or `12` under a time limit only. */
  get counter(): string {
    const total = this.total;
    if (total !== undefined) return `${this.#shown}/${total}`;
    return this.#start?.timeoutMs === undefined ? `${this.#shown} (no limit)` : `${this.#shown}`;
  }

  /** Finished trials counted so far (at most the budget). */
  get count(): number {
    return this.#shown;
  }

  get elapsedMs(): number {
    return this.#now() - this.#started;
  }

  /**
   * The time left: by the pace of the trials ended so far (counting down between two ends, as
   * a live bar shows it while a trial runs), and the time limit.
   */
  get etaMs(): number | undefined {
    const start = this.#start;
    if (start === undefined) return undefined;
    const elapsed = this.elapsedMs;
    const byTime =
      start.timeoutMs === undefined ? undefined : Math.max(0, start.timeoutMs - elapsed);
    const total = this.total;
    if (total === undefined || this.#countedNow === 0) return byTime;
    const pace = this.#lastCountedAt / this.#countedNow;
    const byPace = Math.max(
      0,
      pace * Math.max(0, total - this.#shown) - (elapsed - this.#lastCountedAt),
    );
    return byTime === undefined ? byPace : Math.min(byPace, byTime);
  }

  /** `elapsed 8m12s, ETA 14m` (no ETA without a budget or a time limit). */
  get timeText(): string {
    const eta = this.etaMs;
    return `elapsed ${formatDuration(this.elapsedMs)}${eta === undefined ? '' : `, ETA ${formatDuration(eta)}`}`;
  }

  /** `17 COMPLETED, 1 PRUNED, 1 FAILED` of the trials ended since the start. */
  get statusText(): string {
    return ['COMPLETED', 'PRUNED', 'FAILED']
      .map((s) => [s, this.#statuses.get(s as TrialStatus) ?? 0] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
  }

  get endedNow(): number {
    return this.#endedNow;
  }

  /** With `nTrials` and no `maxTrials`, the counter counts the trials of this call. */
  #countsRunNow(): boolean {
    return this.#start?.budget === undefined && this.#start?.nTrials !== undefined;
  }
}

/**
 * The lines before the first trial: the resume, or that nothing limits the search (`noLimit`
 * says how it stops, e.g. "until Ctrl+C").
 */
export function searchStartLines(info: SearchStartInfo, noLimit: string): string[] {
  const lines: string[] = [];
  if (info.alreadyDone > 0 || info.running > 0) {
    const done =
      info.budget === undefined
        ? `${plural(info.alreadyDone, 'trial')} done`
        : `${info.alreadyDone} of ${plural(info.budget, 'trial')} done`;
    const running = info.running > 0 ? `, ${info.running} running` : '';
    lines.push(`Resuming study '${info.studyName}': ${done}${running}`);
  }
  if (info.budget === undefined && info.nTrials === undefined && info.timeoutMs === undefined)
    lines.push(`Study '${info.studyName}': no trial limit; ${noLimit}.`);
  return lines;
}

/** `#11 started: units=64, lr=0.001` */
export function trialStartLine(trial: Trial): string {
  const params = paramsText(trial.params);
  return `Trial #${trial.number} started${params === '' ? '' : `: ${params}`}`;
}

/** `  #11 step 3: loss 0.4100` (verbose 2). */
export function reportLine(
  trial: Trial,
  step: number,
  metrics: Readonly<Record<string, number>>,
): string {
  return `  #${trial.number} step ${step}: ${metricsText(metrics)}`;
}

/** What a trial's line may add to the common format. */
export interface TrialLineExtras {
  /** The process that ran the trial: `[worker 2]` at the end of the line. */
  readonly by?: string | undefined;
  /** A word after its value, e.g. which epoch it is: `val_accuracy 0.8512 (best epoch: 2 of 4)`. */
  readonly valueNote?: string | undefined;
}

/** How a trial ended: `#11 COMPLETED in 41s, val_accuracy 0.8512` (or its error, or its step). */
export function trialOutcomeText(
  trial: Trial,
  objectives: readonly Objective[],
  valueNote?: string,
): string {
  const ms = trialDurationMs(trial);
  const took = ms === undefined ? '' : ` in ${formatDuration(ms)}`;
  const at =
    trial.status === 'PRUNED' && trial.intermediate.length > 0
      ? ` at step ${trial.intermediate[trial.intermediate.length - 1]?.step}`
      : '';
  const values =
    trial.status === 'FAILED'
      ? ''
      : `${objectiveText(trial, objectives)}${valueNote === undefined ? '' : ` (${valueNote})`}`;
  const error = trial.status === 'FAILED' ? ` (${errorLine(trial.error)})` : '';
  return `#${trial.number} ${trial.status}${at}${took}${values === '' ? '' : `, ${values}`}${error}`;
}

/** The line of an ended trial, after `counter.ended(...)`. */
export function trialEndLine(
  trial: Trial,
  best: Trial | undefined,
  info: Pick<TrialEndInfo, 'paretoFront'>,
  counter: ProgressCounter,
  objectives: readonly Objective[],
  extras: TrialLineExtras = {},
): string {
  const { by, valueNote } = extras;
  return `Trial ${counter.counter}: ${trialOutcomeText(trial, objectives, valueNote)} | ${bestText(best, objectives, info.paretoFront)} | ${counter.timeText}${by === undefined ? '' : ` [${by}]`}`;
}

/** `Search ended: <reason>. 19 trials run now: 17 COMPLETED, 1 PRUNED, 1 FAILED.` */
export function searchEndLine(reason: string, counter: ProgressCounter, processes = 1): string {
  const statuses = counter.statusText;
  const by = processes > 1 ? ` by ${processes} processes` : '';
  const why = reason.replace(/\.$/, '');
  return `Search ended: ${why === '' ? 'stopped' : why}. ${plural(counter.endedNow, 'trial')} run now${by}${statuses === '' ? '' : `: ${statuses}`}.`;
}
