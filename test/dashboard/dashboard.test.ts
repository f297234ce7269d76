/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core. Checks that
 * each view shows the study's real numbers, that a new trial shows up without a reload, that
 * hostile strings stay text, and that a 10,000-trial study renders quickly. Takes a
 * screenshot of each view (into docs/screenshots/ with `npm run screenshots`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeImportances } from '../../src/analysis/importance.js';
import { startDashboard } from '../../src/dashboard/index.js';
import type { RunningDashboard } from '../../src/dashboard/index.js';
import { CHROMIUM_ARGS } from '../../src/dashboard/render/chromium.js';
import { openStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { paretoFront, rankTrials } from '../../src/trials/index.js';
import { RandomSearchOracle } from '../../src/oracles/index.js';
import { Study } from '../../src/tuner/index.js';
import {
  FAILURE_TEXT,
  GeneratedStorage,
  XSS_CHOICE,
  XSS_NAME,
  runCurveStudy,
  runTwoObjectiveStudy,
} from './fixtures.js';
import { screenshotDirectory } from './screenshots.js';
import { StudiesFileStorage } from './studies-file.js';

const CHROMIUM = '/usr/bin/chromium';
/**
 * Four real studies of `hypertuner example --experiment 2 --tune-learning-rate --compare
 * random,bayesian --seeds 2 --trials 15 --epochs 3 --train-size 4000 --val-size 2000`, written by
 * scripts/dump-studies.ts: the README's screenshots show them.
 */
const EXAMPLE_STUDIES = fileURLToPath(new URL('./data/example-studies.json', import.meta.url));
/** The README's screenshots (docs/screenshots/ with `npm run screenshots`, else a temporary directory). */
const SHOTS = screenshotDirectory();
/** Screenshots of the test fixtures (hostile names): always a temporary directory. */
const FIXTURE_SHOTS = screenshotDirectory({ readme: false });
const STUDY = 'mlp-search';
const PARETO = 'accuracy-vs-latency';
const MAXIMIZE = 'maximize-accuracy';

// The little of the DOM that the functions run in the page use (tsconfig has no DOM lib).
interface PageElement {
  readonly textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare const window: unknown;
type Element = PageElement;

interface EChartsLike {
  getOption(): {
    series: { type: string; name?: string; data: unknown[]; lineStyle?: { type?: string } }[];
    yAxis: { data?: string[]; name?: string }[];
    xAxis: { data?: string[]; name?: string; axisLabel?: { formatter?: unknown } }[];
  };
}

/** The part of an ECharts instance's model the parallel axes' labels are read from. */
interface EChartsAxes {
  getModel(): { getComponent(type: string, index: number): ParallelAxisModel | undefined };
}

interface ParallelAxisModel {
  get(key: 'name'): string;
  readonly axis: { getViewLabels(): { formattedLabel: string; tick: { value: number } }[] };
}

describe('dashboard in chromium', () => {
  let dir: string;
  let storage: Storage;
  let writer: Storage;
  let dashboard: RunningDashboard;
  let big: RunningDashboard;
  let example: RunningDashboard;
  const examples = new StudiesFileStorage(EXAMPLE_STUDIES);
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const notFound: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: the dashboard tests drive Debian's Chromium; run \`apt-get install chromium\` (as root: apt-get update && apt-get install -y chromium).`,
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'hypertuner-dashboard-'));
    const url = `sqlite:${join(dir, 'studies.db')}`;
    writer = await openStorage(url);
    await runCurveStudy(writer, STUDY, 40);
    await runTwoObjectiveStudy(writer, PARETO, 60);
    const maximize = await Study.open({
      storage: writer,
      name: MAXIMIZE,
      objective: [{ name: 'accuracy', direction: 'maximize' }],
      oracle: new RandomSearchOracle({ seed: 5 }),
    });
    await maximize.optimize(({ hp }) => hp.Float('x', { min: 0, max: 1 }), { nTrials: 6 });
    storage = await openStorage(url);
    dashboard = await startDashboard({ storage, port: 0, cacheMs: 0 });
    big = await startDashboard({ storage: new GeneratedStorage('big-study', 10_000), port: 0 });
    example = await startDashboard({ storage: examples, port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await big?.close();
    await example?.close();
    await storage?.close();
    await writer?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function open(hash: string, base = dashboard.url): Promise<void> {
    await page.goto(`${base}?poll=300#${hash}`);
  }

  /** A screenshot of a fixture view; `readme`: one the README shows. */
  async function shot(name: string, readme = false): Promise<void> {
    await page.screenshot({
      path: join(readme ? SHOTS : FIXTURE_SHOTS, `${name}.png`),
      fullPage: true,
    });
  }

  async function chartOption(kind: string): Promise<ReturnType<EChartsLike['getOption']>> {
    return optionOf(`chart-${kind}`);
  }

  /** The ECharts option of the chart in `[data-testid=testId]`, once drawn. */
  async function optionOf(testId: string): Promise<ReturnType<EChartsLike['getOption']>> {
    await page.waitForSelector(`[data-testid="${testId}"] canvas`);
    await page.waitForSelector(`[data-testid="${testId}"][data-fingerprint]`);
    return page.evaluate((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const lib = (window as unknown as { echarts: { getInstanceByDom(el: Element): EChartsLike } })
        .echarts;
      return JSON.parse(JSON.stringify(lib.getInstanceByDom(el as Element).getOption()));
    }, testId);
  }

  /** The labels ECharts lays out on each parallel axis, bottom up: [axis, [value, label][]]. */
  async function parallelLabels(): Promise<[string, [number, string][]][]> {
    await page.waitForSelector('[data-testid="chart-parallel"] canvas');
    return page.evaluate(() => {
      const el = document.querySelector('[data-testid="chart-parallel"]') as Element;
      const lib = (window as unknown as { echarts: { getInstanceByDom(el: Element): EChartsAxes } })
        .echarts;
      const model = lib.getInstanceByDom(el).getModel();
      const out: [string, [number, string][]][] = [];
      for (let i = 0; ; i++) {
        const axis = model.getComponent('parallelAxis', i);
        if (!axis) break;
        out.push([
          axis.get('name'),
          axis.axis.getViewLabels().map((l): [number, string] => [l.tick.value, l.formattedLabel]),
        ]);
      }
      return out;
    });
  }

  async function trials(name = STUDY) {
    const study = await writer.loadStudy(name);
    return writer.getTrials(study?.id ?? -1);
  }

  it('binds to 127.0.0.1 and is read-only', async () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const post = await fetch(`${dashboard.url}api/studies`, { method: 'POST' });
    expect(post.status).toBe(405);
    const del = await fetch(`${dashboard.url}api/study?study=${STUDY}`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    const page404 = await fetch(`${dashboard.url}api/study?study=nope`);
    expect(page404.status).toBe(404);
    const html = await fetch(dashboard.url);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const bundle = await fetch(`${dashboard.url}vendor/echarts.min.js`);
    expect(bundle.status).toBe(200);
  });

  it('has its icon in the page, so the browser asks for no /favicon.ico', async () => {
    await open('/');
    const icon = await page.locator('head link[rel="icon"]').getAttribute('href');
    expect(icon).toMatch(/^data:image\/svg\+xml,/);
  });

  it('lists the studies with counts and the best value from the storage', async () => {
    await open('/');
    await page.waitForSelector('[data-testid="studies-table"]');
    const summaries = await writer.listStudies();
    for (const summary of summaries) {
      const row = page.locator(`tr[data-study="${summary.name}"]`);
      const total = Object.values(summary.trialCounts).reduce((a, b) => a + b, 0);
      expect(await row.locator('[data-testid="study-total"]').textContent()).toBe(String(total));
      expect(await row.locator('[data-status="COMPLETED"]').textContent()).toBe(
        String(summary.trialCounts.COMPLETED),
      );
      expect(await row.locator('[data-status="PRUNED"]').textContent()).toBe(
        String(summary.trialCounts.PRUNED),
      );
      expect(await row.locator('[data-status="FAILED"]').textContent()).toBe(
        String(summary.trialCounts.FAILED),
      );
      if (summary.bestValue !== undefined)
        expect(
          Number(await row.locator('[data-testid="study-best"]').getAttribute('data-value')),
        ).toBe(summary.bestValue);
    }
    await shot('studies');
  });

  it('shows the trials table, sorted and filtered on the server, hostile names as text', async () => {
    const all = await trials();
    const best = rankTrials(all, [{ name: 'val_loss', direction: 'minimize' }])[0];
    await open(`/study/${STUDY}/trials`);
    await page.waitForSelector('[data-testid="trials-table"] tbody tr');
    expect(await page.locator('[data-testid="total-trials"]').textContent()).toBe(
      String(all.length),
    );
    expect(
      Number(await page.locator('[data-testid="best-value"]').getAttribute('data-value')),
    ).toBe(best?.values?.[0]);
    expect(await page.locator('[data-testid="trials-table"] tbody tr').count()).toBe(all.length);
    // the hostile parameter name and choice are shown as text, never parsed
    const headers = await page.locator('[data-testid="trials-table"] thead th').allTextContents();
    expect(headers).toContain(XSS_NAME);
    expect(
      await page.locator('[data-testid="trials-table"] td', { hasText: XSS_CHOICE }).count(),
    ).toBeGreaterThan(0);
    expect(await page.locator('main img, main b, main script').count()).toBe(0);
    await shot('trials');

    // sort by value: the best trial comes first
    await page.locator('th[data-sort="value:0"]').click();
    await page.waitForSelector('th.sorted-asc[data-sort="value:0"]');
    expect(
      await page
        .locator('[data-testid="trials-table"] tbody tr')
        .first()
        .getAttribute('data-trial'),
    ).toBe(String(best?.number));
    // filter by status
    await page.selectOption('[data-testid="status-filter"]', 'FAILED');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="trials-table"] tbody tr .status')].every(
        (s) => s.textContent === 'FAILED',
      ),
    );
    expect(await page.locator('[data-testid="trials-table"] tbody tr').count()).toBe(
      all.filter((t) => t.status === 'FAILED').length,
    );
  });

  it('sorts the values of a maximized objective best first on the first click', async () => {
    const best = rankTrials(await trials(MAXIMIZE), [{ name: 'accuracy', direction: 'maximize' }]);
    await open(`/study/${MAXIMIZE}/trials`);
    await page.waitForSelector('[data-testid="trials-table"] tbody tr');
    await page.locator('th[data-sort="value:0"]').click();
    await page.waitForSelector(
      'th.sorted-asc[data-sort="value:0"], th.sorted-desc[data-sort="value:0"]',
    );
    expect(
      await page
        .locator('[data-testid="trials-table"] tbody tr')
        .first()
        .getAttribute('data-trial'),
    ).toBe(String(best[0]?.number));
  });

  it('plots the optimization history with the best value so far', async () => {
    const all = await trials();
    const completed = all.filter((t) => t.status === 'COMPLETED');
    const best = rankTrials(all, [{ name: 'val_loss', direction: 'minimize' }])[0];
    await open(`/study/${STUDY}/history`);
    const option = await chartOption('history');
    const scatter = option.series.find((s) => s.type === 'scatter');
    const line = option.series.find((s) => s.name === 'best so far');
    expect(scatter?.data.length).toBe(completed.length);
    expect((line?.data.at(-1) as number[])[1]).toBe(best?.values?.[0]);
    expect(await page.locator('[data-testid="chart-notes"]').textContent()).toContain(
      `trial ${best?.number}`,
    );
    await shot('history');
  });

  it('plots the learning curves with the pruned trials marked', async () => {
    const all = await trials();
    await open(`/study/${STUDY}/intermediate`);
    const option = await chartOption('intermediate');
    expect(option.series.length).toBe(all.filter((t) => t.intermediate.length > 0).length);
    const pruned = option.series.filter((s) => s.lineStyle?.type === 'dashed');
    expect(pruned.length).toBe(all.filter((t) => t.status === 'PRUNED').length);
    expect(pruned.length).toBeGreaterThan(0);
    await shot('intermediate');
  });

  it('plots parallel coordinates and slices of every parameter', async () => {
    const all = await trials();
    const completed = all.filter((t) => t.status === 'COMPLETED');
    await open(`/study/${STUDY}/parallel`);
    const parallel = await chartOption('parallel');
    expect(parallel.series[0]?.data.length).toBe(completed.length);
    await shot('parallel');
    await open(`/study/${STUDY}/slice`);
    const slice = await chartOption('slice');
    expect(slice.series.map((s) => s.name)).toEqual([
      'learning_rate',
      'units',
      'activation',
      'dropout',
      XSS_NAME,
    ]);
    expect(slice.series[0]?.data.length).toBe(completed.length);
    // numeric axes get the short-number label formatter (public/js/axis-labels.js)
    const formatter = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="chart-slice"]');
      const lib = (window as unknown as { echarts: { getInstanceByDom(el: Element): EChartsLike } })
        .echarts;
      return typeof lib.getInstanceByDom(el as Element).getOption().xAxis[0]?.axisLabel?.formatter;
    });
    expect(formatter).toBe('function');
    await shot('slice');
  });

  it('shows importances equal to the ones computed from the storage, and a contour plot', async () => {
    const study = await writer.loadStudy(STUDY);
    const expected = computeImportances(study?.space.parameters ?? [], await trials(), { seed: 0 });
    await open(`/study/${STUDY}/importance`);
    const option = await chartOption('importance');
    const names = option.yAxis[0]?.data ?? [];
    expect([...names].reverse()).toEqual(expected.importances.map((i) => i.name));
    expect([...(option.series[0]?.data as number[])].reverse()).toEqual(
      expected.importances.map((i) => Number(i.importance.toFixed(4))),
    );
    expect(expected.importances[0]?.name).toBe('learning_rate');
    await shot('importance');
    await open(`/study/${STUDY}/contour`);
    const contour = await chartOption('contour');
    expect(contour.series[0]?.type).toBe('heatmap');
    // learning_rate (continuous: 30 cells) against units (16 grid values: one cell each)
    expect(contour.xAxis[0]?.data?.length).toBe(30);
    expect(contour.yAxis[0]?.data).toEqual(
      Array.from({ length: 16 }, (_, k) => String(16 * (k + 1))),
    );
    expect(contour.series[0]?.data.length).toBe(30 * 16);
    await page.selectOption('[data-testid="contour-y"]', 'units');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="chart-notes"]')?.textContent?.includes('Colour'),
    );
    await shot('contour');
    // only y chosen, as the most important parameter: x falls back to the next one
    await page.selectOption('[data-testid="contour-y"]', 'learning_rate');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="chart-contour"]');
      const lib = (window as unknown as { echarts: { getInstanceByDom(el: Element): EChartsLike } })
        .echarts;
      return lib.getInstanceByDom(el as Element).getOption().yAxis[0]?.name === 'learning_rate';
    });
    const fallback = await chartOption('contour');
    expect(fallback.xAxis[0]?.name).toBe(expected.importances[1]?.name);
    // an error (the same parameter twice) clears the chart, which no longer matches the controls
    await page.selectOption('[data-testid="contour-x"]', 'learning_rate');
    await page.waitForSelector('[data-testid="chart-notes"] .error-banner');
    expect(await page.locator('[data-testid="chart-notes"]').textContent()).toContain(
      'two different parameters',
    );
    const series = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="chart-contour"]');
      const lib = (window as unknown as { echarts: { getInstanceByDom(el: Element): EChartsLike } })
        .echarts;
      return lib.getInstanceByDom(el as Element).getOption().series?.length ?? 0;
    });
    expect(series).toBe(0);
  });

  it('shows the Pareto front of a two-objective study', async () => {
    const all = await trials(PARETO);
    const objectives = (await writer.loadStudy(PARETO))?.objectives ?? [];
    await open(`/study/${PARETO}/pareto`);
    const option = await chartOption('pareto');
    const front = option.series.find((s) => s.name === 'Pareto front');
    expect(front?.data.length).toBe(paretoFront(all, objectives).length);
    expect(await page.locator('[data-testid="pareto-size"]').textContent()).toBe(
      `${paretoFront(all, objectives).length} trials`,
    );
    await shot('pareto', true);
  });

  it("shows a trial's parameters, metrics per epoch and the error text of a failed one", async () => {
    const all = await trials();
    const failed = all.find((t) => t.status === 'FAILED');
    const done = rankTrials(all, [{ name: 'val_loss', direction: 'minimize' }])[0];
    await open(`/study/${STUDY}/trial/${failed?.number}`);
    await page.waitForSelector('[data-testid="trial-error"]');
    expect(await page.locator('[data-testid="trial-error"]').textContent()).toBe(failed?.error);
    expect(failed?.error).toContain(FAILURE_TEXT);
    expect(await page.locator('[data-testid="trial-status"]').textContent()).toBe('FAILED');
    await shot('trial-failed');
    await open(`/study/${STUDY}/trial/${done?.number}`);
    await page.waitForSelector('[data-testid="trial-steps"]');
    expect(await page.locator('[data-testid="trial-steps"] tbody tr').count()).toBe(
      done?.intermediate.length,
    );
    expect(await page.locator('[data-testid="trial-params"] .k').allTextContents()).toContain(
      XSS_NAME,
    );
    await page.waitForSelector('[data-testid="trial-chart"] canvas');
    await shot('trial');
  });

  it('shows a trial added while the page is open without a reload', async () => {
    await open(`/study/${STUDY}/history`);
    await chartOption('history');
    const before = (await trials()).length;
    const marker = await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
      return document.querySelector('[data-testid="total-trials"]')?.textContent;
    });
    expect(marker).toBe(String(before));
    await runCurveStudy(writer, STUDY, 1);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="total-trials"]')?.textContent === String(n),
      before + 1,
      { timeout: 10_000 },
    );
    // the history chart was refreshed too, and the page was not reloaded
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  it('renders a 10,000-trial study quickly', async () => {
    const timings: Record<string, number> = {};
    for (const view of ['trials', 'history', 'parallel', 'importance']) {
      const started = Date.now();
      await page.goto(`${big.url}#/study/big-study/${view}`);
      await page.waitForSelector(
        view === 'trials'
          ? '[data-testid="trials-table"] tbody tr'
          : `[data-testid="chart-${view}"][data-fingerprint] canvas`,
      );
      timings[view] = Date.now() - started;
      if (view === 'history') await shot('history-10k', true);
    }
    process.stderr.write(
      `10,000-trial study render times (ms, cold server caches): ${JSON.stringify(timings)}\n`,
    );
    for (const ms of Object.values(timings)) expect(ms).toBeLessThan(10_000);
    expect(await page.locator('[data-testid="total-trials"]').textContent()).toBe('10000');
  });

  it('README screenshots: every view of a real `hypertuner example` study, with its numbers', async () => {
    const name = examples.names.find((n) => n.endsWith('-bayesian-seed1')) as string;
    const trials = examples.trialsOf(name);
    const record = await examples.loadStudy(name);
    if (record === undefined) throw new Error(`${name} is missing from ${EXAMPLE_STUDIES}`);
    const best = rankTrials(trials, record.objectives)[0];
    const study = `/study/${encodeURIComponent(name)}`;
    await open(`${study}/trials`, example.url);
    await page.waitForSelector('[data-testid="trials-table"] tbody tr');
    expect(
      Number(await page.locator('[data-testid="best-value"]').getAttribute('data-value')),
    ).toBe(best?.values?.[0]);
    await shot('trials', true);
    await open(`${study}/history`, example.url);
    const history = await chartOption('history');
    const line = history.series.find((s) => s.name === 'best so far');
    expect((line?.data.at(-1) as number[])[1]).toBe(best?.values?.[0]);
    await shot('history', true);
    await open(`${study}/intermediate`, example.url);
    const curves = await chartOption('intermediate');
    expect(curves.series.length).toBe(trials.filter((t) => t.intermediate.length > 0).length);
    await shot('intermediate', true);
    await open(`${study}/parallel`, example.url);
    const parallel = (await chartOption('parallel')) as unknown as {
      visualMap: { min: number; max: number; precision: number }[];
    };
    const legend = parallel.visualMap[0];
    // the legend's ends read as the objective's range, not both as "1"
    expect(legend?.min.toFixed(legend.precision)).not.toBe(legend?.max.toFixed(legend.precision));
    // the conditional widths' axes: "(inactive)" at the bottom, and no number below the lowest
    // width a trial had (no "0" above "(inactive)")
    const drawn = await parallelLabels();
    for (const param of ['units_2', 'units_3']) {
      const widths = trials.flatMap((t): number[] => {
        const width = t.params[param];
        return t.status === 'COMPLETED' && typeof width === 'number' ? [width] : [];
      });
      expect(widths.length, param).toBeGreaterThan(0);
      const labels = drawn.find(([axis]) => axis === param)?.[1] ?? [];
      expect(labels[0]?.[1], param).toBe('(inactive)');
      expect(labels.length, param).toBeGreaterThan(2);
      for (const [value, label] of labels.slice(1)) {
        expect(label, param).not.toBe('(inactive)');
        expect(value, `${param}: the tick '${label}'`).toBeGreaterThanOrEqual(Math.min(...widths));
      }
    }
    await shot('parallel', true);
    await open(`${study}/slice`, example.url);
    await chartOption('slice');
    await shot('slice', true);
    await open(`${study}/contour`, example.url);
    await chartOption('contour');
    await shot('contour', true);
    await open(`${study}/importance`, example.url);
    const expected = computeImportances(record.space.parameters, trials, { seed: 0 });
    const importance = await chartOption('importance');
    expect([...(importance.yAxis[0]?.data ?? [])].reverse()).toEqual(
      expected.importances.map((i) => i.name),
    );
    // the conditional widths of layers 3 and 4 are there, and the note says how
    expect(importance.yAxis[0]?.data).toEqual(expect.arrayContaining(['units_2', 'units_3']));
    expect(await page.locator('[data-testid="chart-notes"]').textContent()).toContain(
      'Conditional parameters',
    );
    await shot('importance', true);
    await open(`${study}/trial/${best?.number}`, example.url);
    await page.waitForSelector('[data-testid="trial-chart"] canvas');
    await shot('trial', true);
  });

  it('compares studies: histories overlaid, best trials side by side, importances next to each other', async () => {
    const names = examples.names;
    await open('/', example.url);
    await page.waitForSelector('[data-testid="studies-table"]');
    const button = page.locator('[data-testid="compare-button"]');
    expect(await button.isDisabled()).toBe(true);
    for (const name of names)
      await page.locator(`tr[data-study="${name}"] [data-testid="compare-pick"]`).check();
    expect(await button.textContent()).toBe(`Compare ${names.length} studies`);
    await shot('studies', true);
    await button.click();
    await page.waitForSelector('[data-testid="compare-title"]');
    expect(await page.locator('[data-testid="compare-title"]').textContent()).toBe(
      `Comparing ${names.length} studies`,
    );
    const bests = await Promise.all(
      names.map(async (name) => {
        const record = await examples.loadStudy(name);
        return rankTrials(examples.trialsOf(name), record?.objectives ?? [])[0];
      }),
    );
    const history = await optionOf('compare-history');
    const lines = history.series.filter((s) => s.type === 'line');
    expect(lines.map((s) => s.name)).toEqual(names);
    lines.forEach((line, i) =>
      expect((line.data.at(-1) as number[])[1]).toBe(bests[i]?.values?.[0]),
    );
    const header = await page
      .locator('[data-testid="compare-table"] thead th[data-study]')
      .allTextContents();
    expect(header).toEqual(names);
    const cells = await page
      .locator('[data-testid="compare-best-values"] td')
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    expect(cells).toEqual(bests.map((b) => b?.values?.[0]));
    const importance = await optionOf('compare-importance');
    const categories = importance.yAxis[0]?.data ?? [];
    expect(importance.series.map((s) => s.name)).toEqual(names);
    for (const [i, name] of names.entries()) {
      const record = await examples.loadStudy(name);
      const expected = computeImportances(record?.space.parameters ?? [], examples.trialsOf(name), {
        seed: 0,
      });
      const by = new Map(
        expected.importances.map((p) => [p.name, Number(p.importance.toFixed(4))]),
      );
      expect(importance.series[i]?.data).toEqual(categories.map((c) => by.get(c) ?? null));
    }
    await shot('compare', true);
    // the API names a bad list, and a missing study
    const one = await fetch(`${example.url}api/compare?studies=${encodeURIComponent('["x"]')}`);
    expect(one.status).toBe(400);
    expect(await one.json()).toMatchObject({ code: 'API_INVALID_PARAMETER' });
    const missing = await fetch(
      `${example.url}api/compare?studies=${encodeURIComponent(JSON.stringify([names[0], 'nope']))}`,
    );
    expect(missing.status).toBe(404);
  });

  it('never ran script from the study data, and asked for nothing missing', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(notFound).toEqual([]);
  });
});
