/**
 * `hypertuner export <study> --format csv|jsonl|optuna-journal --out FILE|-`: a study's trials
 * as a table shaped like Optuna's `trials_dataframe()` (CSV per RFC 4180, or JSON lines), or as
 * an Optuna journal file that Optuna's `JournalStorage(JournalFileStorage(path))` opens.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import {
  buildTrialsTable,
  optunaJournalOf,
  terminalText,
  trialsTableCsv,
  trialsTableJsonl,
} from '../../storage/index.js';
import type { TableAttr } from '../../storage/index.js';
import { writeFileError } from '../errors.js';
import { openExistingStorage, requireStudy } from '../storage-flag.js';

const FORMATS = ['csv', 'jsonl', 'optuna-journal'] as const;
type ExportFormat = (typeof FORMATS)[number];

interface ExportFlags {
  readonly storage?: string;
  readonly format: string;
  readonly out: string;
  readonly attrs?: string;
}

function parseFormat(text: string): ExportFormat {
  const format = FORMATS.find((f) => f === text);
  if (format === undefined)
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--format must be one of ${FORMATS.join(', ')}; got '${text}'.`,
      { field: 'format' },
    );
  return format;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export <study>')
    .description("write a study's trials to a file: a table (csv, jsonl) or an Optuna journal")
    .option(
      '--storage <url>',
      'storage URL (default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option('--format <format>', `${FORMATS.join(' | ')}`, 'csv')
    .option('--out <file>', "where to write ('-': stdout)", '-')
    .option(
      '--attrs <list>',
      "csv, jsonl: the trial attributes, comma-separated (as Optuna's trials_dataframe attrs)",
    )
    .action(async (name: string, flags: ExportFlags) => {
      const format = parseFormat(flags.format);
      const storage = await openExistingStorage(flags.storage);
      let text: string;
      try {
        const study = await requireStudy(storage, name);
        const trials = await storage.getTrials(study.id);
        if (format === 'optuna-journal') {
          const journal = optunaJournalOf(study, trials);
          // what Optuna sees otherwise than we do: said on stderr, the file goes on stdout
          for (const note of journal.notes)
            process.stderr.write(`hypertuner: note: ${terminalText(note)}\n`);
          text = journal.text;
        } else {
          const attrs = flags.attrs?.split(',').map((a) => a.trim() as TableAttr);
          const table = buildTrialsTable(study, trials, {
            ...(attrs === undefined ? {} : { attrs }),
          });
          text = format === 'csv' ? trialsTableCsv(table) : trialsTableJsonl(table);
        }
      } finally {
        await storage.close();
      }
      if (flags.out === '-') {
        process.stdout.write(text);
        return;
      }
      // an Optuna journal may hold other studies: never written over
      const flag = format === 'optuna-journal' ? 'wx' : 'w';
      await writeFile(flags.out, text, { flag }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new HypertunerError(
            'FILE_NOT_WRITABLE',
            `Cannot write --out ${flags.out}: it exists, and an Optuna journal file may hold other studies; remove it or choose another file.`,
            { field: 'out', cause: error },
          );
        }
        throw writeFileError(error, flags.out, 'out');
      });
    });
}
