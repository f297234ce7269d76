// The trials table: sorted and paginated on the server, filtered by status and text.
import { getJson } from './api.js';
import { h, setChildren } from './dom.js';
import { formatDuration, formatNumber, formatValue } from './format.js';
import { studyHref } from './routes.js';

const PAGE = 50;
const STATUSES = ['', 'COMPLETED', 'RUNNING', 'WAITING', 'PRUNED', 'FAILED'];

export function trialsView(studyName) {
  const state = { offset: 0, sort: 'number', order: 'asc', status: '', q: '' };
  let directions = [];
  const statusSelect = h(
    'select',
    {
      'data-testid': 'status-filter',
      on: { change: () => change({ status: statusSelect.value, offset: 0 }) },
    },
    STATUSES.map((s) => h('option', { value: s }, s === '' ? 'all statuses' : s)),
  );
  let typing;
  const search = h('input', {
    type: 'search',
    placeholder: 'filter: name=value or error text',
    'data-testid': 'text-filter',
    on: {
      input: () => {
        clearTimeout(typing);
        typing = setTimeout(() => change({ q: search.value, offset: 0 }), 250);
      },
    },
  });
  const prev = h(
    'button',
    { type: 'button', on: { click: () => change({ offset: Math.max(0, state.offset - PAGE) }) } },
    '‹ previous',
  );
  const next = h(
    'button',
    {
      type: 'button',
      'data-testid': 'next-page',
      on: { click: () => change({ offset: state.offset + PAGE }) },
    },
    'next ›',
  );
  const info = h('span', { className: 'notes', 'data-testid': 'page-info' });
  const tableBox = h('div', { className: 'table-wrap' });
  const el = h(
    'div',
    {},
    h(
      'div',
      { className: 'controls' },
      h('label', {}, 'status', statusSelect),
      search,
      prev,
      next,
      info,
    ),
    tableBox,
  );

  function change(patch) {
    Object.assign(state, patch);
    load().catch((error) =>
      setChildren(tableBox, h('div', { className: 'error-banner' }, error.message)),
    );
  }

  // first click: ascending, or best first for an objective's values
  function header(label, sort, firstOrder = 'asc') {
    const sorted = state.sort === sort;
    return h(
      'th',
      {
        className: `sortable${sorted ? ` sorted-${state.order}` : ''}`,
        'data-sort': sort,
        title: 'sort',
        on: {
          click: () =>
            change({
              sort,
              order: !sorted ? firstOrder : state.order === 'asc' ? 'desc' : 'asc',
              offset: 0,
            }),
        },
      },
      label,
    );
  }

  function render(page) {
    const { params, objectives } = page.columns;
    const thead = h(
      'thead',
      {},
      h(
        'tr',
        {},
        header('#', 'number'),
        header('status', 'status'),
        objectives.map((o, i) =>
          header(o, `value:${i}`, directions[i] === 'maximize' ? 'desc' : 'asc'),
        ),
        params.map((p) => header(p, `param:${p}`)),
        header('duration', 'duration'),
        h('th', {}, 'steps'),
        h('th', {}, 'error'),
      ),
    );
    const rows = page.rows.map((row) =>
      h(
        'tr',
        {
          className: 'clickable',
          'data-trial': row.number,
          on: { click: () => (location.hash = studyHref(studyName, 'trial', row.number)) },
        },
        h('td', { className: 'num' }, String(row.number)),
        h('td', {}, h('span', { className: `status ${row.status}` }, row.status)),
        objectives.map((_, i) =>
          h(
            'td',
            { className: 'num', 'data-value': row.values?.[i] ?? '' },
            row.values === null ? '' : formatNumber(row.values[i]),
          ),
        ),
        params.map((p) =>
          h(
            'td',
            { className: typeof row.params[p] === 'number' ? 'num' : '' },
            formatValue(row.params[p]),
          ),
        ),
        h('td', { className: 'num' }, formatDuration(row.durationMs)),
        h('td', { className: 'num' }, row.steps === 0 ? '' : String(row.steps)),
        h('td', { className: 'wrap' }, row.error ?? ''),
      ),
    );
    setChildren(
      tableBox,
      h('table', { className: 'data', 'data-testid': 'trials-table' }, thead, h('tbody', {}, rows)),
    );
    const end = Math.min(page.matching, page.offset + page.rows.length);
    info.textContent =
      page.matching === 0
        ? `no matching trials (of ${page.total})`
        : `trials ${page.offset + 1}–${end} of ${page.matching}${page.matching === page.total ? '' : ` matching (${page.total} in all)`}`;
    prev.disabled = page.offset === 0;
    next.disabled = end >= page.matching;
  }

  async function load() {
    const page = await getJson('/api/trials', {
      study: studyName,
      offset: state.offset,
      limit: PAGE,
      sort: state.sort,
      order: state.order,
      status: state.status,
      q: state.q,
    });
    render(page);
  }

  async function refresh(study) {
    directions = study.objectives.map((o) => o.direction);
    await load();
  }

  return { el, refresh, dispose() {} };
}
