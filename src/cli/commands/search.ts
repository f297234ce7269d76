/**
 * `hypertuner search <program>`: tunes the objective a user's ES module exports, in a study
 * kept in a storage; running the same command again resumes it. `--workers N` runs N trials
 * at once in N processes sharing the study.
 *
 * `hypertuner worker <program> --study NAME`: joins an existing study (on this machine or
 * another one sharing its storage) and runs its trials until the study is done.
 *
 * Each running trial sends a heartbeat every `--heartbeat` seconds; a trial whose worker is
 * gone (its process is dead, on this host; no heartbeat for `--stale-after` seconds, from
 * another host) is failed as lost by whichever worker asks next, and queued again.
 */
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { HypertunerError, Study, createOracle, defaultStorageUrl } from '../../index.js';
import type { JsonValue, ObjectiveSpec, OptimizeOptions } from '../../index.js';
import { loadProgram } from '../program-module.js';
import type { ProgramModule } from '../program-module.js';
import { parseWholeNumber } from '../parse.js';
import { searchProgress } from '../progress.js';
import { startWorkerProcesses } from '../worker-processes.js';

interface LoopFlags {
  readonly storage?: string;
  readonly staleAfter?: string;
  readonly heartbeat?: string;
  readonly workerId?: string;
  readonly timeout?: string;
  readonly executions?: string;
  readonly retries?: string;
  readonly plain?: boolean;
  readonly json?: boolean;
}

interface SearchFlags extends LoopFlags {
  readonly study?: string;
  readonly tuner: string;
  readonly maxTrials?: string;
  readonly seed: string;
  readonly objective?: string;
  readonly direction?: string;
  readonly overwrite?: boolean;
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

function parseSeconds(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--${flag} must be a number of seconds > 0, got '${text}'.`,
      { field: flag },
    );
  }
  return value;
}

/** The Study options of the heartbeat flags: when a trial's worker counts as lost, and who we are. */
function workerOptions(flags: LoopFlags): { staleAfterMs?: number; workerId?: string } {
  const staleAfterMs =
    flags.staleAfter === undefined
      ? undefined
      : Math.round(1000 * parseSeconds(flags.staleAfter, 'stale-after'));
  if (flags.heartbeat !== undefined) {
    const heartbeatMs = 1000 * parseSeconds(flags.heartbeat, 'heartbeat');
    const stale = staleAfterMs ?? 60_000;
    if (heartbeatMs >= stale) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `--heartbeat (${flags.heartbeat} s) must be shorter than --stale-after (${stale / 1000} s), or other workers take running trials as lost.`,
        { field: 'heartbeat' },
      );
    }
  }
  if (flags.workerId !== undefined && flags.workerId.trim().length === 0) {
    throw new HypertunerError('OPTIONS_INVALID', '--worker-id must not be empty.', {
      field: 'worker-id',
    });
  }
  return {
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
    ...(flags.workerId === undefined ? {} : { workerId: flags.workerId }),
  };
}

/** The flags a `search --workers N` passes on to its worker processes. */
function forwardedFlags(flags: LoopFlags): string[] {
  const pairs: [string, string | undefined][] = [
    ['--timeout', flags.timeout],
    ['--executions', flags.executions],
    ['--retries', flags.retries],
    ['--stale-after', flags.staleAfter],
    ['--heartbeat', flags.heartbeat],
  ];
  return pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}

function loopOptions(
  flags: LoopFlags,
  maxTrials: number | undefined,
  signal: AbortSignal,
  quiet: boolean,
): OptimizeOptions {
  return {
    ...(flags.heartbeat === undefined
      ? {}
      : { heartbeatIntervalMs: Math.round(1000 * parseSeconds(flags.heartbeat, 'heartbeat')) }),
    ...(maxTrials === undefined ? {} : { maxTrials }),
    ...(flags.timeout === undefined
      ? {}
      : { timeoutMs: 1000 * parseWholeNumber(flags.timeout, 'timeout', 1) }),
    ...(flags.executions === undefined
      ? {}
      : { executionsPerTrial: parseWholeNumber(flags.executions, 'executions', 1) }),
    ...(flags.retries === undefined
      ? {}
      : { maxRetriesPerTrial: parseWholeNumber(flags.retries, 'retries', 0) }),
    callbacks: searchProgress({ plain: flags.plain === true || quiet }),
    signal,
  };
}

/** Runs the loop with Ctrl-C as a clean stop, then prints the summary. */
async function runLoop(
  study: Study,
  loaded: ProgramModule,
  options: OptimizeOptions,
  flags: LoopFlags,
  controller: AbortController,
): Promise<void> {
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await study.optimize(loaded.run, options);
    if (flags.json === true) {
      process.stdout.write(
        `${JSON.stringify({ reason: result.reason, best: result.best ?? null }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${await study.resultsSummary(3)}\n`);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function addLoopOptions(command: Command): Command {
  return command
    .option('--storage <url>', 'storage URL (default sqlite:hypertuner.db)')
    .option('--timeout <seconds>', 'start no trial after this many seconds')
    .option('--executions <n>', 'executions per trial, averaged')
    .option('--retries <n>', 'retries of a trial after an unexpected error')
    .option(
      '--stale-after <seconds>',
      'a running trial whose worker sent no heartbeat for this long is failed and re-queued (default 60)',
    )
    .option(
      '--heartbeat <seconds>',
      'how often a running trial says it is alive (default: a fifth of --stale-after)',
    )
    .option('--plain', 'plain progress lines even on a terminal')
    .option('--json', 'print the best trial as JSON on stdout');
}

export function registerSearchCommand(program: Command): void {
  addLoopOptions(
    program
      .command('search <program>')
      .description('tune the objective exported by an ES module (resumes the study when run again)')
      .option('--study <name>', 'study name (default: the program file name)')
      .option('--tuner <name>', 'random, grid, bayesian or tpe', 'random')
      .option('--max-trials <n>', "the study's total number of trials")
      .option('--seed <n>', 'seed of the oracle', '0')
      .option('--workers <n>', 'trials run at once, in that many processes', '1')
      .option('--objective <metric>', "the metric to optimise (overrides the program's)")
      .option('--direction <dir>', 'minimize or maximize')
      .option('--overwrite', 'delete the study first'),
  ).action(async (path: string, flags: SearchFlags) => {
    const loaded = await loadProgram(path);
    const seed = parseWholeNumber(flags.seed, 'seed', 0);
    const workers = parseWholeNumber(flags.workers, 'workers', 1);
    const maxTrials =
      flags.maxTrials === undefined
        ? undefined
        : parseWholeNumber(flags.maxTrials, 'max-trials', 1);
    const storageUrl = flags.storage ?? defaultStorageUrl();
    const oracleAttrs: Record<string, JsonValue> = {
      oracleOptions: { seed },
      ...(maxTrials === undefined ? {} : { maxTrials }),
    };
    const study = await Study.open({
      storage: storageUrl,
      name: flags.study ?? basename(path, extname(path)),
      objective: objectiveOf(flags, loaded),
      oracle: createOracle(flags.tuner, { seed }),
      seed,
      userAttrs: oracleAttrs,
      ...workerOptions(flags),
      ...(flags.overwrite === true ? { overwrite: true } : {}),
    });
    const controller = new AbortController();
    const extra =
      workers > 1
        ? startWorkerProcesses(workers - 1, [
            'worker',
            path,
            '--storage',
            storageUrl,
            '--study',
            study.name,
            '--quiet',
            ...forwardedFlags(flags),
          ])
        : undefined;
    controller.signal.addEventListener('abort', () => extra?.stop());
    try {
      await runLoop(
        study,
        loaded,
        loopOptions(flags, maxTrials, controller.signal, false),
        flags,
        controller,
      );
      await extra?.done;
    } finally {
      extra?.stop();
      await study.close();
    }
  });

  addLoopOptions(
    program
      .command('worker <program>')
      .description('run trials of an existing study until it is done (many workers may share it)')
      .requiredOption('--study <name>', 'the study to work on')
      .option('--worker-id <id>', 'name of this worker in the study (default host:pid:random)')
      .option('--quiet', 'no summary at the end'),
  ).action(async (path: string, flags: LoopFlags & { study: string; quiet?: boolean }) => {
    const loaded = await loadProgram(path);
    const storageUrl = flags.storage ?? defaultStorageUrl();
    const identity = workerOptions(flags);
    const probe = await Study.open({
      storage: storageUrl,
      name: flags.study,
      oracle: createOracle('random'),
    });
    const attrs = probe.userAttrs;
    await probe.close();
    const oracleName = typeof attrs['oracle'] === 'string' ? attrs['oracle'] : 'random';
    const oracleOptions = (attrs['oracleOptions'] ?? {}) as { seed?: number };
    const seed = typeof oracleOptions.seed === 'number' ? oracleOptions.seed : 0;
    const study = await Study.open({
      storage: storageUrl,
      name: flags.study,
      oracle: createOracle(oracleName, { seed }),
      seed,
      ...identity,
    });
    const maxTrials = typeof attrs['maxTrials'] === 'number' ? attrs['maxTrials'] : undefined;
    const controller = new AbortController();
    try {
      const options = loopOptions(flags, maxTrials, controller.signal, flags.quiet === true);
      if (flags.quiet === true) {
        const stop = (): void => controller.abort();
        process.once('SIGTERM', stop);
        await study.optimize(loaded.run, { ...options, callbacks: {} });
        process.off('SIGTERM', stop);
      } else {
        await runLoop(study, loaded, options, flags, controller);
      }
    } finally {
      await study.close();
    }
  });
}
