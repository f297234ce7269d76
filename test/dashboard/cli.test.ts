/**
 * `hypertuner plot` (PNG, SVG and standalone HTML files) and `hypertuner dashboard`, run as
 * the CLI in child processes on a SQLite study.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp } from '../../src/dashboard/index.js';
import { jsonForScript } from '../../src/dashboard/render/render-chart-file.js';
import { openStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { XSS_NAME, runCurveStudy } from './fixtures.js';
import { screenshotDirectory } from './screenshots.js';

// the fixture's hostile names: never one of the README's images
const SHOTS = screenshotDirectory({ readme: false });

describe('hypertuner plot and dashboard commands', () => {
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hypertuner-plot-'));
    url = `sqlite:${join(dir, 'studies.db')}`;
    const storage = await openStorage(url);
    await runCurveStudy(storage, 'mlp', 30);
    await storage.close();
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('writes an SVG without a browser and a standalone HTML page with the hostile name escaped', async () => {
    const svg = join(dir, 'history.svg');
    const html = join(dir, 'importance.html');
    const a = await runCli(['plot', 'mlp', '--storage', url, '--kind', 'history', '--out', svg]);
    expect(a.stderr).toContain('wrote');
    expect(a.code).toBe(0);
    const svgText = readFileSync(svg, 'utf8');
    expect(svgText.startsWith('<svg')).toBe(true);
    expect(svgText).toContain('Optimization history: mlp');
    const b = await runCli([
      'plot',
      'mlp',
      '--storage',
      url,
      '--kind',
      'importance',
      '--out',
      html,
    ]);
    expect(b.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<!doctype html>');
    expect(page).not.toContain(XSS_NAME);
    expect(page).toContain(jsonForScript(XSS_NAME).slice(1, -1));
    expect(page).not.toMatch(/<script[^>]+src=/);
  });

  it('writes a PNG through headless chromium', async () => {
    const png = join(dir, 'parallel.png');
    const result = await runCli([
      'plot',
      'mlp',
      '--storage',
      url,
      '--kind',
      'parallel',
      '--out',
      png,
    ]);
    expect(result.stderr).toContain('wrote');
    expect(result.code).toBe(0);
    expect(readFileSync(png).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    copyFileSync(png, join(SHOTS, 'plot-parallel.png'));
  });

  it('rejects an unknown kind or extension, naming the flag', async () => {
    const kind = await runCli([
      'plot',
      'mlp',
      '--storage',
      url,
      '--kind',
      'pie',
      '--out',
      join(dir, 'x.svg'),
    ]);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain(
      "kind must be one of history, intermediate, parallel, slice, contour, importance, pareto; got 'pie'",
    );
    const ext = await runCli(['plot', 'mlp', '--storage', url, '--out', join(dir, 'x.jpg')]);
    expect(ext.code).toBe(1);
    expect(ext.stderr).toContain('--out must end in .png, .svg or .html');
    expect(existsSync(join(dir, 'x.jpg'))).toBe(false);
  });

  describe('the JSON API (fastify inject)', () => {
    let storage: Storage;
    let app: Awaited<ReturnType<typeof createDashboardApp>>;

    beforeAll(async () => {
      storage = await openStorage(url);
      app = await createDashboardApp({ storage, cacheMs: 0 });
    });

    afterAll(async () => {
      await app.close();
      await storage.close();
    });

    async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await app.inject({ method: 'GET', url: path });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    }

    it('answers 400 naming the parameter when a query parameter is repeated', async () => {
      for (const [path, field] of [
        ['/api/trials?study=mlp&status=COMPLETED&status=FAILED', 'status'],
        ['/api/trials?study=mlp&sort=number&sort=status', 'sort'],
        ['/api/trials?study=mlp&q=a&q=b', 'q'],
        ['/api/study?study=mlp&study=other', 'study'],
        ['/api/trial?study=mlp&number=1&number=2', 'number'],
        ['/api/chart?study=mlp&kind=history&kind=slice', 'kind'],
      ] as const) {
        const { status, body } = await get(path);
        expect(status, path).toBe(400);
        expect(body['code'], path).toBe('API_INVALID_PARAMETER');
        expect(body['message'], path).toContain(`'${field}' must be given once`);
      }
      // one value, or several statuses in one parameter, still work
      const ok = await get('/api/trials?study=mlp&status=COMPLETED,PRUNED');
      expect(ok.status).toBe(200);
      expect(ok.body['matching']).toBeGreaterThan(0);
    });

    it('answers 400 for a missing trial number and for limit=0', async () => {
      const noNumber = await get('/api/trial?study=mlp');
      expect(noNumber.status).toBe(400);
      expect(noNumber.body).toEqual({
        code: 'API_MISSING_PARAMETER',
        message: "The query parameter 'number' is required.",
      });
      const zero = await get('/api/trials?study=mlp&limit=0');
      expect(zero.status).toBe(400);
      expect(zero.body).toEqual({
        code: 'API_INVALID_PARAMETER',
        message: "limit must be a whole number >= 1; got '0'.",
      });
      expect((await get('/api/trials?study=mlp&limit=1')).body['rows']).toHaveLength(1);
      expect((await get('/api/trial?study=mlp&number=999')).status).toBe(404);
    });
  });

  it('reports a port in use, a bad port or host and an unwritable --out in one line naming the option, no stack', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const [inUse, badPort, badHost, noFolder] = await Promise.all([
        runCli(['dashboard', '--storage', url, '--port', String(port)]),
        runCli(['dashboard', '--storage', url, '--port', '70000']),
        runCli(['dashboard', '--storage', url, '--port', '0', '--host', '999.1.1.1']),
        runCli(['plot', 'mlp', '--storage', url, '--out', join(dir, 'no-folder', 'p.svg')]),
      ]);
      expect(inUse.stderr).toContain(
        `hypertuner: Port ${port} on 127.0.0.1 is already in use (--port); give another one, or --port 0 for any free port. [PORT_IN_USE]`,
      );
      expect(badPort.stderr).toContain(
        "--port must be a whole number from 0 to 65535, got '70000'. [OPTIONS_INVALID]",
      );
      expect(badHost.stderr).toMatch(/Cannot listen on --host 999\.1\.1\.1 .*\[HOST_INVALID\]/);
      expect(noFolder.stderr).toMatch(
        /Cannot write --out .*p\.svg: its folder does not exist\. \[FILE_NOT_WRITABLE\]/,
      );
      for (const result of [inUse, badPort, badHost, noFolder]) {
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
        expect(result.stdout).toBe('');
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('dashboard and plot refuse a missing SQLite file instead of creating an empty one', async () => {
    const missing = join(dir, 'typo.db');
    const serving = startCli(['dashboard', '--storage', `sqlite:${missing}`, '--port', '0']);
    // were it to serve, stop it: the test then fails on its exit code
    void serving.waitForStderr(/Ctrl\+C to stop/).then(
      () => serving.child.kill('SIGINT'),
      () => undefined,
    );
    const [dashboard, plot] = await Promise.all([
      serving.done,
      runCli(['plot', 'mlp', '--storage', `sqlite:${missing}`, '--out', join(dir, 'p.svg')]),
    ]);
    for (const result of [dashboard, plot]) {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/No SQLite file at '.*typo\.db'.*\[STORAGE_NOT_FOUND\]/);
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'p.svg'))).toBe(false);
  });

  it('serves the dashboard on 127.0.0.1 until interrupted', async () => {
    const cli = startCli(['dashboard', '--storage', url, '--port', '0']);
    let stderr = '';
    cli.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await cli.waitForStderr(/hypertuner dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    const base = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr)?.[1];
    const response = await fetch(`${base}api/studies`);
    const body = (await response.json()) as { studies: { name: string; total: number }[] };
    expect(body.studies).toEqual([expect.objectContaining({ name: 'mlp', total: 30 })]);
    expect((await fetch(`${base}api/studies`, { method: 'POST' })).status).toBe(405);
    cli.child.kill('SIGINT');
    const done = await cli.done;
    expect(done.code).toBe(0);
  });
});
