/**
 * Following the trials that other processes (`--workers N`) finish in a shared study, for the
 * progress display of the process that started them.
 */
import type { Study, Trial } from '../index.js';
import { rankTrials } from '../trials/index.js';

const FINISHED = new Set(['COMPLETED', 'PRUNED', 'FAILED']);

export interface TrialWatch {
  /** Looks once more (to catch the last trials), then stops looking. */
  stop(): Promise<void>;
}

/**
 * Calls `onEnded` for each trial of `study` that another process finishes from now on
 * (polling the storage every `intervalMs`).
 */
export async function watchOtherTrials(
  study: Study,
  onEnded: (trial: Trial, best: Trial | undefined) => void,
  intervalMs = 1000,
): Promise<TrialWatch> {
  const seen = new Set<number>();
  const look = async (report: boolean): Promise<void> => {
    const trials = await study.trials();
    const best = rankTrials(trials, study.objectives)[0];
    for (const trial of trials) {
      if (!FINISHED.has(trial.status) || seen.has(trial.number)) continue;
      seen.add(trial.number);
      if (report && trial.workerId !== study.workerId) onEnded(trial, best);
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
