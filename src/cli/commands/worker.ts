/**
 * `hypertuner worker <program> --study NAME`: joins an existing study (on this machine or
 * another one sharing its storage) and runs its trials until the study is done, with the
 * settings the study was started with unless --tuner, --seed or --max-trials say otherwise
 * (`search --workers N` passes its own).
 */
import type { Command } from 'commander';
import { HypertunerError, Study } from '../../index.js';
import { mergeSearchCallbacks } from '../../tuner/verbose.js';
import { CommandExit } from '../exit.js';
import { parseWholeNumber } from '../parse.js';
import { loadProgram } from '../program-module.js';
import { searchProgress } from '../progress.js';
import { prunerOf } from '../pruner-flags.js';
import {
  NO_LIMIT,
  addLoopOptions,
  loopOptions,
  oracleOf,
  printResult,
  workerOptions,
} from '../search-loop.js';
import type { LoopFlags } from '../search-loop.js';
import { stopOnSignals } from '../stop-signals.js';
import { openExistingStorage, requireStudy, storageUrlOf } from '../storage-flag.js';
import { studySettings } from '../study-settings.js';
import { guardTrials } from '../trial-guard.js';
import { REPLACE_EXIT_CODE, exitWithParent, isStopMessage } from '../worker-processes.js';

interface WorkerFlags extends LoopFlags {
  readonly study: string;
  readonly tuner?: string;
  readonly maxTrials?: string;
  readonly seed?: string;
  readonly quiet?: boolean;
}

export function registerWorkerCommand(program: Command): void {
  addLoopOptions(
    program
      .command('worker <program>')
      .description('run trials of an existing study until it is done (many workers may share it)')
      .requiredOption('--study <name>', 'the study to work on')
      .option('--worker-id <id>', 'name of this worker in the study (default host:pid:random)')
      .option(
        '--tuner <name>',
        "auto, random, grid, bayesian, tpe, cmaes, qmc or nsga2 (default: the program's, else the study's, else auto)",
      )
      .option('--max-trials <n>', "the study's total number of trials (default: the study's)")
      .option('--seed <n>', "seed of the oracle (default: the study's)")
      .option('--quiet', 'no progress and no summary'),
  ).action(async (path: string, flags: WorkerFlags) => {
    const storageUrl = storageUrlOf(flags.storage);
    const identity = workerOptions(flags);
    const flagSeed = flags.seed === undefined ? undefined : parseWholeNumber(flags.seed, 'seed', 0);
    const flagMaxTrials =
      flags.maxTrials === undefined
        ? undefined
        : parseWholeNumber(flags.maxTrials, 'max-trials', 1);
    const loaded = await loadProgram(path);
    const pruner = prunerOf(flags, loaded.pruner);
    // the settings the study was started with, unless the flags say otherwise
    const probe = await openExistingStorage(storageUrl);
    const attrs = await requireStudy(probe, flags.study)
      .then((record) => record.userAttrs)
      .finally(() => probe.close());
    const saved = studySettings(attrs);
    const seed = flagSeed ?? saved.seed ?? 0;
    const { oracle } = oracleOf(flags.tuner, loaded, saved.tuner, seed);
    const study = await Study.open({
      storage: storageUrl,
      name: flags.study,
      oracle,
      seed,
      ...(loaded.constraints === undefined ? {} : { constraints: loaded.constraints }),
      ...identity,
      ...(loaded.fixedParams === undefined ? {} : { fixedParams: loaded.fixedParams }),
    });
    // a worker process of `search --workers N`: it ends with its parent, which passes Ctrl+C on
    const managed =
      process.env['HYPERTUNER_WORKER_INDEX'] !== undefined && process.send !== undefined;
    if (managed) exitWithParent();
    const quiet = flags.quiet === true;
    const progress = quiet
      ? undefined
      : searchProgress({ plain: flags.plain === true, noLimit: NO_LIMIT });
    const stop = stopOnSignals({
      ...(progress === undefined ? {} : { say: progress.log, running: () => progress.running }),
    });
    const onMessage = (message: unknown): void => {
      if (isStopMessage(message)) stop.request(message.hypertunerStop);
    };
    if (managed) process.on('message', onMessage);
    // a trial that overran and ignored its abort goes on in this process: stop taking trials
    const overran = new AbortController();
    stop.finish.addEventListener('abort', () => overran.abort(), { once: true });
    const guard = guardTrials(() => overran.abort());
    try {
      const result = await study.optimize(
        loaded.run,
        loopOptions(flags, {
          maxTrials: flagMaxTrials ?? saved.maxTrials,
          pruner,
          finish: overran.signal,
          callbacks: mergeSearchCallbacks([
            guard.callbacks,
            ...(progress === undefined ? [] : [progress]),
          ]),
        }),
      );
      progress?.finish();
      if (!quiet) await printResult(study, result, flags);
    } finally {
      progress?.finish();
      guard.dispose();
      stop.dispose();
      if (managed) {
        process.off('message', onMessage);
        process.channel?.unref();
      }
      await study.close();
    }
    const abandoned = guard.abandoned;
    if (abandoned !== undefined) {
      // asks the parent (search --workers N) for a fresh process in its place
      if (managed) throw new CommandExit(REPLACE_EXIT_CODE);
      throw new HypertunerError(
        'TRIAL_OVERRAN',
        `Trial #${abandoned.number} ran past --trial-timeout and its objective ignored the abort signal (it still runs in this process); this worker stops so that a fresh process can take its place: start it again.`,
        { field: 'trial-timeout' },
      );
    }
  });
}
