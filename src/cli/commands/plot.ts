/**
 * `hypertuner plot <study> --kind history --out history.png`: one dashboard chart as a file
 * (PNG through headless Chromium, SVG through ECharts' server-side renderer, or a standalone
 * HTML page).
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { writeFileError } from '../errors.js';
import { openExistingStorage } from '../storage-flag.js';
import { parseWholeNumber } from '../parse.js';

interface PlotFlags {
  readonly storage?: string;
  readonly kind: string;
  readonly out?: string;
  readonly objective: string;
  readonly x?: string;
  readonly y?: string;
  readonly width: string;
  readonly height?: string;
}

export function registerPlotCommand(program: Command): void {
  program
    .command('plot <study>')
    .description("write one of a study's charts to a .png, .svg or .html file")
    .option(
      '--storage <url>',
      'storage URL (sqlite:path.db, postgres://...; default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option(
      '--kind <kind>',
      'history, importance, parallel, slice, contour, intermediate or pareto',
      'history',
    )
    .option('--out <file>', 'file to write: .png (needs chromium), .svg or .html')
    .option('--objective <i>', 'index of the objective to plot', '0')
    .option('--x <name>', 'contour: parameter on x; pareto: objective index on x')
    .option('--y <name>', 'contour: parameter on y; pareto: objective index on y')
    .option('--width <px>', 'width in pixels', '960')
    .option('--height <px>', "height in pixels (default: the chart kind's own)")
    .action(async (name: string, flags: PlotFlags) => {
      if (flags.out === undefined)
        throw new HypertunerError(
          'OPTIONS_INVALID',
          '--out is required: a file ending in .png, .svg or .html.',
          { field: 'out' },
        );
      const out = flags.out;
      const dashboard = await import('../../dashboard/index.js');
      const kind = dashboard.parseChartKind(flags.kind, 'kind');
      const format = dashboard.chartFileFormat(out);
      const objective = parseWholeNumber(flags.objective, 'objective', 0);
      const width = parseWholeNumber(flags.width, 'width', 100);
      const height =
        flags.height === undefined ? undefined : parseWholeNumber(flags.height, 'height', 100);
      const storage = await openExistingStorage(flags.storage);
      try {
        const data = new dashboard.StudyData(storage);
        const snapshot = await data.snapshot(name);
        const chart = dashboard.buildChart(data, snapshot, {
          kind,
          objective,
          ...(flags.x === undefined ? {} : { x: flags.x }),
          ...(flags.y === undefined ? {} : { y: flags.y }),
        });
        const file = await dashboard.renderChartFile(chart, format, {
          width,
          ...(height === undefined ? {} : { height }),
          title: `${kind}: ${name}`,
        });
        await writeFile(out, file).catch((error: unknown) => {
          throw writeFileError(error, out, 'out');
        });
        process.stderr.write(`hypertuner plot: wrote ${out} (${kind} of '${name}')\n`);
        for (const note of chart.notes) process.stderr.write(`  ${note}\n`);
      } finally {
        await storage.close();
      }
    });
}
