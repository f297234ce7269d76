// A chart view: controls (objective, contour axes, Pareto axes), the ECharts chart built on the
// server, and its notes. Clicking a trial's point opens that trial.
/* global echarts */
import { getJson } from './api.js';
import { withAxisLabels } from './axis-labels.js';
import { h, setChildren } from './dom.js';
import { studyHref } from './routes.js';

/** Where a point's trial number is in its data, per chart kind. */
const TRIAL_DIMENSION = { history: 0, slice: 2, contour: 3, pareto: 2 };

function select(label, options, value, onChange, testId) {
  const el = h(
    'select',
    { 'data-testid': testId, on: { change: () => onChange(el.value) } },
    options.map(([v, text]) => h('option', { value: v }, text)),
  );
  el.value = value;
  return h('label', {}, label, el);
}

export function chartView(studyName, kind) {
  const controls = h('div', { className: 'controls' });
  const box = h('div', { className: 'chart', 'data-testid': `chart-${kind}`, 'data-kind': kind });
  const notes = h('div', { className: 'notes', 'data-testid': 'chart-notes' });
  const el = h('div', {}, controls, box, notes);
  const state = { objective: '0', x: '', y: '' };
  let chart;
  let study;
  let controlsFor = '';

  const onResize = () => chart?.resize();
  window.addEventListener('resize', onResize);

  function renderControls() {
    const key = JSON.stringify([study.objectives, study.parameters.map((p) => p.name)]);
    if (key === controlsFor) return;
    controlsFor = key;
    const objectives = study.objectives.map((o, i) => [String(i), o.name]);
    const parts = [];
    if (kind === 'pareto') {
      if (state.x === '') state.x = '0';
      if (state.y === '') state.y = '1';
      parts.push(
        select('x', objectives, state.x, (v) => update({ x: v }), 'pareto-x'),
        select('y', objectives, state.y, (v) => update({ y: v }), 'pareto-y'),
      );
    } else if (objectives.length > 1 && kind !== 'intermediate') {
      parts.push(
        select(
          'objective',
          objectives,
          state.objective,
          (v) => update({ objective: v }),
          'objective',
        ),
      );
    }
    if (kind === 'contour') {
      const params = [
        ['', '(most important)'],
        ...study.parameters.filter((p) => p.kind !== 'fixed').map((p) => [p.name, p.name]),
      ];
      parts.push(
        select('x', params, state.x, (v) => update({ x: v }), 'contour-x'),
        select('y', params, state.y, (v) => update({ y: v }), 'contour-y'),
      );
    }
    setChildren(controls, parts);
  }

  function update(change) {
    Object.assign(state, change);
    load().catch(showError);
  }

  function showError(error) {
    // the last chart no longer matches the controls: show the message alone
    chart?.clear();
    box.removeAttribute('data-fingerprint');
    setChildren(notes, h('div', { className: 'error-banner' }, error.message));
  }

  async function load() {
    const result = await getJson('/api/chart', {
      study: studyName,
      kind,
      objective: state.objective,
      x: state.x,
      y: state.y,
    });
    box.style.height = `${result.height}px`;
    if (chart === undefined) {
      chart = echarts.init(box, null, { renderer: 'canvas' });
      chart.on('click', (event) => {
        const dim = TRIAL_DIMENSION[kind];
        let trial;
        if (
          dim !== undefined &&
          Array.isArray(event.value) &&
          event.seriesType !== 'heatmap' &&
          event.seriesName !== 'best so far'
        )
          trial = event.value[dim];
        if (kind === 'intermediate')
          trial = Number(/^trial (\d+)/.exec(event.seriesName ?? '')?.[1]);
        if (Number.isInteger(trial)) location.hash = studyHref(studyName, 'trial', trial);
      });
    }
    chart.resize();
    chart.setOption(withAxisLabels(result.option), true);
    box.setAttribute('data-fingerprint', result.fingerprint);
    setChildren(
      notes,
      result.notes.map((n) => h('div', {}, n)),
    );
  }

  async function refresh(nextStudy) {
    study = nextStudy;
    renderControls();
    await load();
  }

  function dispose() {
    window.removeEventListener('resize', onResize);
    chart?.dispose();
  }

  return {
    el,
    refresh,
    dispose,
    get chart() {
      return chart;
    },
  };
}
