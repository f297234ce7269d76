/**
 * `hypertuner studies`, `trials <study>` and `best <study>`: read a storage, print tables or JSON.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  HypertunerError,
  defaultStorageUrl,
  openStorage,
  parseStorageUrl,
  rankTrials,
} from '../../index.js';
import type { Storage, StudyRecord } from '../../index.js';
import { studiesTable, trialsTable } from '../format.js';

interface StorageFlags {
  readonly storage?: string;
  readonly json?: boolean;
}

async function withStorage<T>(
  flags: StorageFlags,
  body: (storage: Storage) => Promise<T>,
): Promise<T> {
  const url = flags.storage ?? defaultStorageUrl();
  const parsed = parseStorageUrl(url);
  // reading commands never create a database
  if (parsed.kind === 'sqlite' && parsed.path !== ':memory:' && !existsSync(parsed.path)) {
    throw new HypertunerError(
      'STORAGE_NOT_FOUND',
      `No SQLite file at '${parsed.path}' (--storage ${url}); give the --storage of an existing study.`,
      { field: 'storage' },
    );
  }
  const storage = await openStorage(url);
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

async function requireStudy(storage: Storage, name: string): Promise<StudyRecord> {
  const study = await storage.loadStudy(name);
  if (study === undefined) {
    const names = (await storage.listStudies()).map((s) => s.name);
    throw new HypertunerError(
      'STUDY_NOT_FOUND',
      `No study called '${name}' in ${storage.url}; studies there: ${names.join(', ') || '(none)'}.`,
      { field: 'study' },
    );
  }
  return study;
}

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

export function registerInspectCommands(program: Command): void {
  program
    .command('studies')
    .description('list the studies in a storage')
    .option('--storage <url>', 'storage URL (sqlite:path.db, postgres://...)')
    .option('--json', 'print JSON')
    .action(async (flags: StorageFlags) => {
      await withStorage(flags, async (storage) => {
        const studies = await storage.listStudies();
        print(
          flags.json === true
            ? studies.map(({ space: _space, ...rest }) => rest)
            : studiesTable(studies),
        );
      });
    });

  program
    .command('trials <study>')
    .description("list a study's trials")
    .option('--storage <url>', 'storage URL')
    .option(
      '--status <status>',
      'only trials with this status (COMPLETED, RUNNING, PRUNED, FAILED, WAITING)',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, flags: StorageFlags & { status?: string }) => {
      await withStorage(flags, async (storage) => {
        const study = await requireStudy(storage, name);
        let trials = await storage.getTrials(study.id);
        if (flags.status !== undefined)
          trials = trials.filter((t) => t.status === flags.status?.toUpperCase());
        print(flags.json === true ? trials : trialsTable(trials));
      });
    });

  program
    .command('best <study>')
    .description('the best trial(s) of a study (the Pareto front for several objectives)')
    .option('--storage <url>', 'storage URL')
    .option('-n, --top <n>', 'how many', '1')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: StorageFlags & { top: string }) => {
      await withStorage(flags, async (storage) => {
        const study = await requireStudy(storage, name);
        const top = Number(flags.top);
        if (!Number.isInteger(top) || top < 1)
          throw new HypertunerError(
            'OPTIONS_INVALID',
            `--top must be a whole number >= 1, got '${flags.top}'.`,
            { field: 'top' },
          );
        const ranked = rankTrials(await storage.getTrials(study.id), study.objectives);
        const best = study.objectives.length > 1 ? ranked : ranked.slice(0, top);
        print(flags.json === true ? best : trialsTable(best));
      });
    });
}
