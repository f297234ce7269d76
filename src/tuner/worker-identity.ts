/**
 * Worker ids (`host:pid:nonce`) and telling whether a worker on this host is still alive,
 * so that a trial left RUNNING by a killed process is re-run at once instead of after a timeout.
 *
 * A pid alone does not name a process for long: once a worker dies, its pid may be given to
 * another process (quickly so in containers, whose pids start again at 1). Where the system
 * tells a process's start time (Linux: `/proc/<pid>/stat`), the nonce carries it
 * (`<start>.<random>`), and a live process with that pid but another start time is not the
 * worker: the worker is dead.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * When process `pid` started, in clock ticks since boot (`/proc/<pid>/stat`, field 22), as a
 * base-36 string; undefined where there is no /proc or no such process.
 */
export function processStartTime(pid: number | 'self'): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // field 2 is the command in parentheses (it may hold spaces): count fields after its ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19]; // field 22 of the whole line
  return start !== undefined && /^\d+$/.test(start) ? Number(start).toString(36) : undefined;
}

/** A new id for this process's worker. */
export function makeWorkerId(): string {
  const random = randomBytes(4).toString('hex');
  const start = processStartTime('self');
  return `${hostname()}:${process.pid}:${start === undefined ? random : `${start}.${random}`}`;
}

/** Whether the process of `workerId` is alive; undefined when it runs on another host. */
export function isLocalWorkerAlive(workerId: string): boolean | undefined {
  const parts = workerId.split(':');
  if (parts.length < 3) return undefined;
  const host = parts.slice(0, -2).join(':');
  const pid = Number(parts[parts.length - 2]);
  if (host !== hostname() || !Number.isInteger(pid)) return undefined;
  if (pid === process.pid) return undefined; // ours: judged by heartbeat (it may be another worker in this process)
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: a process of another user has the pid
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // a process has this pid: is it the worker, or a later process that was given its pid?
  const nonce = parts[parts.length - 1] as string;
  const dot = nonce.indexOf('.');
  if (dot < 0) return true; // an id without a start time: trust the pid
  const now = processStartTime(pid);
  return now === undefined || now === nonce.slice(0, dot);
}
