import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isLocalWorkerAlive,
  makeWorkerId,
  pidNamespaceKey,
  processStartTime,
} from '../../src/tuner/worker-identity.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function sleeper(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
    stdio: 'ignore',
  });
  children.push(child);
  await new Promise((started) => child.once('spawn', started));
  return child.pid as number;
}

const hasProc = existsSync('/proc/self/stat');

describe('worker identity', () => {
  it('names host and pid, and (where /proc tells it) when the process started', () => {
    const id = makeWorkerId();
    expect(id.startsWith(`${hostname()}:${process.pid}:`)).toBe(true);
    if (hasProc) {
      expect(id.split(':').at(-1)).toBe(
        `${processStartTime('self')}.${pidNamespaceKey()}.${id.slice(-8)}`,
      );
      expect(id.slice(-8)).toMatch(/^[0-9a-f]{8}$/);
      expect(processStartTime('self')).toBe(processStartTime(process.pid));
    }
    expect(makeWorkerId()).not.toBe(id);
  });

  it('tells a live worker, a dead one and one on another host apart', async () => {
    const pid = await sleeper();
    const start = processStartTime(pid);
    const key = pidNamespaceKey();
    const id = `${hostname()}:${pid}:${start === undefined || key === undefined ? 'abcd1234' : `${start}.${key}.abcd1234`}`;
    expect(isLocalWorkerAlive(id)).toBe(true);
    expect(isLocalWorkerAlive(`${hostname()}:${pid}:abcd1234`)).toBe(true); // an id of the old form
    expect(isLocalWorkerAlive(`another-host:${pid}:abcd1234`)).toBeUndefined();
    const child = children[0] as ChildProcess;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    expect(isLocalWorkerAlive(id)).toBe(false);
  });

  it.runIf(hasProc)(
    'a process that was given a dead worker’s pid is not that worker (pid reuse)',
    async () => {
      const pid = await sleeper();
      const start = processStartTime(pid) as string;
      // the worker with this pid started at another time: the live process is someone else
      const earlier = (parseInt(start, 36) - 1).toString(36);
      const key = pidNamespaceKey() as string;
      expect(isLocalWorkerAlive(`${hostname()}:${pid}:${earlier}.${key}.abcd1234`)).toBe(false);
      expect(isLocalWorkerAlive(`${hostname()}:${pid}:${start}.${key}.abcd1234`)).toBe(true);
    },
  );

  it.runIf(hasProc)(
    'a worker of another pid namespace or boot (a container sharing the host name) is not judged by pid',
    async () => {
      const pid = await sleeper();
      const start = processStartTime(pid) as string;
      // its pid means another process here, or none: only its heartbeats can tell
      expect(isLocalWorkerAlive(`${hostname()}:${pid}:${start}.otherns.abcd1234`)).toBeUndefined();
      expect(
        isLocalWorkerAlive(`${hostname()}:999999999:${start}.otherns.abcd1234`),
      ).toBeUndefined();
      expect(
        isLocalWorkerAlive(`${hostname()}:999999999:${start}.${pidNamespaceKey()}.abcd1234`),
      ).toBe(false);
    },
  );
});
