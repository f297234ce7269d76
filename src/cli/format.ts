/**
 * Human output of the CLI: tables of studies and trials. `--json` output bypasses this.
 */
import Table from 'cli-table3';
import type { StudySummary, Trial } from '../index.js';
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

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
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

export function trialsTable(trials: readonly Trial[]): string {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const t = table(['#', 'status', 'value', ...names, 'duration', 'worker', 'error']);
  for (const trial of trials) {
    t.push([
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
    ]);
  }
  return t.toString();
}
