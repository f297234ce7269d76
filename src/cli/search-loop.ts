/**
 * What `search` and `worker` share: the flags of the search loop (heartbeats, time limits,
 * retries, pruning, output), the options they make, and the loop with its summary.
 */
import type { Command } from 'commander';
import { HypertunerError } from '../index.js';
import { createOracle } from '../oracles/index.js';
import { studyNameProblem } from '../storage/index.js';
import { rankTrials } from '../trials/index.js';
import type {
  OptimizeOptions,
  OptimizeResult,
  Oracle,
  Pruner,
  SearchCallbacks,
  Study,
} from '../index.js';
import { parseWholeNumber } from './parse.js';
import type { ProgramModule } from './program-module.js';
import { addPrunerOptions, forwardedPrunerFlags } from './pruner-flags.js';
import type { PrunerFlags } from './pruner-flags.js';

export interface LoopFlags extends PrunerFlags {
  readonly storage?: string;
  readonly staleAfter?: string;
  readonly heartbeat?: string;
  readonly workerId?: string;
  readonly timeout?: string;
  readonly trialTimeout?: string;
  readonly executions?: string;
  readonly maxRetries?: string;
  readonly plain?: boolean;
  readonly json?: boolean;
}

/** How a search without --max-trials or --timeout stops (its first line says it). */
export const NO_LIMIT =
  'it runs until Ctrl+C (no --max-trials or --timeout), or until the tuner has nothing left to try';

/** The default of --max-retries for a trial whose worker was lost (Study's maxRetriesPerTrial). */
export const LOST_TRIAL_RETRIES = 3;

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

/** --max-retries as a number, when given. */
function maxRetriesOf(flags: LoopFlags): number | undefined {
  return flags.maxRetries === undefined
    ? undefined
    : parseWholeNumber(flags.maxRetries, 'max-retries', 0);
}

/**
 * The Study options of the flags: when a trial's worker counts as lost, how often a lost trial
 * runs again (--max-retries, default 3), and who we are.
 */
export function workerOptions(flags: LoopFlags): {
  staleAfterMs?: number;
  workerId?: string;
  maxRetriesPerTrial?: number;
} {
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
  const maxRetries = maxRetriesOf(flags);
  return {
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
    ...(flags.workerId === undefined ? {} : { workerId: flags.workerId }),
    ...(maxRetries === undefined ? {} : { maxRetriesPerTrial: maxRetries }),
  };
}

/** The oracle of a search: --tuner, else the program's oracle or tuner name, else `saved`. */
export function oracleOf(
  flagTuner: string | undefined,
  loaded: ProgramModule,
  saved: string | undefined,
  seed: number,
): { readonly oracle: Oracle; readonly tuner: string } {
  if (flagTuner === undefined && loaded.oracle !== undefined)
    return { oracle: loaded.oracle, tuner: loaded.oracle.name };
  const tuner = flagTuner ?? loaded.tuner ?? saved ?? 'auto';
  return { oracle: createOracle(tuner, { seed }), tuner };
}

export interface LoopSettings {
  readonly maxTrials: number | undefined;
  readonly pruner: Pruner | undefined;
  /** Aborted at the first Ctrl+C: no new trial. */
  readonly finish: AbortSignal;
  readonly callbacks: SearchCallbacks;
}

export function loopOptions(flags: LoopFlags, settings: LoopSettings): OptimizeOptions {
  const maxRetries = maxRetriesOf(flags);
  return {
    ...(flags.heartbeat === undefined
      ? {}
      : { heartbeatIntervalMs: Math.round(1000 * parseSeconds(flags.heartbeat, 'heartbeat')) }),
    ...(settings.maxTrials === undefined ? {} : { maxTrials: settings.maxTrials }),
    ...(flags.timeout === undefined
      ? {}
      : { timeoutMs: 1000 * parseSeconds(flags.timeout, 'timeout') }),
    ...(flags.trialTimeout === undefined
      ? {}
      : { trialTimeoutMs: Math.round(1000 * parseSeconds(flags.trialTimeout, 'trial-timeout')) }),
    ...(flags.executions === undefined
      ? {}
      : { executionsPerTrial: parseWholeNumber(flags.executions, 'executions', 1) }),
    ...(maxRetries === undefined ? {} : { maxRetriesPerTrial: maxRetries }),
    ...(settings.pruner === undefined ? {} : { pruner: settings.pruner }),
    callbacks: settings.callbacks,
    stopSignal: settings.finish,
  };
}

/** Prints the summary of a search that ended (or, with --json, its best trials) on stdout. */
export async function printResult(
  study: Study,
  result: OptimizeResult,
  flags: LoopFlags,
): Promise<void> {
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
}

/** The loop flags a `search --workers N` passes on to its worker processes. */
export function forwardedFlags(flags: LoopFlags): string[] {
  const pairs: [string, string | undefined][] = [
    ['--timeout', flags.timeout],
    ['--trial-timeout', flags.trialTimeout],
    ['--executions', flags.executions],
    ['--max-retries', flags.maxRetries],
    ['--stale-after', flags.staleAfter],
    ['--heartbeat', flags.heartbeat],
  ];
  return [
    ...pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
    ...forwardedPrunerFlags(flags),
  ];
}

export function addLoopOptions(command: Command): Command {
  return addPrunerOptions(
    command
      .option(
        '--storage <url>',
        'storage URL (default: $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
      )
      .option('--timeout <seconds>', 'start no trial after this many seconds')
      .option(
        '--trial-timeout <seconds>',
        'a trial running longer is stopped (its signal aborted) and FAILED "timed out"',
      )
      .option('--executions <n>', 'executions per trial, averaged (default: 1)')
      .option(
        '--max-retries <n>',
        `runs again of a trial whose worker was lost (default: ${LOST_TRIAL_RETRIES}; then a new trial takes its place), and of one that threw or timed out (default: 0)`,
      )
      .option(
        '--stale-after <seconds>',
        'a running trial whose worker sent no heartbeat for this long is failed and re-queued (default: 60)',
      )
      .option(
        '--heartbeat <seconds>',
        'how often a running trial says it is alive (default: a fifth of --stale-after)',
      )
      .option('--plain', 'plain progress lines even on a terminal')
      .option(
        '--json',
        'print the best trial (several objectives: the Pareto front) as JSON on stdout',
      ),
  );
}
