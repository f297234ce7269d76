/**
 * `hypertuner plot` (PNG, SVG and standalone HTML files) and `hypertuner dashboard`, run as
 * the CLI in child processes on a SQLite study.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonForScript } from '../../src/dashboard/render/render-chart-file.js';
import { openStorage } from '../../src/storage/index.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { XSS_NAME, runCurveStudy } from './fixtures.js';
import { screenshotDirectory } from './screenshots.js';

const SHOTS = screenshotDirectory();

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
