/**
 * Following the trials that other processes (`--workers N`) finish in a shared study, for the
 * progress display of the process that started them.
 */
import type { Study, Trial } from '../index.js';
import type { TrialEndInfo } from '../tuner/index.js';
import { budgetDone, rankTrials } from '../trials/index.js';

const FINISHED = new Set(['COMPLETED', 'PRUNED', 'FAILED']);

export interface TrialWatch {
  /** Looks once more (to catch the last trials), then stops looking. */
  stop(): Promise<void>;
}

/** What a watch tells. */
export interface WatchListener {
  /** A trial another process finished, the best trial then, and the counts for the progress. */
  ended(trial: Trial, best: Trial | undefined, info: TrialEndInfo): void;
  /** Trials other processes run now (each time the storage is read). */
  running?(count: number): void;
}

/**
 * Tells `listener` of each trial of `study` that another process finishes from now on, and how
 * many run elsewhere (polling the storage every `intervalMs`).
 */
export async function watchOtherTrials(
  study: Study,
  listener: WatchListener,
  intervalMs = 1000,
): Promise<TrialWatch> {
  const seen = new Set<number>();
  const look = async (report: boolean): Promise<void> => {
    const trials = await study.trials();
    const ranked = rankTrials(trials, study.objectives);
    const info: TrialEndInfo = {
      done: budgetDone(trials),
      paretoFront: study.objectives.length > 1 ? ranked.length : undefined,
      abandoned: false,
    };
    listener.running?.(
      trials.filter((t) => t.status === 'RUNNING' && t.workerId !== study.workerId).length,
    );
    for (const trial of trials) {
      if (!FINISHED.has(trial.status) || seen.has(trial.number)) continue;
      seen.add(trial.number);
      if (report && trial.workerId !== study.workerId) listener.ended(trial, ranked[0], info);
    }
  };
  await look(false);
  // one look at a time: while the storage is slow or unreachable, ticks are skipped, never
  // queued (a queue of looks, each retrying for the storage's whole retry time, kept the
  // process alive long after the storage was given up on)
  let pending: Promise<void> | undefined;
  const tick = (): void => {
    pending ??= look(true)
      .catch(() => undefined)
      .finally(() => (pending = undefined));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (pending !== undefined) await pending;
      tick();
      await pending;
    },
  };
}
