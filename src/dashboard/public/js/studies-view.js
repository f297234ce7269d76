// The list of studies in the storage: directions, trial counts by status, best value; tick
// two or more to compare them.
import { getJson } from './api.js';
import { h, setChildren } from './dom.js';
import { directionLabel, formatNumber, formatTime } from './format.js';
import { compareHref, studyHref } from './routes.js';

const STATUSES = ['COMPLETED', 'RUNNING', 'WAITING', 'PRUNED', 'FAILED'];

export function studiesView() {
  const body = h(
    'div',
    { className: 'card' },
    h('div', { className: 'message' }, 'Loading studies…'),
  );
  const selected = new Set();
  const compare = h(
    'button',
    {
      type: 'button',
      'data-testid': 'compare-button',
      disabled: true,
      on: { click: () => (location.hash = compareHref([...selected])) },
    },
    'Compare selected',
  );
  const hint = h('span', { className: 'hint' }, 'Tick two or more studies to compare them.');
  const el = h(
    'div',
    {},
    h('h1', {}, 'Studies'),
    h('div', { className: 'controls' }, compare, hint),
    body,
  );
  let fingerprint = '';

  function toggle(name, on) {
    if (on) selected.add(name);
    else selected.delete(name);
    compare.disabled = selected.size < 2;
    compare.textContent =
      selected.size < 2 ? 'Compare selected' : `Compare ${selected.size} studies`;
  }

  async function refresh() {
    const data = await getJson('/api/studies');
    const next = JSON.stringify(data.studies);
    if (next === fingerprint) return;
    fingerprint = next;
    if (data.studies.length === 0) {
      setChildren(body, h('div', { className: 'message' }, 'No studies in this storage yet.'));
      return;
    }
    const rows = data.studies.map((s) =>
      h(
        'tr',
        { 'data-study': s.name },
        h(
          'td',
          {},
          h('input', {
            type: 'checkbox',
            'data-testid': 'compare-pick',
            'aria-label': `compare ${s.name}`,
            checked: selected.has(s.name),
            on: { change: (event) => toggle(s.name, event.target.checked) },
          }),
        ),
        h(
          'td',
          {},
          h('a', { href: studyHref(s.name, 'trials'), 'data-testid': 'study-link' }, s.name),
        ),
        h('td', { className: 'wrap' }, s.objectives.map(directionLabel).join(', ')),
        h('td', { className: 'num', 'data-testid': 'study-total' }, String(s.total)),
        STATUSES.map((status) =>
          h('td', { className: 'num', 'data-status': status }, String(s.trialCounts[status] ?? 0)),
        ),
        h(
          'td',
          { className: 'num', 'data-testid': 'study-best', 'data-value': s.bestValue ?? '' },
          s.bestValue === null ? '' : formatNumber(s.bestValue),
        ),
        h('td', {}, formatTime(s.createdAt)),
      ),
    );
    setChildren(
      body,
      h(
        'div',
        { className: 'table-wrap' },
        h(
          'table',
          { className: 'data', 'data-testid': 'studies-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, ''),
              h('th', {}, 'study'),
              h('th', {}, 'objectives'),
              h('th', {}, 'trials'),
              STATUSES.map((s) => h('th', {}, s.toLowerCase())),
              h('th', {}, 'best value'),
              h('th', {}, 'created'),
            ),
          ),
          h('tbody', {}, rows),
        ),
      ),
    );
  }

  return { el, refresh, dispose() {} };
}
