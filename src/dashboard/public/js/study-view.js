// One study: a summary card, tabs for the views, and the chosen view, refreshed when the
// study changes (new trials, new states, new reported values).
import { getJson } from './api.js';
import { chartView } from './chart-view.js';
import { h, setChildren } from './dom.js';
import { directionLabel, formatNumber } from './format.js';
import { studyHref } from './routes.js';
import { trialView } from './trial-view.js';
import { trialsView } from './trials-view.js';

const TABS = [
  ['trials', 'Trials'],
  ['history', 'History'],
  ['intermediate', 'Intermediate values'],
  ['parallel', 'Parallel coordinates'],
  ['slice', 'Slice'],
  ['contour', 'Contour'],
  ['importance', 'Importance'],
  ['pareto', 'Pareto front'],
];

function childView(route) {
  if (route.view === 'trials') return trialsView(route.study);
  if (route.view === 'trial') return trialView(route.study, route.trial ?? 0);
  return chartView(route.study, route.view);
}

function summaryItem(label, value, attrs = {}) {
  return h(
    'div',
    { className: 'item' },
    h('span', { className: 'label' }, label),
    h('span', { className: 'value', ...attrs }, value),
  );
}

export function studyView(route) {
  const title = h('h1', { 'data-testid': 'study-name' }, route.study);
  const summary = h('div', { className: 'summary card', 'data-testid': 'study-summary' });
  const tabs = h('nav', { className: 'tabs' });
  const child = childView(route);
  const el = h('div', {}, title, summary, tabs, child.el);
  let fingerprint = '';

  function renderSummary(study) {
    const multi = study.objectives.length > 1;
    const best = study.best;
    setChildren(
      summary,
      summaryItem(
        multi ? 'objectives' : 'objective',
        study.objectives.map(directionLabel).join(', '),
      ),
      summaryItem('trials', String(study.total), { 'data-testid': 'total-trials' }),
      ['COMPLETED', 'RUNNING', 'PRUNED', 'FAILED', 'WAITING'].map((s) =>
        summaryItem(s.toLowerCase(), String(study.counts[s] ?? 0), { 'data-testid': `count-${s}` }),
      ),
      // trials the storage could not read (edited by hand, or damaged): counted, each named
      (study.damaged ?? []).length === 0
        ? []
        : summaryItem('damaged', String(study.damaged.length), {
            'data-testid': 'count-DAMAGED',
            title: study.damaged.map((d) => d.message).join('\n'),
          }),
      multi
        ? summaryItem(
            'Pareto front',
            `${study.paretoSize} ${study.paretoSize === 1 ? 'trial' : 'trials'}`,
            {
              'data-testid': 'pareto-size',
            },
          )
        : summaryItem(
            'best value',
            best === null
              ? '—'
              : h(
                  'a',
                  { href: studyHref(study.name, 'trial', best.number) },
                  `${formatNumber(best.values[0])} (trial ${best.number})`,
                ),
            {
              'data-testid': 'best-value',
              'data-value': best === null ? '' : String(best.values[0]),
              'data-trial': best === null ? '' : String(best.number),
            },
          ),
    );
    setChildren(
      tabs,
      TABS.filter(([view]) => view !== 'pareto' || multi).map(([view, label]) =>
        h(
          'a',
          {
            href: studyHref(study.name, view),
            className:
              view === route.view || (route.view === 'trial' && view === 'trials') ? 'active' : '',
            'data-tab': view,
          },
          label,
        ),
      ),
    );
  }

  async function refresh() {
    const study = await getJson('/api/study', { study: route.study });
    renderSummary(study);
    if (study.fingerprint !== fingerprint) {
      fingerprint = study.fingerprint;
      await child.refresh(study);
    }
  }

  return { el, refresh, dispose: () => child.dispose() };
}
