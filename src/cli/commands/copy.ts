/**
 * `hypertuner copy <study> --from URL --to URL`: a study with its trials (numbers, states,
 * values, intermediate values, attributes, times) and its database artifacts, from one storage
 * to another (SQLite to PostgreSQL and back, or within one under --to-name).
 */
import type { Command } from 'commander';
import { copyStudy, openStorage, redactStorageUrl } from '../../storage/index.js';
import { plural } from '../../plural.js';
import { openExistingStorage } from '../storage-flag.js';

interface CopyFlags {
  readonly from?: string;
  readonly to: string;
  readonly toName?: string;
  readonly artifacts: boolean;
  readonly json?: boolean;
}

export function registerCopyCommand(program: Command): void {
  program
    .command('copy <study>')
    .description('copy a study, its trials and artifacts to another storage')
    .option(
      '--from <url>',
      'storage to copy from (default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db); must exist',
    )
    .requiredOption('--to <url>', 'storage to copy into (sqlite:path.db, postgres://...)')
    .option('--to-name <name>', 'name of the copy (default: the same name)')
    .option('--no-artifacts', "leave the artifacts in the source's database behind")
    .option('--json', 'print JSON')
    .action(async (name: string, flags: CopyFlags) => {
      const from = await openExistingStorage(flags.from);
      try {
        const to = await openStorage(flags.to);
        try {
          const result = await copyStudy(from, to, {
            name,
            ...(flags.toName === undefined ? {} : { toName: flags.toName }),
            artifacts: flags.artifacts,
          });
          const summary = {
            study: result.study.name,
            from: from.url,
            to: redactStorageUrl(to.url),
            trials: result.trials,
            artifacts: result.artifacts,
          };
          process.stdout.write(
            flags.json === true
              ? `${JSON.stringify(summary, null, 2)}\n`
              : `Copied study '${name}' (${plural(result.trials, 'trial')}, ${plural(result.artifacts, 'artifact')}) from ${summary.from} to ${summary.to} as '${result.study.name}'.\n`,
          );
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    });
}
