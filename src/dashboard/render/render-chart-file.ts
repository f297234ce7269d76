/**
 * A chart as a file, for `hypertuner plot`: SVG through ECharts' server-side renderer (no
 * browser), a standalone HTML page with ECharts inlined (works offline), or a PNG screenshot
 * of that page in headless Chromium.
 */
import { extname } from 'node:path';
import * as echarts from 'echarts';
import { HypertunerError } from '../../space/index.js';
import { axisLabelsScript, echartsBundleText, loadAxisLabels } from '../assets.js';
import type { ChartResult } from '../charts/chart-common.js';
import { launchChromium } from './chromium.js';

export const CHART_FILE_FORMATS = ['png', 'svg', 'html'] as const;
export type ChartFileFormat = (typeof CHART_FILE_FORMATS)[number];

/** The format a file name asks for, by its extension. */
export function chartFileFormat(path: string): ChartFileFormat {
  const ext = extname(path).slice(1).toLowerCase();
  const format = CHART_FILE_FORMATS.find((f) => f === ext || (f === 'html' && ext === 'htm'));
  if (format === undefined)
    throw new HypertunerError(
      'PLOT_INVALID_OUT',
      `--out must end in .png, .svg or .html; got '${path}'.`,
      { field: 'out' },
    );
  return format;
}

export interface RenderOptions {
  readonly width?: number;
  readonly height?: number;
  /** The page title (HTML). */
  readonly title?: string;
}

export async function renderSvg(chart: ChartResult, options: RenderOptions = {}): Promise<string> {
  const withAxisLabels = await loadAxisLabels();
  const instance = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: options.width ?? 960,
    height: options.height ?? chart.height,
  });
  try {
    instance.setOption(withAxisLabels(structuredClone(chart.option)));
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** JSON safe inside a <script> element (no `</script>`, no HTML comment openers). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function renderHtml(chart: ChartResult, options: RenderOptions = {}): string {
  const width = options.width ?? 960;
  const height = options.height ?? chart.height;
  const notes = chart.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? 'hypertuner chart')}</title>
<style>body{margin:16px;font-family:system-ui,sans-serif;background:#fff}#chart{width:${width}px;height:${height}px}.note{color:#555;font-size:13px;margin:4px 0}</style>
</head>
<body>
<div id="chart"></div>
${notes}
<script>${echartsBundleText().replace(/<\/script/gi, '<\\/script')}</script>
<script type="application/json" id="chart-option">${jsonForScript(chart.option)}</script>
<script>${axisLabelsScript().replace(/<\/script/gi, '<\\/script')}</script>
<script>
var option = JSON.parse(document.getElementById('chart-option').textContent);
var chart = echarts.init(document.getElementById('chart'), null, { renderer: 'canvas' });
chart.setOption(withAxisLabels(option));
window.addEventListener('resize', function () { chart.resize(); });
document.body.setAttribute('data-rendered', 'true');
</script>
</body>
</html>
`;
}

export async function renderPng(chart: ChartResult, options: RenderOptions = {}): Promise<Buffer> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({
      viewport: {
        width: (options.width ?? 960) + 40,
        height: (options.height ?? chart.height) + 40,
      },
      deviceScaleFactor: 2,
    });
    await page.setContent(renderHtml(chart, options), { waitUntil: 'load' });
    await page.waitForSelector('body[data-rendered="true"]');
    return await page.locator('#chart').screenshot({ type: 'png' });
  } finally {
    await browser.close();
  }
}

/** The chart in `format`: text for SVG and HTML, bytes for PNG. */
export async function renderChartFile(
  chart: ChartResult,
  format: ChartFileFormat,
  options: RenderOptions = {},
): Promise<string | Buffer> {
  switch (format) {
    case 'svg':
      return renderSvg(chart, options);
    case 'html':
      return renderHtml(chart, options);
    case 'png':
      return renderPng(chart, options);
  }
}
