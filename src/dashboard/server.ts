/**
 * The dashboard's HTTP server (fastify): the static page, ECharts' bundle and the JSON API.
 * Safe by default: binds to 127.0.0.1, answers GET (and HEAD) only, and sends a strict
 * Content-Security-Policy (scripts from this server only, no inline script).
 */
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { HypertunerError } from '../space/index.js';
import type { Storage } from '../storage/index.js';
import { allowedHostNames, hostOfHeader, shownHostName } from './allowed-hosts.js';
import { echartsBundleText, publicDir } from './assets.js';
import { registerApiRoutes } from './routes/api-routes.js';
import { StudyData } from './study-data.js';

export interface DashboardOptions {
  readonly storage: Storage;
  /** Default 127.0.0.1 (this machine only). */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** How long one read of a study is reused across requests (ms). Default 750. */
  readonly cacheMs?: number;
  /**
   * More `Host` names to answer to (a name this machine is reached by), beyond localhost,
   * 127.0.0.1, [::1] and `host`; any other is refused with 403 (see allowed-hosts.ts).
   */
  readonly allowedHosts?: readonly string[];
}

export interface RunningDashboard {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

const NOT_FOUND_CODES = new Set(['STUDY_NOT_FOUND', 'TRIAL_NOT_FOUND']);

/** The fastify app of the dashboard, not yet listening. */
export async function createDashboardApp(
  options: Pick<DashboardOptions, 'storage' | 'cacheMs' | 'host' | 'allowedHosts'>,
): Promise<FastifyInstance> {
  const allowed = allowedHostNames(options.host, options.allowedHosts);
  const data = new StudyData(
    options.storage,
    options.cacheMs === undefined ? {} : { cacheMs: options.cacheMs },
  );
  // forceCloseConnections: closing (Ctrl+C) ends open keep-alive connections at once
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addHook('onRequest', async (request, reply) => {
    const host = hostOfHeader(request.headers.host);
    if (host === undefined || !allowed.has(host)) {
      const names = [...allowed].map(shownHostName).join(', ');
      return reply.code(403).send({
        code: 'HOST_NOT_ALLOWED',
        message: `This dashboard answers to ${names}, not to the host name '${host ?? ''}' this request was sent to (a page of another site may be reading it). If that name is this machine's, start the dashboard with --allowed-host ${host ?? 'NAME'}.`,
      });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      await reply
        .code(405)
        .header('allow', 'GET, HEAD')
        .send({ code: 'METHOD_NOT_ALLOWED', message: 'The dashboard is read-only: GET only.' });
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof HypertunerError) {
      return reply
        .code(NOT_FOUND_CODES.has(error.code) ? 404 : 400)
        .send({ code: error.code, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return reply.code(status).send({ code: 'BAD_REQUEST', message: (error as Error).message });
    return reply
      .code(500)
      .send({ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  });
  await app.register(fastifyStatic, {
    root: publicDir(),
    prefix: '/static/',
    index: false,
    cacheControl: false,
  });
  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').sendFile('index.html'),
  );
  app.get('/vendor/echarts.min.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(echartsBundleText()),
  );
  registerApiRoutes(app, data);
  return app;
}

/** Starts the dashboard; resolves once it listens. */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const app = await createDashboardApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 8080 });
  const address = app.server.address();
  const port =
    typeof address === 'object' && address !== null ? address.port : (options.port ?? 8080);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    app,
    close: () => app.close(),
  };
}
