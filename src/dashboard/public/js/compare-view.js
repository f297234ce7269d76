// Several studies side by side: their histories overlaid (best so far, one colour each), a
// table of their best trials, and their parameter importances next to each other. Refreshed
// when any of them changes.
/* global echarts */
import { getJson } from './api.js';
import { withAxisLabels } from './axis-labels.js';
import { h, setChildren } from './dom.js';
import { directionLabel, formatNumber, formatValue } from './format.js';
import { studyHref } from './routes.js';

/** A chart box that draws a server-built chart result, and its notes. */
function chartBox(kind) {
  const box = h('div', { className: 'chart', 'data-testid': `compare-${kind}` });
  const notes = h('div', { className: 'notes', 'data-testid': `compare-${kind}-notes` });
  let chart;
  return {
    el: h('div', { className: 'card' }, box, notes),
    draw(result, fingerprint) {
      box.style.height = `${result.height}px`;
      chart ??= echarts.init(box, null, { renderer: 'canvas' });
      chart.resize();
      chart.setOption(withAxisLabels(result.option), true);
      box.setAttribute('data-fingerprint', fingerprint);
      setChildren(
        notes,
        result.notes.map((n) => h('div', {}, n)),
      );
    },
    resize: () => chart?.resize(),
    dispose: () => chart?.dispose(),
  };
}

/** The best trials side by side: a column per study, a row per fact and per parameter. */
function bestTable(data) {
  const cell = (text, attrs = {}) => h('td', { className: 'num', ...attrs }, text);
  const rows = [
    h(
      'tr',
      {},
      h('th', {}, 'objective'),
      data.studies.map((s) => h('td', {}, directionLabel(s.objective))),
    ),
    h(
      'tr',
      {},
      h('th', {}, 'completed / trials'),
      data.studies.map((s) => cell(`${s.completed} / ${s.total}`)),
    ),
    h(
      'tr',
      { 'data-testid': 'compare-best-values' },
      h('th', {}, 'best value'),
      data.studies.map((s) =>
        cell(s.best === null ? '—' : formatNumber(s.best.value), {
          'data-value': s.best === null ? '' : String(s.best.value),
        }),
      ),
    ),
    h(
      'tr',
      {},
      h('th', {}, 'best trial'),
      data.studies.map((s) =>
        h(
          'td',
          { className: 'num' },
          s.best === null
            ? '—'
            : h('a', { href: studyHref(s.name, 'trial', s.best.number) }, `#${s.best.number}`),
        ),
      ),
    ),
    data.parameters.map((name) =>
      h(
        'tr',
        { 'data-param': name },
        h('th', {}, name),
        data.studies.map((s) => {
          const value = s.best?.params[name];
          return cell(value === undefined ? '' : formatValue(value));
        }),
      ),
    ),
  ];
  return h(
    'div',
    { className: 'table-wrap' },
    h(
      'table',
      { className: 'data', 'data-testid': 'compare-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          data.studies.map((s) =>
            h('th', { 'data-study': s.name }, h('a', { href: studyHref(s.name) }, s.name)),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

export function compareView(names) {
  const history = chartBox('history');
  const importance = chartBox('importance');
  const table = h('div', { className: 'card' }, h('div', { className: 'message' }, 'Loading…'));
  const el = h(
    'div',
    {},
    h('h1', { 'data-testid': 'compare-title' }, `Comparing ${names.length} studies`),
    history.el,
    h('h2', {}, 'Best trials'),
    table,
    importance.el,
  );
  let fingerprint = '';
  const onResize = () => {
    history.resize();
    importance.resize();
  };
  window.addEventListener('resize', onResize);

  async function refresh() {
    const data = await getJson('/api/compare', { studies: JSON.stringify(names) });
    if (data.fingerprint === fingerprint) return;
    fingerprint = data.fingerprint;
    history.draw(data.history, data.fingerprint);
    setChildren(table, bestTable(data));
    importance.draw(data.importance, data.fingerprint);
  }

  function dispose() {
    window.removeEventListener('resize', onResize);
    history.dispose();
    importance.dispose();
  }

  return { el, refresh, dispose };
}
