// Number, time and status formatting for the page.

export function formatNumber(value) {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
}

export function formatValue(value) {
  return typeof value === 'number' ? formatNumber(value) : String(value ?? '');
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(ms) {
  return ms === null || ms === undefined ? '' : new Date(ms).toLocaleString();
}

export function directionLabel(objective) {
  return `${objective.name} (${objective.direction === 'minimize' ? 'minimize' : 'maximize'})`;
}
