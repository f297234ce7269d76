/**
 * The dashboard's JSON API. Read-only: every route is a GET; study names and options come in
 * the query string.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HypertunerError } from '../../space/index.js';
import type { ChartKind } from '../charts/build-chart.js';
import { buildChart, parseChartKind } from '../charts/build-chart.js';
import { trialMetricsChart } from '../charts/trial-chart.js';
import type { StudyData } from '../study-data.js';
import { comparison, parseStudyList } from '../views/compare-view.js';
import { studyHeader, studyListItem, trialDetail } from '../views/study-views.js';
import { parseStatuses, trialsPage } from '../views/trials-table.js';

type Query = Readonly<Record<string, string | undefined>>;

/** The query string as strings: a parameter given twice (`?status=A&status=B`) is refused. */
function queryOf(request: FastifyRequest): Query {
  const query = request.query as Readonly<Record<string, unknown>>;
  for (const [field, value] of Object.entries(query)) {
    if (typeof value !== 'string')
      throw new HypertunerError(
        'API_INVALID_PARAMETER',
        `The query parameter '${field}' must be given once${field === 'status' ? ' (several statuses: status=COMPLETED,FAILED)' : ''}.`,
        { field },
      );
  }
  return query as Query;
}

function required(query: Query, field: string): string {
  const value = query[field];
  if (value === undefined || value === '')
    throw new HypertunerError(
      'API_MISSING_PARAMETER',
      `The query parameter '${field}' is required.`,
      { field },
    );
  return value;
}

function integer(query: Query, field: string, min = 0): number | undefined {
  const text = query[field];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new HypertunerError(
      'API_INVALID_PARAMETER',
      `${field} must be a whole number >= ${min}; got '${text}'.`,
      { field },
    );
  return n;
}

export function registerApiRoutes(app: FastifyInstance, data: StudyData): void {
  app.get('/api/studies', async () => {
    const studies = await data.listStudies();
    return { storage: data.storage.url, studies: studies.map(studyListItem) };
  });

  app.get('/api/study', async (request) => {
    const query = queryOf(request);
    return studyHeader(await data.snapshot(required(query, 'study')));
  });

  app.get('/api/trials', async (request) => {
    const query = queryOf(request);
    const snapshot = await data.snapshot(required(query, 'study'));
    const statuses = parseStatuses(query.status);
    const offset = integer(query, 'offset');
    const limit = integer(query, 'limit', 1);
    return {
      fingerprint: snapshot.fingerprint,
      ...trialsPage(snapshot, {
        ...(offset === undefined ? {} : { offset }),
        ...(limit === undefined ? {} : { limit }),
        ...(query.sort === undefined || query.sort === '' ? {} : { sort: query.sort }),
        order: query.order === 'desc' ? 'desc' : 'asc',
        ...(statuses === undefined ? {} : { statuses }),
        ...(query.q === undefined ? {} : { text: query.q }),
      }),
    };
  });

  app.get('/api/trial', async (request) => {
    const query = queryOf(request);
    const snapshot = await data.snapshot(required(query, 'study'));
    required(query, 'number');
    const number = integer(query, 'number');
    const trial = snapshot.trials.find((t) => t.number === number);
    if (trial === undefined)
      throw new HypertunerError(
        'TRIAL_NOT_FOUND',
        `Study '${snapshot.study.name}' has no trial number ${number}.`,
        { field: 'number' },
      );
    return {
      fingerprint: snapshot.fingerprint,
      objectives: snapshot.study.objectives,
      trial: trialDetail(trial),
      chart: trialMetricsChart(trial),
    };
  });

  app.get('/api/chart', async (request) => {
    const query = queryOf(request);
    const snapshot = await data.snapshot(required(query, 'study'));
    const kind: ChartKind = parseChartKind(required(query, 'kind'));
    const objective = integer(query, 'objective');
    const chart = buildChart(data, snapshot, {
      kind,
      ...(objective === undefined ? {} : { objective }),
      ...(query.x === undefined ? {} : { x: query.x }),
      ...(query.y === undefined ? {} : { y: query.y }),
    });
    return { fingerprint: snapshot.fingerprint, ...chart };
  });

  app.get('/api/compare', async (request) => {
    const query = queryOf(request);
    return comparison(data, parseStudyList(required(query, 'studies')));
  });
}
