/**
 * Worker ids (`host:pid:nonce`) and telling whether a worker on this host is still alive,
 * so that a trial left RUNNING by a killed process is re-run at once instead of after a timeout.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A new id for this process's worker. */
export function makeWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
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
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
