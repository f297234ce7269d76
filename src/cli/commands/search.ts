/**
 * `hypertuner search <program>`: tunes the objective a user's ES module exports, in a study
 * kept in a storage; running the same command again resumes it. `--workers N` runs N trials
 * at once in N processes sharing the study (`hypertuner worker`, in worker.ts).
 *
 * Each running trial sends a heartbeat every `--heartbeat` seconds; a trial whose worker is
 * gone (its process is dead, on this host; no heartbeat for `--stale-after` seconds, from
 * another host) is failed as lost by whichever worker asks next, and queued again.
 */
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { HypertunerError, Study } from '../../index.js';
import { mergeSearchCallbacks } from '../../tuner/verbose.js';
import type { JsonValue, ObjectiveSpec } from '../../index.js';
import { loadProgram } from '../program-module.js';
import type { ProgramModule } from '../program-module.js';
import { parseWholeNumber } from '../parse.js';
import { searchProgress } from '../progress.js';
import { prunerOf } from '../pruner-flags.js';
import {
  NO_LIMIT,
  addLoopOptions,
  forwardedFlags,
  loopOptions,
  oracleOf,
  printResult,
  workerOptions,
} from '../search-loop.js';
import type { LoopFlags } from '../search-loop.js';
import { stopOnSignals } from '../stop-signals.js';
import { STORAGE_ENV, requireSharedStorage, storageUrlOf } from '../storage-flag.js';
import { guardTrials } from '../trial-guard.js';
import { watchOtherTrials } from '../trial-watch.js';
import type { TrialWatch } from '../trial-watch.js';
import { savedStudySettings, studySettings } from '../study-settings.js';
import { REPLACE_EXIT_CODE, startWorkerProcesses } from '../worker-processes.js';
import type { WorkerProcesses } from '../worker-processes.js';

interface SearchFlags extends LoopFlags {
  readonly study?: string;
  readonly tuner?: string;
  readonly maxTrials?: string;
  readonly seed?: string;
  readonly objective?: string;
  readonly direction?: string;
  readonly overwrite?: boolean;
  readonly force?: boolean;
  readonly workers: string;
}

function objectiveOf(
  flags: SearchFlags,
  loaded: ProgramModule,
): ObjectiveSpec | readonly ObjectiveSpec[] {
  if (
    flags.direction !== undefined &&
    flags.direction !== 'minimize' &&
    flags.direction !== 'maximize'
  ) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--direction must be minimize or maximize, got '${flags.direction}'.`,
      { field: 'direction' },
    );
  }
  if (flags.objective !== undefined) {
    return flags.direction === undefined
      ? flags.objective
      : { name: flags.objective, direction: flags.direction };
  }
  return loaded.objective ?? { name: 'value', direction: flags.direction ?? 'minimize' };
}

/** Study.open's errors in the words of the command line. */
function inCliWords(error: unknown): unknown {
  if (error instanceof HypertunerError && error.code === 'STUDY_OBJECTIVE_MISMATCH') {
    return new HypertunerError(
      error.code,
      error.message.replace('overwrite: true', '--overwrite (which deletes its trials)'),
      { field: error.field ?? 'objective', cause: error },
    );
  }
  if (error instanceof HypertunerError && error.code === 'STUDY_IN_USE') {
    return new HypertunerError(
      error.code,
      error.message
        .replace('overwriting it now', '--overwrite now')
        .replace('give force: true to overwrite anyway', 'add --force to overwrite anyway'),
      { field: 'overwrite', cause: error },
    );
  }
  return error;
}

export function registerSearchCommand(program: Command): void {
  addLoopOptions(
    program
      .command('search <program>')
      .description(
        'tune the objective exported by a program (.js, .mjs, .ts, .mts; resumes the study when run again)',
      )
      .option('--study <name>', 'study name (default: the program file name)')
      .option(
        '--tuner <name>',
        "auto, random, grid, bayesian, tpe, cmaes, qmc or nsga2 (default: the program's, else the study's, else auto: it picks one and says why)",
      )
      .option('--max-trials <n>', "the study's total number of trials (default: the study's)")
      .option('--seed <n>', "seed of the oracle (default: the study's, else 0)")
      .option('--workers <n>', 'trials run at once, in that many processes', '1')
      .option('--objective <metric>', "the metric to optimise (overrides the program's)")
      .option('--direction <dir>', 'minimize or maximize')
      .option('--overwrite', 'delete the study first (refused while live workers run its trials)')
      .option('--force', 'with --overwrite: delete it even while live workers run its trials'),
  ).action(async (path: string, flags: SearchFlags) => {
    const flagSeed = flags.seed === undefined ? undefined : parseWholeNumber(flags.seed, 'seed', 0);
    const workers = parseWholeNumber(flags.workers, 'workers', 1);
    const maxTrials =
      flags.maxTrials === undefined
        ? undefined
        : parseWholeNumber(flags.maxTrials, 'max-trials', 1);
    if (flags.force === true && flags.overwrite !== true) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        '--force goes with --overwrite (it deletes a study even while live workers run its trials); give both, or neither.',
        { field: 'force' },
      );
    }
    const storageUrl = storageUrlOf(flags.storage);
    requireSharedStorage(storageUrl, workers);
    const loaded = await loadProgram(path);
    const pruner = prunerOf(flags, loaded.pruner);
    const name = flags.study ?? basename(path, extname(path));
    // resumed: the study's tuner and seed unless the flags give others (which it then keeps)
    const saved = flags.overwrite === true ? {} : await savedStudySettings(storageUrl, name);
    const seed = flagSeed ?? saved.seed ?? 0;
    const { oracle, tuner } = oracleOf(flags.tuner, loaded, saved.tuner, seed);
    const oracleAttrs: Record<string, JsonValue> = {
      oracleOptions: { seed },
      ...(maxTrials === undefined ? {} : { maxTrials }),
    };
    const study = await Study.open({
      storage: storageUrl,
      name,
      objective: objectiveOf(flags, loaded),
      oracle,
      seed,
      ...(loaded.constraints === undefined ? {} : { constraints: loaded.constraints }),
      userAttrs: oracleAttrs,
      ...workerOptions(flags),
      ...(loaded.fixedParams === undefined ? {} : { fixedParams: loaded.fixedParams }),
      ...(flags.overwrite === true ? { overwrite: true } : {}),
      ...(flags.force === true ? { force: true } : {}),
    }).catch((error: unknown) => {
      throw inCliWords(error);
    });
    // resumed without --max-trials: the study's total; with a new one: it becomes the study's
    const kept = studySettings(study.userAttrs);
    const budget = maxTrials ?? kept.maxTrials;
    if (budget !== kept.maxTrials && budget !== undefined)
      await study.storage.setStudyUserAttr(study.id, 'maxTrials', budget);
    if (tuner !== kept.tuner) await study.storage.setStudyUserAttr(study.id, 'oracle', tuner);
    if (seed !== kept.seed)
      await study.storage.setStudyUserAttr(study.id, 'oracleOptions', { seed });
    const progress = searchProgress({
      plain: flags.plain === true,
      noLimit: NO_LIMIT,
      showWorker: workers > 1,
    });
    let pool: WorkerProcesses | undefined;
    const stop = stopOnSignals({
      say: progress.log,
      running: () => progress.running,
      onStep: (step) => (step === 'now' ? pool?.kill() : pool?.send(step)),
    });
    const guard = guardTrials();
    let watch: TrialWatch | undefined;
    try {
      // the workers run with this command's settings, not the ones the study was started with
      pool =
        workers > 1
          ? startWorkerProcesses(
              workers - 1,
              [
                ...['worker', path, '--study', study.name, '--quiet'],
                ...(flags.tuner === undefined ? [] : ['--tuner', tuner]),
                ...['--seed', String(seed)],
                ...(budget === undefined ? [] : ['--max-trials', String(budget)]),
                ...forwardedFlags(flags),
              ],
              {
                // the storage goes through the environment: a command line shows its password to `ps`
                env: { [STORAGE_ENV]: storageUrl },
                ipc: true,
                replaceOnExit: REPLACE_EXIT_CODE,
                onReplaced: (worker) =>
                  progress.log(
                    `Worker ${worker}: its trial ran past --trial-timeout and ignored the abort; a new process takes its place.`,
                  ),
              },
            )
          : undefined;
      // the progress counts the trials the workers finish too
      if (pool !== undefined)
        watch = await watchOtherTrials(study, {
          ended: progress.otherTrialEnded,
          running: progress.runningElsewhere,
        });
      const result = await study.optimize(
        loaded.run,
        loopOptions(flags, {
          maxTrials: budget,
          pruner,
          finish: stop.finish,
          callbacks: mergeSearchCallbacks([guard.callbacks, progress]),
        }),
      );
      // nothing left for a new worker process to do
      pool?.stopReplacing();
      await pool?.done;
      await watch?.stop();
      progress.finish(workers);
      await printResult(study, result, flags);
    } finally {
      pool?.stop();
      await watch?.stop();
      progress.finish(workers);
      guard.dispose();
      stop.dispose();
      await study.close();
    }
  });
}
