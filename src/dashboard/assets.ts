/**
 * Where the dashboard's files are: the static page (`src/dashboard/public`, also shipped in the
 * package) and ECharts' minified bundle, served from node_modules (nothing from a CDN).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HypertunerError } from '../space/index.js';
import type { ChartOption } from './charts/chart-common.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The folder of the static page (next to this file in src/, or src/dashboard/public from dist/). */
export function publicDir(): string {
  const candidates = [join(here, 'public'), join(here, '..', '..', 'src', 'dashboard', 'public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (found === undefined)
    throw new HypertunerError(
      'DASHBOARD_ASSETS_MISSING',
      `The dashboard page was not found in ${candidates.join(' or ')}.`,
      { field: 'dashboard' },
    );
  return found;
}

let echartsBundle: string | undefined;

/** The text of ECharts' minified browser bundle (echarts/dist/echarts.min.js). */
export function echartsBundleText(): string {
  if (echartsBundle === undefined) {
    const main = createRequire(import.meta.url).resolve('echarts');
    echartsBundle = readFileSync(join(dirname(main), 'echarts.min.js'), 'utf8');
  }
  return echartsBundle;
}

const AXIS_LABELS = ['js', 'axis-labels.js'] as const;

/** The page's `withAxisLabels` (public/js/axis-labels.js), for rendering charts in Node. */
export async function loadAxisLabels(): Promise<(option: ChartOption) => ChartOption> {
  const url = pathToFileURL(join(publicDir(), ...AXIS_LABELS)).href;
  const module = (await import(url)) as { withAxisLabels: (option: ChartOption) => ChartOption };
  return module.withAxisLabels;
}

/** public/js/axis-labels.js as a classic script (for a standalone page). */
export function axisLabelsScript(): string {
  return readFileSync(join(publicDir(), ...AXIS_LABELS), 'utf8').replace(/^export /gm, '');
}
