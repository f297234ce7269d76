/**
 * Studies from a shell, as Optuna's CLI has them: `create <study>` (with its objectives, tuner,
 * seed and, for `ask`, its parameters), `delete <study> --yes`, and `study-attr get|set`.
 */
import type { Command } from 'commander';
import { HypertunerError, openStorage } from '../../index.js';
import type { JsonValue, ObjectiveSpec, Storage } from '../../index.js';
import { ORACLE_NAMES } from '../../oracles/index.js';
import { redactStorageUrl } from '../../storage/index.js';
import { inferDirection, parseObjectives } from '../../trials/index.js';
import { plural } from '../../plural.js';
import { parseWholeNumber } from '../parse.js';
import { parseSpaceFlag } from '../space-flag.js';
import { existingStorageUrl, requireStudy, storageUrlOf } from '../storage-flag.js';

export const STORAGE_HELP = 'storage URL (default: $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)';

interface CreateFlags {
  readonly storage?: string;
  readonly objective: string;
  readonly direction?: string;
  readonly tuner?: string;
  readonly seed?: string;
  readonly maxTrials?: string;
  readonly space?: string;
  readonly skipIfExists?: boolean;
}

/** `--objective a,b --direction minimize,maximize` as objective specs. */
function objectivesOf(flags: CreateFlags): ObjectiveSpec[] {
  const names = flags.objective.split(',').map((n) => n.trim());
  const directions = flags.direction?.split(',').map((d) => d.trim());
  if (directions !== undefined && directions.length !== names.length) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--direction gives ${plural(directions.length, 'direction')} for ${plural(names.length, 'objective')} (${names.join(', ')}); give one per objective, separated by commas.`,
      { field: 'direction' },
    );
  }
  return names.map((name, i) => {
    const direction = directions?.[i];
    if (direction === undefined) return { name, direction: inferDirection(name) ?? 'minimize' };
    if (!['minimize', 'maximize'].includes(direction))
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `--direction must be minimize or maximize, got '${direction}'.`,
        { field: 'direction' },
      );
    return { name, direction: direction as 'minimize' | 'maximize' };
  });
}

/** Runs `body` on the storage of `--storage` (which must exist), closing it after. */
export async function withStorage<T>(
  flag: string | undefined,
  body: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openStorage(existingStorageUrl(flag));
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

/** A study attribute's value from the command line: JSON when it parses, else the text. */
function attrValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function registerCreate(program: Command): void {
  program
    .command('create <study>')
    .description('create a study (for ask and tell from a shell, or a later search)')
    .option('--storage <url>', STORAGE_HELP)
    .option(
      '--objective <metrics>',
      'metric(s) to optimise, separated by commas (direction inferred for loss, accuracy, ...)',
      'value',
    )
    .option(
      '--direction <dirs>',
      'minimize or maximize, one per objective (default: inferred, else minimize)',
    )
    .option(
      '--tuner <name>',
      `the oracle of ask, search and worker: ${ORACLE_NAMES.join(', ')}`,
      'random',
    )
    .option('--seed <n>', 'seed of the oracle', '0')
    .option('--max-trials <n>', "the study's total number of trials (default: no limit)")
    .option('--space <json>', 'its parameters, e.g. {"x": {"type": "float", "min": 0, "max": 1}}')
    .option('--skip-if-exists', 'no error when the study exists already (it is left as it is)')
    .action(async (name: string, flags: CreateFlags) => {
      const objectives = parseObjectives(objectivesOf(flags));
      if (!(ORACLE_NAMES as readonly string[]).includes(flags.tuner ?? 'random'))
        throw new HypertunerError(
          'ORACLE_UNKNOWN',
          `--tuner must be one of ${ORACLE_NAMES.join(', ')}, got '${flags.tuner}'.`,
          { field: 'tuner' },
        );
      const seed = parseWholeNumber(flags.seed ?? '0', 'seed', 0);
      const maxTrials =
        flags.maxTrials === undefined
          ? undefined
          : parseWholeNumber(flags.maxTrials, 'max-trials', 1);
      const space = flags.space === undefined ? undefined : parseSpaceFlag(flags.space);
      const url = storageUrlOf(flags.storage);
      const storage = await openStorage(url);
      try {
        if ((await storage.loadStudy(name)) !== undefined) {
          if (flags.skipIfExists === true) {
            process.stdout.write(`${name}\n`);
            return;
          }
          throw new HypertunerError(
            'STUDY_EXISTS',
            `A study called '${name}' exists already in ${redactStorageUrl(url)}; give --skip-if-exists to keep it, or delete it first (hypertuner delete ${name} --yes).`,
            { field: 'study' },
          );
        }
        await storage.createStudy({
          name,
          objectives,
          ...(space === undefined ? {} : { space: space.toJSON() }),
          userAttrs: {
            oracle: flags.tuner ?? 'random',
            oracleOptions: { seed },
            ...(maxTrials === undefined ? {} : { maxTrials }),
          },
        });
      } finally {
        await storage.close();
      }
      const what = objectives.map((o) => `${o.name} (${o.direction})`).join(', ');
      process.stderr.write(`Created study '${name}' in ${redactStorageUrl(url)}: ${what}.\n`);
      process.stdout.write(`${name}\n`);
    });
}

function registerDelete(program: Command): void {
  program
    .command('delete <study>')
    .description('delete a study and all its trials (asks for --yes)')
    .option('--storage <url>', STORAGE_HELP)
    .option('--yes', 'yes, delete it')
    .action(async (name: string, flags: { storage?: string; yes?: boolean }) => {
      await withStorage(flags.storage, async (storage) => {
        const study = await requireStudy(storage, name);
        const trials = (await storage.getTrials(study.id)).length;
        const what = `study '${name}' and its ${plural(trials, 'trial')} from ${storage.url}`;
        if (flags.yes !== true) {
          throw new HypertunerError(
            'DELETE_NOT_CONFIRMED',
            `hypertuner delete removes ${what}; add --yes to delete it.`,
            { field: 'yes' },
          );
        }
        await storage.deleteStudy(name);
        process.stderr.write(`Deleted ${what}.\n`);
      });
    });
}

function registerStudyAttr(program: Command): void {
  const attr = program
    .command('study-attr')
    .description("read or write a study's user attributes (JSON values)");
  attr
    .command('get <study> [key]')
    .description('print one attribute (or all of them) as JSON')
    .option('--storage <url>', STORAGE_HELP)
    .action(async (name: string, key: string | undefined, flags: { storage?: string }) => {
      await withStorage(flags.storage, async (storage) => {
        const study = await requireStudy(storage, name);
        if (key !== undefined && !(key in study.userAttrs)) {
          throw new HypertunerError(
            'OPTIONS_INVALID',
            `Study '${name}' has no attribute '${key}'; it has: ${Object.keys(study.userAttrs).join(', ') || '(none)'}.`,
            { field: 'key' },
          );
        }
        const value = key === undefined ? study.userAttrs : study.userAttrs[key];
        process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      });
    });
  attr
    .command('set <study> <key> <value>')
    .description('set an attribute (the value is read as JSON when it is JSON, else as text)')
    .option('--storage <url>', STORAGE_HELP)
    .action(async (name: string, key: string, value: string, flags: { storage?: string }) => {
      await withStorage(flags.storage, async (storage) => {
        const study = await requireStudy(storage, name);
        await storage.setStudyUserAttr(study.id, key, attrValue(value));
      });
    });
}

export function registerManageCommands(program: Command): void {
  registerCreate(program);
  registerDelete(program);
  registerStudyAttr(program);
}
