/**
 * `hypertuner importance <study>`: the fANOVA importances of a study's parameters, the numbers
 * the dashboard's importance chart draws, as a table or `--json`.
 */
import type { Command } from 'commander';
import { studyImportances } from '../../analysis/index.js';
import { formatNumber } from '../format.js';
import { openExistingStorage, requireStudy } from '../storage-flag.js';

interface ImportanceFlags {
  readonly storage?: string;
  readonly objective?: string;
  readonly params?: string;
  readonly json?: boolean;
}

export function registerImportanceCommand(program: Command): void {
  program
    .command('importance <study>')
    .description("the fANOVA importances of a study's parameters (as the dashboard draws them)")
    .option(
      '--storage <url>',
      'storage URL (default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option('--objective <name|index>', 'the objective (default: the first)')
    .option('--params <names>', 'only these parameters, comma-separated')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ImportanceFlags) => {
      const storage = await openExistingStorage(flags.storage);
      try {
        const study = await requireStudy(storage, name);
        const objective =
          flags.objective === undefined || !/^\d+$/.test(flags.objective)
            ? flags.objective
            : Number(flags.objective);
        const result = studyImportances(study, await storage.getTrials(study.id), {
          ...(objective === undefined ? {} : { objective }),
          ...(flags.params === undefined
            ? {}
            : { params: flags.params.split(',').map((p) => p.trim()) }),
        });
        if (flags.json === true) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        if (result.trialsUsed < 2 || result.importances.length === 0) {
          process.stdout.write(
            `No importances for '${result.objective}' of study '${name}': they need at least two completed trials with a value and a parameter that varies (${result.trialsUsed} used).\n`,
          );
          return;
        }
        const width = Math.max(...result.importances.map((i) => i.name.length));
        const lines = result.importances.map(
          (i) =>
            `${i.name.padEnd(width)}  ${formatNumber(Number(i.importance.toFixed(4))).padStart(6)}  ${'#'.repeat(Math.round(i.importance * 40))}`,
        );
        process.stdout.write(
          `Importances for '${result.objective}' (fANOVA, ${result.trialsUsed} completed trials):\n${lines.join('\n')}\n`,
        );
      } finally {
        await storage.close();
      }
    });
}
