/**
 * Human output of the CLI: tables of studies and trials. `--json` output bypasses this.
 */
import Table from 'cli-table3';
import type { StudySummary, Trial } from '../index.js';
import type { CorruptRecord } from '../storage/index.js';
import { terminalText } from '../storage/index.js';
import { trialDurationMs } from '../trials/index.js';

export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6
    ? value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')
    : value.toExponential(4);
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 120 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * A table whose every cell is shown with control characters escaped: stored names and values
 * are the user's, and must not move the cursor or recolour the terminal.
 */
function table(head: string[]): {
  push(row: readonly (string | number)[]): void;
  toString(): string;
} {
  const t = new Table({ head: head.map((h) => terminalText(h)), style: { head: [], border: [] } });
  return {
    push: (row) =>
      t.push(row.map((cell) => (typeof cell === 'string' ? terminalText(cell) : cell))),
    toString: () => t.toString(),
  };
}

export function studiesTable(studies: readonly StudySummary[]): string {
  const t = table([
    'study',
    'objective',
    'trials',
    'completed',
    'running',
    'pruned',
    'failed',
    'best',
  ]);
  for (const s of studies) {
    const total = Object.values(s.trialCounts).reduce((a, b) => a + b, 0);
    t.push([
      s.name,
      s.objectives
        .map((o) => `${o.name} (${o.direction === 'minimize' ? 'min' : 'max'})`)
        .join(', '),
      total,
      s.trialCounts.COMPLETED,
      s.trialCounts.RUNNING,
      s.trialCounts.PRUNED,
      s.trialCounts.FAILED,
      formatNumber(s.bestValue),
    ]);
  }
  return t.toString();
}

/** `host:pid` of a worker id (`host:pid:nonce`). */
function shortWorker(workerId: string | undefined): string {
  return workerId === undefined ? '' : workerId.split(':').slice(0, -1).join(':');
}

/**
 * The trials as a table, by number; each damaged trial (`damaged`, from a read with
 * `onCorrupt`) in its place as a DAMAGED row naming the field that cannot be read.
 */
export function trialsTable(
  trials: readonly Trial[],
  damaged: readonly CorruptRecord[] = [],
): string {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const t = table(['#', 'status', 'value', ...names, 'duration', 'worker', 'error']);
  const rows: { readonly number: number; readonly cells: (string | number)[] }[] = [];
  for (const record of damaged) {
    rows.push({
      number: record.trialNumber ?? Number.MAX_SAFE_INTEGER,
      cells: [
        record.trialNumber ?? `id ${record.trialId ?? '?'}`,
        'DAMAGED',
        '',
        ...names.map(() => ''),
        '',
        '',
        `cannot read ${record.field} (see the error below)`,
      ],
    });
  }
  for (const trial of trials) {
    rows.push({
      number: trial.number,
      cells: [
        trial.number,
        trial.status,
        (trial.values ?? []).map(formatNumber).join(', '),
        ...names.map((n) => {
          const v = trial.params[n];
          return v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : String(v);
        }),
        formatDuration(trialDurationMs(trial)),
        shortWorker(trial.workerId),
        (trial.error ?? '').split('\n')[0]?.slice(0, 60) ?? '',
      ],
    });
  }
  for (const row of rows.sort((a, b) => a.number - b.number)) t.push(row.cells);
  return t.toString();
}
