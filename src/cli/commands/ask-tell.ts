/**
 * `hypertuner ask <study>` and `tell <study> <trial> <value...>`: the ask-and-tell loop from a
 * shell script, as Optuna's CLI has it. `ask` starts a trial and prints its number and
 * parameters as one line of JSON; `tell` ends it with its value(s), or FAILED / PRUNED. A trial
 * asked from a shell has no process of ours behind it, so it is never taken as lost: only
 * `tell` ends it.
 */
import type { Command } from 'commander';
import { HypertunerError, Study } from '../../index.js';
import type { TellResult } from '../../index.js';
import { createOracle } from '../../oracles/index.js';
import { rankTrials } from '../../trials/index.js';
import { makeExternalWorkerId } from '../../tuner/index.js';
import { plural } from '../../plural.js';
import { objectiveText } from '../../tuner/progress-text.js';
import { CommandExit } from '../exit.js';
import { parseWholeNumber } from '../parse.js';
import { parseSpaceFlag } from '../space-flag.js';
import { existingStorageUrl, requireStudy } from '../storage-flag.js';
import { studySettings } from '../study-settings.js';
import { STORAGE_HELP, withStorage } from './manage.js';

/** The exit code of `ask` when the study has no trial to give (its budget is spent, ...). */
export const NO_TRIAL_EXIT_CODE = 3;

interface AskFlags {
  readonly storage?: string;
  readonly space?: string;
  readonly tuner?: string;
  readonly seed?: string;
}

/** Opens study `name` of `--storage` (which must exist) with the oracle of its settings. */
async function openStudy(flags: AskFlags, name: string, workerId?: string): Promise<Study> {
  const url = existingStorageUrl(flags.storage);
  const attrs = await withStorage(
    url,
    async (storage) => (await requireStudy(storage, name)).userAttrs,
  );
  const saved = studySettings(attrs);
  const seed =
    flags.seed === undefined ? (saved.seed ?? 0) : parseWholeNumber(flags.seed, 'seed', 0);
  return Study.open({
    storage: url,
    name,
    oracle: createOracle(flags.tuner ?? saved.tuner ?? 'random', { seed }),
    seed,
    ...(workerId === undefined ? {} : { workerId }),
  });
}

function registerAsk(program: Command): void {
  program
    .command('ask <study>')
    .description(
      'start a trial and print {"number", "params"} as JSON (for shell scripts; end it with tell)',
    )
    .option('--storage <url>', STORAGE_HELP)
    .option(
      '--space <json>',
      'parameters to add first, e.g. {"x": {"type": "float", "min": 0, "max": 1}}',
    )
    .option('--tuner <name>', "the oracle (default: the study's)")
    .option('--seed <n>', "seed of the oracle (default: the study's)")
    .action(async (name: string, flags: AskFlags) => {
      const space = flags.space === undefined ? undefined : parseSpaceFlag(flags.space);
      const study = await openStudy(flags, name, makeExternalWorkerId());
      try {
        if (space !== undefined) await study.mergeSpace(space);
        if (study.space.parameters.length === 0) {
          throw new HypertunerError(
            'OPTIONS_INVALID',
            `Study '${name}' has no parameters yet; give them with --space, e.g. --space '{"x": {"type": "float", "min": 0, "max": 1}}'.`,
            { field: 'space' },
          );
        }
        const { maxTrials } = studySettings(study.userAttrs);
        const next = await study.ask(maxTrials === undefined ? {} : { maxTrials });
        if (next.kind !== 'trial') {
          process.stderr.write(`hypertuner: no trial to run: ${next.reason}.\n`);
          throw new CommandExit(NO_TRIAL_EXIT_CODE);
        }
        const { trial } = next;
        process.stdout.write(`${JSON.stringify({ number: trial.number, params: trial.params })}\n`);
      } finally {
        await study.close();
      }
    });
}

interface TellFlags {
  readonly storage?: string;
  readonly state?: string;
  readonly error?: string;
}

/** What `tell`'s arguments say: the values, or FAILED / PRUNED. */
function tellResult(values: readonly string[], flags: TellFlags, objectives: number): TellResult {
  if (flags.state !== undefined) {
    const state = flags.state.toUpperCase();
    if (values.length > 0 || (state !== 'FAILED' && state !== 'PRUNED')) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        values.length > 0
          ? `tell takes values or --state, not both; got ${values.join(' ')} and --state ${flags.state}.`
          : `--state must be FAILED or PRUNED (a COMPLETED trial is told with its values), got '${flags.state}'.`,
        { field: 'state' },
      );
    }
    return state === 'FAILED'
      ? { status: 'FAILED', error: flags.error ?? 'told FAILED from the command line' }
      : { status: 'PRUNED' };
  }
  if (values.length !== objectives) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `tell needs ${plural(objectives, 'value')} (one per objective) or --state FAILED|PRUNED, got ${values.length === 0 ? 'none' : values.join(' ')}.`,
      { field: 'values' },
    );
  }
  return values.map((text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `A value told must be a finite number, got '${text}'.`,
        { field: 'values' },
      );
    return value;
  });
}

function registerTell(program: Command): void {
  program
    .command('tell <study> <trial> [values...]')
    .description('end a trial that ask started: with its value(s), or --state FAILED|PRUNED')
    .option('--storage <url>', STORAGE_HELP)
    .option('--state <state>', 'FAILED or PRUNED instead of values')
    .option('--error <text>', 'with --state FAILED: why it failed')
    .action(async (name: string, number: string, values: string[], flags: TellFlags) => {
      const trialNumber = parseWholeNumber(number, 'trial', 0);
      const study = await openStudy(flags, name);
      try {
        const result = tellResult(values, flags, study.objectives.length);
        const trial = (await study.trials()).find((t) => t.number === trialNumber);
        if (trial === undefined)
          throw new HypertunerError(
            'TRIAL_NOT_FOUND',
            `Study '${name}' has no trial ${trialNumber}.`,
            { field: 'trial' },
          );
        const told = await study.tell(trial, result);
        const best = rankTrials(await study.trials(), study.objectives)[0];
        const value = objectiveText(told, study.objectives);
        process.stderr.write(
          `Trial ${told.number} of '${name}' ${told.status}${value === '' ? '' : `: ${value}`}${best?.number === told.number && study.objectives.length === 1 ? ' (the best so far)' : ''}.\n`,
        );
      } finally {
        await study.close();
      }
    });
}

export function registerAskTellCommands(program: Command): void {
  registerAsk(program);
  registerTell(program);
}
