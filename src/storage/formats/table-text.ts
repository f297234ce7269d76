/**
 * A trials table as text: CSV per RFC 4180 (CRLF line ends; a field with a comma, a quote, a
 * CR or an LF in double quotes, its quotes doubled; an empty string as `""`, an empty cell as
 * nothing) or JSON lines (one object a trial). Cells are written as pandas writes Optuna's
 * `trials_dataframe()` with `to_csv`, so `pd.read_csv(path, parse_dates=[...])` and scripts
 * made for Optuna's files read ours: datetimes `2024-05-01 13:45:07.123000` (local time, as
 * Optuna keeps them), durations `0 days 00:01:02.500000`, booleans `True`/`False`, infinite
 * numbers `inf`/`-inf`, other JSON values (an attribute that is a list or object) as JSON.
 */
import type { TableCell, TrialsTable } from './trials-table.js';

/** The table as CSV (RFC 4180). */
export function trialsTableCsv(table: TrialsTable): string {
  const lines = [
    table.columns.map((c) => csvField(c)).join(','),
    ...table.rows.map((row) =>
      table.columns.map((c) => csvField(cellText(c, row[c] ?? null))).join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The table as JSON lines: each row an object of its columns (text cells as in the CSV). */
export function trialsTableJsonl(table: TrialsTable): string {
  return table.rows
    .map((row) => {
      const entries = table.columns.map((c) => [c, jsonCell(c, row[c] ?? null)]);
      return `${JSON.stringify(Object.fromEntries(entries))}\n`;
    })
    .join('');
}

/** A field quoted when it must be (or is the empty string, kept apart from an empty cell). */
function csvField(text: string | undefined): string {
  if (text === undefined) return '';
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The text of a cell, or undefined for an empty one. */
function cellText(column: string, cell: TableCell): string | undefined {
  if (cell === null) return undefined;
  if (cell instanceof Date) return pandasDatetime(cell);
  if (typeof cell === 'number') {
    if (column === 'duration') return pandasTimedelta(cell);
    if (Number.isNaN(cell)) return undefined;
    return Number.isFinite(cell) ? String(cell) : cell > 0 ? 'inf' : '-inf';
  }
  if (typeof cell === 'boolean') return cell ? 'True' : 'False';
  if (typeof cell === 'string') return cell;
  return JSON.stringify(cell);
}

function jsonCell(column: string, cell: TableCell): unknown {
  if (cell instanceof Date || (column === 'duration' && typeof cell === 'number'))
    return cellText(column, cell);
  if (typeof cell === 'number' && !Number.isFinite(cell)) return cellText(column, cell) ?? null;
  return cell;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** pandas' text of a Timestamp with microseconds (local time): `2024-05-01 13:45:07.123000`. */
export function pandasDatetime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`;
}

/** pandas' text of a Timedelta of `ms` milliseconds: `0 days 00:01:02.500000` (no fraction when whole). */
export function pandasTimedelta(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const fraction = millis === 0 ? '' : `.${pad(millis, 3)}000`;
  return `${sign}${days} days ${pad(hours)}:${pad(minutes)}:${pad(seconds)}${fraction}`;
}
