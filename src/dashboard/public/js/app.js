// The dashboard page: a hash router and a polling loop that refreshes the current view, so a
// running search shows up live (default every 2 s; `?poll=<ms>` in the page URL changes it).
import { getJson } from './api.js';
import { h, setChildren } from './dom.js';
import { compareView } from './compare-view.js';
import { parseRoute } from './routes.js';
import { studiesView } from './studies-view.js';
import { studyView } from './study-view.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const pollMs = Math.max(
  200,
  Number(new URLSearchParams(location.search).get('poll') ?? 2000) || 2000,
);

let current;
let generation = 0;
let timer;

function showError(error) {
  live.classList.remove('on');
  live.textContent = `not updating: ${error.message}`;
}

async function tick(gen) {
  if (gen !== generation) return;
  try {
    await current.refresh();
    if (gen !== generation) return;
    live.classList.add('on');
    live.textContent = `live · updated ${new Date().toLocaleTimeString()}`;
    document.body.setAttribute('data-updated', String(Date.now()));
  } catch (error) {
    if (gen === generation) {
      showError(error);
      if (error.status === 404)
        setChildren(main, h('div', { className: 'error-banner' }, error.message));
    }
  } finally {
    if (gen === generation) timer = setTimeout(() => tick(gen), pollMs);
  }
}

function navigate() {
  generation += 1;
  clearTimeout(timer);
  current?.dispose();
  const route = parseRoute(location.hash);
  current =
    route.kind === 'studies'
      ? studiesView()
      : route.kind === 'compare'
        ? compareView(route.studies)
        : studyView(route);
  setChildren(main, current.el);
  tick(generation);
}

window.addEventListener('hashchange', navigate);
getJson('/api/studies')
  .then((data) => {
    document.getElementById('storage-url').textContent = data.storage;
  })
  .catch(showError);
navigate();
