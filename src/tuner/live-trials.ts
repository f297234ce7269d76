/**
 * Trials that a live worker is running right now: what overwriting (deleting) a study must not
 * pull from under a search that is still going.
 */
import { HypertunerError } from '../space/index.js';
import type { Storage, StudyRecord } from '../storage/index.js';
import type { Trial } from '../trials/index.js';
import { isLocalWorkerAlive } from './worker-identity.js';
import { plural } from '../plural.js';

/**
 * The RUNNING trials of `trials` whose worker is alive: a process of this host that still
 * runs, or, for a worker this host cannot see, one whose last heartbeat is younger than
 * `staleAfterMs`.
 */
export function trialsOfLiveWorkers(
  trials: readonly Trial[],
  staleAfterMs: number,
  now: number = Date.now(),
): Trial[] {
  return trials.filter((t) => {
    if (t.status !== 'RUNNING') return false;
    const alive = t.workerId === undefined ? undefined : isLocalWorkerAlive(t.workerId);
    if (alive !== undefined) return alive;
    const lastSign = t.heartbeatAt ?? t.startedAt ?? t.createdAt;
    return now - lastSign <= staleAfterMs;
  });
}

/**
 * Throws `STUDY_IN_USE`, naming the trials and their workers, when live workers run trials of
 * `study`: deleting it would fail their searches (their trials gone, `TRIAL_NOT_FOUND`).
 */
export async function refuseToDeleteInUse(
  storage: Storage,
  study: StudyRecord,
  staleAfterMs: number,
): Promise<void> {
  // a damaged trial cannot be judged: overwriting is how such a study is started afresh
  const running = await storage.getTrials(study.id, {
    statuses: ['RUNNING'],
    onCorrupt: () => undefined,
  });
  const live = trialsOfLiveWorkers(running, staleAfterMs);
  if (live.length === 0) return;
  const named = live
    .slice(0, 5)
    .map((t) => `trial ${t.number} (worker ${t.workerId ?? 'unknown'})`)
    .join(', ');
  throw new HypertunerError(
    'STUDY_IN_USE',
    `Study '${study.name}' has ${plural(live.length, 'trial')} running in live workers: ${named}${live.length > 5 ? ', ...' : ''}; overwriting it now would delete their trials under them. Stop those workers first, or give force: true to overwrite anyway (nothing was deleted).`,
    { field: 'overwrite' },
  );
}
