/**
 * Worker ids (`host:pid:nonce`) and telling whether a worker on this host is still alive,
 * so that a trial left RUNNING by a killed process is re-run at once instead of after a timeout.
 *
 * A host name and a pid name a process less surely than they seem:
 * - once a worker dies, its pid may be given to another process (quickly so in containers,
 *   whose pids start again at 1);
 * - containers sharing the host's network (and so its host name) each have their own pids,
 *   and two machines may share a host name.
 * Where the system tells (Linux `/proc`), the nonce carries when the process started and a key
 * of its machine boot and pid namespace: `<start>.<namespace>.<random>`. A process is judged
 * by its pid only from the same boot and namespace (else by heartbeats, as on another host),
 * and a live process with the pid but another start time is not the worker: the worker is dead.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
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

let namespace: string | null | undefined;

/**
 * A short key of this machine's boot and this process's pid namespace (two processes with the
 * same key see the same pids), or undefined where the system does not tell.
 */
export function pidNamespaceKey(): string | undefined {
  if (namespace === undefined) {
    try {
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const text = `${boot}|${readlinkSync('/proc/self/ns/pid')}`;
      // FNV-1a, 32 bits: a key to compare, not a secret
      let hash = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) {
        hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      }
      namespace = (hash >>> 0).toString(36);
    } catch {
      namespace = null;
    }
  }
  return namespace ?? undefined;
}

/** A new id for this process's worker. */
export function makeWorkerId(): string {
  const random = randomBytes(4).toString('hex');
  const start = processStartTime('self');
  const key = pidNamespaceKey();
  const nonce = start === undefined || key === undefined ? random : `${start}.${key}.${random}`;
  return `${hostname()}:${process.pid}:${nonce}`;
}

/**
 * Trials started outside any search loop (`hypertuner ask` in a shell script) carry a worker id
 * beginning with this: no process of ours runs them and none sends heartbeats, so they are never
 * taken as lost; `tell` ends them.
 */
export const EXTERNAL_WORKER = 'external';

/** A worker id for trials asked from outside a search loop (see `EXTERNAL_WORKER`). */
export function makeExternalWorkerId(): string {
  return `${EXTERNAL_WORKER}:${hostname()}:${randomBytes(4).toString('hex')}`;
}

/** Whether `workerId` is one of `makeExternalWorkerId`'s. */
export function isExternalWorker(workerId: string): boolean {
  return workerId.startsWith(`${EXTERNAL_WORKER}:`);
}

/** Whether the process of `workerId` is alive; undefined when this process cannot tell. */
export function isLocalWorkerAlive(workerId: string): boolean | undefined {
  const parts = workerId.split(':');
  if (parts.length < 3) return undefined;
  const host = parts.slice(0, -2).join(':');
  const pid = Number(parts[parts.length - 2]);
  if (host !== hostname() || !Number.isInteger(pid)) return undefined;
  if (pid === process.pid) return undefined; // ours: judged by heartbeat (it may be another worker in this process)
  const nonce = (parts[parts.length - 1] as string).split('.');
  // another boot or pid namespace (a container, or a machine with the same name): its pids
  // are not ours to look up
  if (nonce.length >= 3 && nonce[1] !== pidNamespaceKey()) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: a process of another user has the pid
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // a process has this pid: is it the worker, or a later process that was given its pid?
  if (nonce.length < 2) return true; // an id without a start time: trust the pid
  const now = processStartTime(pid);
  return now === undefined || now === nonce[0];
}
