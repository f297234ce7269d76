/**
 * `hypertuner studies`, `trials <study>` and `best <study>`: read a storage, print tables or JSON.
 */
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { TRIAL_STATUSES, rankTrials } from '../../trials/index.js';
import type { Storage, TrialStatus } from '../../index.js';
import type { CorruptRecord } from '../../storage/index.js';
import { damagedRowsError, openExistingStorage, requireStudy } from '../storage-flag.js';
import { studiesTable, trialsTable } from '../format.js';

interface StorageFlags {
  readonly storage?: string;
  readonly json?: boolean;
}

async function withStorage<T>(
  flags: StorageFlags,
  body: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openExistingStorage(flags.storage);
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

function parseStatus(text: string): TrialStatus {
  const status = TRIAL_STATUSES.find((s) => s === text.trim().toUpperCase());
  if (status === undefined)
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--status must be one of ${TRIAL_STATUSES.join(', ')}, got '${text}'.`,
      { field: 'status' },
    );
  return status;
}

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

export function registerInspectCommands(program: Command): void {
  program
    .command('studies')
    .description('list the studies in a storage')
    .option(
      '--storage <url>',
      'storage URL (sqlite:path.db, postgres://...; default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option('--json', 'print JSON')
    .action(async (flags: StorageFlags) => {
      await withStorage(flags, async (storage) => {
        // what can be read is listed; a damaged study is then one error line (exit 1)
        const damaged: CorruptRecord[] = [];
        const studies = await storage.listStudies({ onCorrupt: (r) => damaged.push(r) });
        print(
          flags.json === true
            ? studies.map(({ space: _space, ...rest }) => rest)
            : studiesTable(studies),
        );
        if (damaged.length > 0) throw damagedRowsError(damaged);
      });
    });

  program
    .command('trials <study>')
    .description("list a study's trials")
    .option(
      '--storage <url>',
      'storage URL (default: $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option('--status <status>', `only trials with this status (${TRIAL_STATUSES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (name: string, flags: StorageFlags & { status?: string }) => {
      const status = flags.status === undefined ? undefined : parseStatus(flags.status);
      await withStorage(flags, async (storage) => {
        const study = await requireStudy(storage, name);
        // the readable trials are listed, the damaged ones marked; then one error line (exit 1)
        const damaged: CorruptRecord[] = [];
        let trials = await storage.getTrials(study.id, { onCorrupt: (r) => damaged.push(r) });
        if (status !== undefined) trials = trials.filter((t) => t.status === status);
        print(flags.json === true ? trials : trialsTable(trials, damaged));
        if (damaged.length > 0) throw damagedRowsError(damaged);
      });
    });

  program
    .command('best <study>')
    .description('the best trial(s) of a study (the Pareto front for several objectives)')
    .option(
      '--storage <url>',
      'storage URL (default: $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
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
        // the best of the readable trials; a damaged one may have been better: one error line
        const damaged: CorruptRecord[] = [];
        const trials = await storage.getTrials(study.id, { onCorrupt: (r) => damaged.push(r) });
        const ranked = rankTrials(trials, study.objectives);
        const best = study.objectives.length > 1 ? ranked : ranked.slice(0, top);
        print(flags.json === true ? best : trialsTable(best));
        if (damaged.length > 0) throw damagedRowsError(damaged, 'the best of the others is shown');
      });
    });
}
