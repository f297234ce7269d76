/**
 * What `search` and `worker` share: the flags of the search loop (heartbeats, timeouts,
 * retries, output), and the loop itself with Ctrl+C as a clean stop.
 */
import type { Command } from 'commander';
import { HypertunerError } from '../index.js';
import { studyNameProblem } from '../storage/index.js';
import { rankTrials } from '../trials/index.js';
import type { OptimizeOptions, SearchCallbacks, Study } from '../index.js';
import { parseWholeNumber } from './parse.js';
import type { ProgramModule } from './program-module.js';
import { onStopSignals } from './stop-signals.js';

export interface LoopFlags {
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
export function workerOptions(flags: LoopFlags): { staleAfterMs?: number; workerId?: string } {
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
  const idProblem = flags.workerId === undefined ? undefined : studyNameProblem(flags.workerId);
  if (idProblem !== undefined) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--worker-id ${idProblem} (1 to 512 characters, no control characters).`,
      { field: 'worker-id' },
    );
  }
  return {
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
    ...(flags.workerId === undefined ? {} : { workerId: flags.workerId }),
  };
}

export function loopOptions(
  flags: LoopFlags,
  maxTrials: number | undefined,
  signal: AbortSignal,
  callbacks: SearchCallbacks,
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
    callbacks,
    signal,
  };
}

/** Runs the loop with Ctrl-C as a clean stop, then prints the summary. */
export async function runLoop(
  study: Study,
  loaded: ProgramModule,
  options: OptimizeOptions,
  flags: LoopFlags,
  controller: AbortController,
): Promise<void> {
  const removeListeners = onStopSignals(() => controller.abort());
  try {
    const result = await study.optimize(loaded.run, options);
    if (flags.json === true) {
      // several objectives: the Pareto front, as `best --json` prints it
      const best =
        study.objectives.length > 1
          ? rankTrials(await study.trials(), study.objectives)
          : (result.best ?? null);
      process.stdout.write(`${JSON.stringify({ reason: result.reason, best }, null, 2)}\n`);
    } else {
      process.stdout.write(`${await study.resultsSummary(3)}\n`);
    }
  } finally {
    removeListeners();
  }
}

export function addLoopOptions(command: Command): Command {
  return command
    .option(
      '--storage <url>',
      'storage URL (default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
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
    .option(
      '--json',
      'print the best trial (several objectives: the Pareto front) as JSON on stdout',
    );
}
