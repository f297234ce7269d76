/**
 * `hypertuner import <file> --format optuna-journal [--study NAME]`: a study of an Optuna
 * journal file (`JournalStorage(JournalFileStorage(path))`, written by Optuna or exported by
 * us and continued in Python) into a storage, so that a search continues from its trials.
 * What has no place in hypertuner is listed, not silently dropped.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { importOptunaJournal, redactStorageUrl, terminalText } from '../../storage/index.js';
import { isSystemError } from '../errors.js';
import { plural } from '../../plural.js';
import { storageUrlOf } from '../storage-flag.js';

const FORMATS = ['optuna-journal'] as const;

interface ImportFlags {
  readonly storage?: string;
  readonly format: string;
  readonly study?: string;
  readonly toName?: string;
  readonly objectives?: string;
  readonly json?: boolean;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import <file>')
    .description('add a study of an Optuna journal file to a storage')
    .option(
      '--storage <url>',
      'storage to import into (default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option('--format <format>', FORMATS.join(' | '), 'optuna-journal')
    .option('--study <name>', 'the study of the file to import (needed when it holds several)')
    .option('--to-name <name>', 'its name in the storage (default: its name in the file)')
    .option(
      '--objectives <names>',
      "objective names, comma-separated, one a direction (default: the file's, else value)",
    )
    .option('--json', 'print JSON')
    .action(async (file: string, flags: ImportFlags) => {
      if (!FORMATS.some((f) => f === flags.format)) {
        throw new HypertunerError(
          'OPTIONS_INVALID',
          `--format must be one of ${FORMATS.join(', ')}; got '${flags.format}'.`,
          { field: 'format' },
        );
      }
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        if (!isSystemError(error)) throw error;
        throw new HypertunerError(
          'IMPORT_INVALID_FILE',
          `Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`,
          { field: 'file', cause: error },
        );
      });
      // the file is read before the storage is opened: a bad file leaves no new database
      const url = storageUrlOf(flags.storage);
      const result = await importOptunaJournal(url, text, {
        ...(flags.study === undefined ? {} : { study: flags.study }),
        ...(flags.toName === undefined ? {} : { toName: flags.toName }),
        ...(flags.objectives === undefined
          ? {}
          : { objectives: flags.objectives.split(',').map((n) => n.trim()) }),
      });
      const summary = {
        study: result.study.name,
        storage: redactStorageUrl(url),
        trials: result.trials,
        notes: result.notes,
      };
      process.stdout.write(
        flags.json === true
          ? `${JSON.stringify(summary, null, 2)}\n`
          : [
              // names in the notes come from the file: shown with control characters escaped
              `Imported study '${terminalText(summary.study)}' (${plural(summary.trials, 'trial')}) from ${terminalText(file)} into ${summary.storage}.`,
              ...summary.notes.map((note) => `note: ${terminalText(note)}`),
              '',
            ].join('\n'),
      );
    });
}
