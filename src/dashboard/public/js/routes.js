// Hash routes: #/ (studies), #/study/<name>/<view>[/<trial number>], #/compare/<name>/<name>/...

export const VIEWS = [
  'trials',
  'history',
  'intermediate',
  'parallel',
  'slice',
  'contour',
  'importance',
  'pareto',
  'trial',
];

export function studyHref(name, view = 'trials', trial) {
  return `#/study/${encodeURIComponent(name)}/${view}${trial === undefined ? '' : `/${trial}`}`;
}

/** The comparison of several studies. */
export function compareHref(names) {
  return `#/compare/${names.map((n) => encodeURIComponent(n)).join('/')}`;
}

/** The route of a location hash. */
export function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'compare') {
    try {
      const studies = parts
        .slice(1)
        .filter((p) => p !== '')
        .map((p) => decodeURIComponent(p));
      if (studies.length >= 2) return { kind: 'compare', studies };
    } catch {
      // a malformed name: back to the list
    }
    return { kind: 'studies' };
  }
  if (parts[0] !== 'study' || parts[1] === undefined || parts[1] === '') return { kind: 'studies' };
  let study;
  try {
    study = decodeURIComponent(parts[1]);
  } catch {
    return { kind: 'studies' };
  }
  const view = VIEWS.includes(parts[2]) ? parts[2] : 'trials';
  const trial = parts[3] === undefined ? undefined : Number(parts[3]);
  return { kind: 'study', study, view, trial: Number.isInteger(trial) ? trial : undefined };
}
