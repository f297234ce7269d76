/**
 * The trials table, paginated on the server: sorted by any column, filtered by status and by
 * text (parameter values and error text), one page at a time.
 */
import { HypertunerError } from '../../space/index.js';
import type { JsonValue, Trial, TrialStatus } from '../../trials/index.js';
import { TRIAL_STATUSES, trialDurationMs } from '../../trials/index.js';
import type { StudySnapshot } from '../study-data.js';

export interface TrialsQuery {
  readonly offset?: number;
  readonly limit?: number;
  /** `number`, `status`, `duration`, `value:<objective index>` or `param:<name>`. */
  readonly sort?: string;
  readonly order?: 'asc' | 'desc';
  readonly statuses?: readonly TrialStatus[];
  /** Case-insensitive text that a parameter (`name=value`) or the error text must contain. */
  readonly text?: string;
}

export interface TrialRow {
  readonly number: number;
  readonly status: TrialStatus;
  readonly values: readonly number[] | null;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly durationMs: number | null;
  /** The error text's first line, at most 200 characters (the whole text is in the trial's detail). */
  readonly error: string | null;
  readonly steps: number;
}

export interface TrialsPage {
  readonly rows: readonly TrialRow[];
  /** Trials matching the filters. */
  readonly matching: number;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly columns: { readonly params: readonly string[]; readonly objectives: readonly string[] };
}

export const MAX_PAGE = 500;

export function parseStatuses(text: string | undefined): TrialStatus[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text.split(',').map((part) => {
    const status = TRIAL_STATUSES.find((s) => s === part.trim().toUpperCase());
    if (status === undefined)
      throw new HypertunerError(
        'TABLE_INVALID_STATUS',
        `status must be a comma-separated list of ${TRIAL_STATUSES.join(', ')}; got '${part}'.`,
        { field: 'status' },
      );
    return status;
  });
}

type SortKey = (t: Trial) => number | string | undefined;

function sortKey(sort: string, now: number): SortKey {
  if (sort === 'number') return (t) => t.number;
  if (sort === 'status') return (t) => t.status;
  if (sort === 'duration') return (t) => trialDurationMs(t, now);
  if (sort.startsWith('value:')) {
    const index = Number(sort.slice('value:'.length));
    if (!Number.isInteger(index) || index < 0)
      throw new HypertunerError(
        'TABLE_INVALID_SORT',
        `sort value:<i> needs an objective index; got '${sort}'.`,
        { field: 'sort' },
      );
    return (t) => {
      const v = t.values?.[index];
      return v !== undefined && Number.isFinite(v) ? v : undefined;
    };
  }
  if (sort.startsWith('param:')) {
    const name = sort.slice('param:'.length);
    return (t) => {
      const v = t.params[name];
      return v === undefined ? undefined : typeof v === 'boolean' ? String(v) : v;
    };
  }
  throw new HypertunerError(
    'TABLE_INVALID_SORT',
    `sort must be number, status, duration, value:<objective index> or param:<name>; got '${sort}'.`,
    { field: 'sort' },
  );
}

function compare(a: number | string | undefined, b: number | string | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function matchesText(t: Trial, needle: string): boolean {
  for (const [name, value] of Object.entries(t.params)) {
    if (`${name}=${String(value)}`.toLowerCase().includes(needle)) return true;
  }
  return t.error !== undefined && t.error.toLowerCase().includes(needle);
}

export function trialsPage(
  snapshot: StudySnapshot,
  query: TrialsQuery = {},
  now = Date.now(),
): TrialsPage {
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit ?? 50)));
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const key = sortKey(query.sort ?? 'number', now);
  const direction = query.order === 'desc' ? -1 : 1;
  const statuses = query.statuses;
  const needle = query.text?.trim().toLowerCase() ?? '';
  const matching = snapshot.trials.filter(
    (t) =>
      (statuses === undefined || statuses.includes(t.status)) &&
      (needle === '' || matchesText(t, needle)),
  );
  const keyed = matching.map((t) => ({ t, k: key(t) }));
  // missing values stay last whatever the order
  keyed.sort(
    (a, b) =>
      (a.k === undefined || b.k === undefined
        ? compare(a.k, b.k)
        : direction * compare(a.k, b.k)) || a.t.number - b.t.number,
  );
  const rows = keyed.slice(offset, offset + limit).map(({ t }) => ({
    number: t.number,
    status: t.status,
    values: t.values ?? null,
    params: t.params,
    durationMs: trialDurationMs(t, now) ?? null,
    error: t.error === undefined ? null : (t.error.split('\n', 1)[0] ?? '').slice(0, 200),
    steps: t.intermediate.length,
  }));
  return {
    rows,
    matching: matching.length,
    total: snapshot.trials.length,
    offset,
    limit,
    columns: {
      params: snapshot.study.space.parameters.map((p) => p.name),
      objectives: snapshot.study.objectives.map((o) => o.name),
    },
  };
}
