// One trial: parameters, values, final metrics, timings, its error text, and its metrics by step.
/* global echarts */
import { getJson } from './api.js';
import { h, setChildren } from './dom.js';
import { formatDuration, formatNumber, formatTime, formatValue } from './format.js';

function keyValues(entries, testId) {
  return h(
    'div',
    { className: 'kv', 'data-testid': testId },
    entries.flatMap(([k, v]) => [h('div', { className: 'k' }, k), h('div', { className: 'v' }, v)]),
  );
}

export function trialView(studyName, number) {
  const el = h(
    'div',
    { 'data-testid': 'trial-detail' },
    h('div', { className: 'message' }, 'Loading trial…'),
  );
  let chart;
  const onResize = () => chart?.resize();
  window.addEventListener('resize', onResize);

  async function refresh() {
    const {
      trial,
      objectives,
      chart: metricsChart,
    } = await getJson('/api/trial', { study: studyName, number });
    chart?.dispose();
    chart = undefined;
    const chartBox = h('div', {
      className: 'chart',
      style: `height:${metricsChart.height}px`,
      'data-testid': 'trial-chart',
    });
    const steps = [...trial.intermediate].sort((a, b) => a.step - b.step);
    const metricNames = [...new Set(steps.flatMap((s) => Object.keys(s.metrics)))];
    setChildren(
      el,
      h(
        'h2',
        {},
        `Trial ${trial.number} `,
        h(
          'span',
          { className: `status ${trial.status}`, 'data-testid': 'trial-status' },
          trial.status,
        ),
      ),
      trial.error === null
        ? null
        : h(
            'div',
            { className: 'card' },
            h('h2', {}, 'Error'),
            h('pre', { className: 'error', 'data-testid': 'trial-error' }, trial.error),
          ),
      h(
        'div',
        { className: 'grid2' },
        h(
          'div',
          { className: 'card' },
          h('h2', {}, 'Parameters'),
          keyValues(
            Object.entries(trial.params).map(([k, v]) => [k, formatValue(v)]),
            'trial-params',
          ),
        ),
        h(
          'div',
          { className: 'card' },
          h('h2', {}, 'Values'),
          keyValues(
            [
              ...objectives.map((o, i) => [
                o.name,
                trial.values === null ? '—' : formatNumber(trial.values[i]),
              ]),
              ...Object.entries(trial.metrics).map(([k, v]) => [`metric ${k}`, formatNumber(v)]),
            ],
            'trial-values',
          ),
        ),
        h(
          'div',
          { className: 'card' },
          h('h2', {}, 'Timing'),
          keyValues(
            [
              ['created', formatTime(trial.createdAt)],
              ['started', formatTime(trial.startedAt)],
              ['finished', formatTime(trial.finishedAt)],
              ['duration', formatDuration(trial.durationMs)],
              ['worker', trial.workerId ?? ''],
              ['retry of', trial.retryOf === null ? '' : String(trial.retryOf)],
            ],
            'trial-timing',
          ),
        ),
      ),
      h('div', { className: 'card' }, chartBox),
      steps.length === 0
        ? null
        : h(
            'div',
            { className: 'card' },
            h('h2', {}, 'Metrics per step'),
            h(
              'div',
              { className: 'table-wrap' },
              h(
                'table',
                { className: 'data', 'data-testid': 'trial-steps' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    h('th', {}, 'step'),
                    metricNames.map((m) => h('th', {}, m)),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  steps.map((s) =>
                    h(
                      'tr',
                      {},
                      h('td', { className: 'num' }, String(s.step)),
                      metricNames.map((m) =>
                        h('td', { className: 'num' }, formatNumber(s.metrics[m])),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
    );
    chart = echarts.init(chartBox, null, { renderer: 'canvas' });
    chart.setOption(metricsChart.option, true);
  }

  function dispose() {
    window.removeEventListener('resize', onResize);
    chart?.dispose();
  }

  return { el, refresh, dispose };
}
