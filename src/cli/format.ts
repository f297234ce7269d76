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

/** The width tables must fit: the terminal's, else $COLUMNS, else 120 characters. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY === true && stream.columns > 0) return stream.columns;
  const columns = Number(process.env['COLUMNS']);
  return Number.isInteger(columns) && columns >= 40 ? columns : 120;
}

type Cell = string | number;

/** Rows without a rule between them (only under the head). */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function widthOf(rows: readonly (readonly Cell[])[], column: number): number {
  return Math.max(...rows.map((row) => String(row[column] ?? '').length)) + 2;
}

/** A cell with control characters escaped: stored names and values are the user's. */
const shown = (cell: Cell): Cell => (typeof cell === 'string' ? terminalText(cell) : cell);

/**
 * A table of `head` and `rows` at most `maxWidth` characters wide: when the natural widths do
 * not fit, the columns `wrap` share the room the others leave (12 characters each at least)
 * and wrap their text over several lines. Every cell is shown with control characters escaped,
 * so that it cannot move the cursor or recolour the terminal.
 */
export function fittedTable(
  givenHead: readonly string[],
  givenRows: readonly (readonly Cell[])[],
  maxWidth: number,
  wrap: readonly number[] = [],
): string {
  const head = givenHead.map((h) => terminalText(h));
  const rows = givenRows.map((row) => row.map(shown));
  const all = [head, ...rows];
  const widths = head.map((_, i) => widthOf(all, i));
  const total = widths.reduce((a, b) => a + b + 1, 1);
  const fits = total <= maxWidth || wrap.length === 0;
  if (!fits) {
    const wrapped = wrap.reduce((a, i) => a + (widths[i] ?? 0), 0);
    const room = maxWidth - (total - wrapped);
    for (const i of wrap) widths[i] = Math.max(12, Math.floor(((widths[i] ?? 0) / wrapped) * room));
    // the floors of 12 may overshoot: take it back from the widest
    for (let over = wrap.reduce((a, i) => a + (widths[i] ?? 0), 0) - room; over > 0; over--) {
      const widest = wrap.reduce((a, i) => ((widths[i] ?? 0) > (widths[a] ?? 0) ? i : a));
      if ((widths[widest] ?? 0) <= 12) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const t = new Table({ head: [...head], style: { head: [], border: [] }, chars: COMPACT });
  for (const row of rows)
    t.push(
      fits
        ? [...row]
        : row.map((cell, i) =>
            wrap.includes(i) ? wrapText(String(cell), (widths[i] ?? 14) - 2) : cell,
          ),
    );
  return t.toString();
}

/** `text` in lines of at most `width` characters, broken after `, ` where it can be. */
export function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(/(?<=, )/)) {
    if (line.length + part.trimEnd().length > width && line !== '') {
      lines.push(line.trimEnd());
      line = '';
    }
    let rest = part;
    while (rest.trimEnd().length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line += rest;
  }
  if (line.trimEnd() !== '') lines.push(line.trimEnd());
  return lines.join('\n');
}

export function studiesTable(studies: readonly StudySummary[], maxWidth = outputWidth()): string {
  const head = ['study', 'objective', 'trials', 'completed', 'running', 'pruned', 'failed', 'best'];
  const rows = studies.map((s) => [
    s.name,
    s.objectives.map((o) => `${o.name} (${o.direction === 'minimize' ? 'min' : 'max'})`).join(', '),
    Object.values(s.trialCounts).reduce((a, b) => a + b, 0),
    s.trialCounts.COMPLETED,
    s.trialCounts.RUNNING,
    s.trialCounts.PRUNED,
    s.trialCounts.FAILED,
    formatNumber(s.bestValue),
  ]);
  return fittedTable(head, rows, maxWidth, [0, 1]);
}

/** `host:pid` of a worker id (`host:pid:nonce`). */
function shortWorker(workerId: string | undefined): string {
  return workerId === undefined ? '' : workerId.split(':').slice(0, -1).join(':');
}

function paramText(value: Trial['params'][string] | undefined): string {
  return value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : String(value);
}

/**
 * The trials as a table, by number: a column per parameter when that fits `maxWidth` (the
 * terminal), else one `params` column of `name=value` pairs wrapped over several lines. Each
 * damaged trial (`damaged`, from a read with `onCorrupt`) is in its place as a DAMAGED row naming
 * the field that cannot be read.
 */
export function trialsTable(
  trials: readonly Trial[],
  damaged: readonly CorruptRecord[] = [],
  maxWidth = outputWidth(),
): string {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  type Row =
    | { readonly number: number; readonly trial: Trial; readonly record?: undefined }
    | { readonly number: number; readonly trial?: undefined; readonly record: CorruptRecord };
  const order: Row[] = [
    ...damaged.map((record) => ({ number: record.trialNumber ?? Number.MAX_SAFE_INTEGER, record })),
    ...trials.map((trial) => ({ number: trial.number, trial })),
  ].sort((a, b) => a.number - b.number);
  /** A DAMAGED row: its number (or id), and why, in the last of `columns` cells. */
  const damagedRow = (record: CorruptRecord, columns: number, why: string): Cell[] => [
    record.trialNumber ?? `id ${record.trialId ?? '?'}`,
    'DAMAGED',
    ...Array<Cell>(columns - 3).fill(''),
    why,
  ];
  const common = (trial: Trial): Cell[] => [
    trial.number,
    trial.status,
    (trial.values ?? []).map(formatNumber).join(', '),
  ];
  const tail = (trial: Trial): Cell[] => [
    formatDuration(trialDurationMs(trial)),
    shortWorker(trial.workerId),
    (trial.error ?? '').split('\n')[0]?.slice(0, 60) ?? '',
  ];
  const wideHead = ['#', 'status', 'value', ...names, 'duration', 'worker', 'error'];
  const wide = fittedTable(
    wideHead,
    order.map(({ trial, record }) =>
      trial === undefined
        ? damagedRow(record, wideHead.length, `cannot read ${record.field} (see the error below)`)
        : [...common(trial), ...names.map((n) => paramText(trial.params[n])), ...tail(trial)],
    ),
    Number.POSITIVE_INFINITY,
  );
  if ((wide.split('\n')[0]?.length ?? 0) <= maxWidth) return wide;
  const params = (trial: Trial): string =>
    names
      .filter((n) => trial.params[n] !== undefined)
      .map((n) => `${n}=${paramText(trial.params[n])}`)
      .join(', ');
  const error = (trial: Trial): string => {
    const text = (trial.error ?? '').split('\n')[0] ?? '';
    return text.length > 24 ? `${text.slice(0, 23)}…` : text;
  };
  return fittedTable(
    ['#', 'status', 'value', 'params', 'duration', 'worker', 'error'],
    order.map(({ trial, record }) =>
      trial === undefined
        ? damagedRow(record, 7, `cannot read ${record.field}`)
        : [...common(trial), params(trial), ...tail(trial).slice(0, 2), error(trial)],
    ),
    maxWidth,
    [3],
  );
}
