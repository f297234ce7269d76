/**
 * `hypertuner search <program>`: tunes the objective a user's ES module exports, in a study
 * kept in a storage; running the same command again resumes it.
 *
 * The module's default export is either the objective function, or
 * `{ objective: 'val_loss' | {name, direction}, run: (trial) => ... }`.
 */
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { HypertunerError, Study, createOracle, defaultStorageUrl } from '../../index.js';
import type { ObjectiveFunction, ObjectiveSpec } from '../../index.js';
import { searchProgress } from '../progress.js';
import { parseWholeNumber } from '../parse.js';

interface SearchFlags {
  readonly storage?: string;
  readonly study?: string;
  readonly tuner: string;
  readonly maxTrials?: string;
  readonly seed: string;
  readonly timeout?: string;
  readonly executions?: string;
  readonly retries?: string;
  readonly objective?: string;
  readonly direction?: string;
  readonly overwrite?: boolean;
  readonly plain?: boolean;
  readonly json?: boolean;
}

interface ProgramModule {
  readonly objective?: ObjectiveSpec;
  readonly run: ObjectiveFunction;
}

async function loadProgram(path: string): Promise<ProgramModule> {
  const loaded = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  const exported = loaded.default;
  if (typeof exported === 'function') return { run: exported as ObjectiveFunction };
  if (typeof exported === 'object' && exported !== null && typeof (exported as ProgramModule).run === 'function') {
    return exported as ProgramModule;
  }
  throw new HypertunerError('PROGRAM_INVALID', `${path} must export default an objective function or {objective, run}.`, { field: 'program' });
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search <program>')
    .description("tune the objective exported by an ES module (resumes the study when run again)")
    .option('--storage <url>', 'storage URL (default sqlite:hypertuner.db)')
    .option('--study <name>', 'study name (default: the program file name)')
    .option('--tuner <name>', 'random, grid, bayesian or tpe', 'random')
    .option('--max-trials <n>', "the study's total number of trials")
    .option('--seed <n>', 'seed of the oracle', '0')
    .option('--timeout <seconds>', 'start no trial after this many seconds')
    .option('--executions <n>', 'executions per trial, averaged')
    .option('--retries <n>', 'retries of a trial after an unexpected error')
    .option('--objective <metric>', "the metric to optimise (overrides the program's)")
    .option('--direction <dir>', 'minimize or maximize')
    .option('--overwrite', 'delete the study first')
    .option('--plain', 'plain progress lines even on a terminal')
    .option('--json', 'print the best trial as JSON on stdout')
    .action(async (path: string, flags: SearchFlags) => {
      const loaded = await loadProgram(path);
      const objective: ObjectiveSpec =
        flags.objective !== undefined
          ? flags.direction === undefined
            ? flags.objective
            : { name: flags.objective, direction: flags.direction as 'minimize' }
          : (loaded.objective ?? { name: 'value', direction: (flags.direction as 'minimize' | undefined) ?? 'minimize' });
      const seed = parseWholeNumber(flags.seed, 'seed', 0);
      const study = await Study.open({
        storage: flags.storage ?? defaultStorageUrl(),
        name: flags.study ?? basename(path, extname(path)),
        objective,
        oracle: createOracle(flags.tuner, { seed }),
        seed,
        ...(flags.overwrite === true ? { overwrite: true } : {}),
      });
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      try {
        const result = await study.optimize(loaded.run, {
          ...(flags.maxTrials === undefined ? {} : { maxTrials: parseWholeNumber(flags.maxTrials, 'max-trials', 1) }),
          ...(flags.timeout === undefined ? {} : { timeoutMs: 1000 * parseWholeNumber(flags.timeout, 'timeout', 1) }),
          ...(flags.executions === undefined ? {} : { executionsPerTrial: parseWholeNumber(flags.executions, 'executions', 1) }),
          ...(flags.retries === undefined ? {} : { maxRetriesPerTrial: parseWholeNumber(flags.retries, 'retries', 0) }),
          callbacks: searchProgress(flags.plain === true ? { plain: true } : {}),
          signal: controller.signal,
        });
        if (flags.json === true) {
          process.stdout.write(`${JSON.stringify({ reason: result.reason, best: result.best ?? null }, null, 2)}\n`);
        } else {
          process.stdout.write(`${await study.resultsSummary(3)}\n`);
        }
      } finally {
        process.off('SIGINT', stop);
        await study.close();
      }
    });
}
