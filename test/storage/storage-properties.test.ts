/**
 * Random sequences of what workers do to a study (ask, tell, report, fail, prune, enqueue, a
 * worker killed, lost trials reaped, the storage closed and opened again), run against memory,
 * SQLite and PostgreSQL with fast-check. A model predicts every trial's state; after each step
 * the storage must agree with it and keep its invariants: numbers dense and unique, no
 * configuration COMPLETED twice unless queued by hand, nothing RUNNING without a live worker
 * once lost trials are reaped, the best trial the one with the best stored value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStorage, RandomSearchOracle, Study, openStorage } from '../../src/index.js';
import { configurationKey } from '../../src/space/index.js';
import { isQueuedByUser } from '../../src/trials/index.js';
import type { RunningTrial, Storage, TrialStatus } from '../../src/index.js';
import { usePostgresServer } from '../helpers/postgres-server.js';

/** Sequences per storage (the issue asks for at least 200). */
const RUNS = 200;
const WORKERS = 2;
/** Retries of a lost trial's configuration (the storage queues at most this many). */
const MAX_RETRIES = 1;
/** Long: in this suite a worker is lost only when the test says it died. */
const STALE_AFTER_MS = 3_600_000;

type Op =
  | { readonly op: 'ask'; readonly w: number }
  | { readonly op: 'tell'; readonly w: number; readonly i: number; readonly v: number }
  | { readonly op: 'report'; readonly w: number; readonly i: number; readonly v: number }
  | { readonly op: 'fail'; readonly w: number; readonly i: number }
  | { readonly op: 'prune'; readonly w: number; readonly i: number }
  | { readonly op: 'enqueue'; readonly v: number }
  | { readonly op: 'kill'; readonly w: number }
  | { readonly op: 'reap' }
  | { readonly op: 'reopen' }
  /** A worker asks and dies at once, and its trial is reaped: quickly to retry chains and caps. */
  | { readonly op: 'lose'; readonly w: number };

const worker = fc.integer({ min: 0, max: WORKERS - 1 });
const held = fc.integer({ min: 0, max: 3 });
const value = fc.integer({ min: 0, max: 4 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('ask' as const), w: worker }), weight: 6 },
  {
    arbitrary: fc.record({ op: fc.constant('tell' as const), w: worker, i: held, v: value }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ op: fc.constant('report' as const), w: worker, i: held, v: value }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('fail' as const), w: worker, i: held }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('prune' as const), w: worker, i: held }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('enqueue' as const), v: value }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('kill' as const), w: worker }), weight: 2 },
  { arbitrary: fc.constant({ op: 'reap' as const }), weight: 2 },
  { arbitrary: fc.constant({ op: 'reopen' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('lose' as const), w: worker }), weight: 2 },
);
const sequence = fc.array(opArbitrary, { minLength: 3, maxLength: 12 });

/** What the model knows of one trial. */
interface ModelTrial {
  status: TrialStatus;
  worker: string | undefined;
  values: readonly number[] | undefined;
  readonly retryOf: number | undefined;
  readonly queuedByUser: boolean;
  /** Steps reported (each with the value of its step number). */
  readonly reported: Set<number>;
}

/** A worker: its id, whether it is alive, and the trials it runs. */
interface Worker {
  id: string;
  alive: boolean;
  study: Study;
  readonly running: RunningTrial[];
}

/** One storage to run sequences on: a fresh study name each time, and how to reopen it. */
interface Target {
  open(): Promise<Storage>;
  /** Whether `open` gives a new handle on the same data (memory: the same object). */
  readonly persistent: boolean;
}

let sequenceCounter = 0;

async function runSequence(target: Target, ops: readonly Op[]): Promise<void> {
  const name = `seq-${sequenceCounter++}`;
  let storage = await target.open();
  const model = new Map<number, ModelTrial>();
  let generation = 0;
  const openWorker = async (k: number, id?: string): Promise<Worker> => ({
    // ids of another host: judged by heartbeat age (never stale here), never by pid
    id: id ?? `test-host-${generation}:${k}:w${k}`,
    alive: true,
    running: [],
    study: await Study.open({
      storage,
      name,
      objective: 'loss',
      oracle: new RandomSearchOracle({ seed: 7 }),
      seed: 7,
      staleAfterMs: STALE_AFTER_MS,
      maxRetriesPerTrial: MAX_RETRIES,
      workerId: id ?? `test-host-${generation}:${k}:w${k}`,
    }),
  });
  let workers: Worker[] = [];
  for (let k = 0; k < WORKERS; k++) workers.push(await openWorker(k));
  const dead = new Set<string>();
  try {
    for (const [step, op] of ops.entries()) {
      await apply(op);
      // the best trial and the listing cost reads: checked where they may change, and at the end
      const last = step === ops.length - 1;
      await check(`after step ${step} (${JSON.stringify(op)})`, {
        best: last || op.op === 'tell' || op.op === 'reopen',
        listing: last,
      });
    }
  } finally {
    if (target.persistent) await storage.close();
  }

  async function apply(op: Op): Promise<void> {
    switch (op.op) {
      case 'ask': {
        const w = workers[op.w] as Worker;
        if (!w.alive) return;
        const waiting = [...model.entries()]
          .filter(([, t]) => t.status === 'WAITING')
          .map(([n]) => n)
          .sort((a, b) => a - b);
        const outcome = await w.study.ask();
        expect(outcome.kind).toBe('trial');
        if (outcome.kind !== 'trial') return;
        const trial = outcome.trial;
        // a queued trial (a retry, or one queued by hand) first, lowest number first; else a new one
        expect(trial.number).toBe(waiting[0] ?? model.size);
        trial.hp.Float('x', { min: 0, max: 1 });
        trial.hp.Choice('kind', ['a', 'b', 'c']);
        const known = model.get(trial.number);
        if (known === undefined) {
          model.set(trial.number, {
            status: 'RUNNING',
            worker: w.id,
            values: undefined,
            retryOf: undefined,
            queuedByUser: false,
            reported: new Set(),
          });
        } else {
          known.status = 'RUNNING';
          known.worker = w.id;
        }
        w.running.push(trial);
        return;
      }
      case 'tell':
      case 'fail':
      case 'prune': {
        const w = workers[op.w] as Worker;
        const trial = w.alive ? w.running[op.i % Math.max(1, w.running.length)] : undefined;
        if (trial === undefined) return;
        w.running.splice(w.running.indexOf(trial), 1);
        const m = model.get(trial.number) as ModelTrial;
        if (op.op === 'tell') {
          const told = await w.study.tell(trial, op.v);
          expect(told.values).toEqual([op.v]);
          m.status = 'COMPLETED';
          m.values = [op.v];
        } else if (op.op === 'fail') {
          // text a storage cannot keep as it is: stored as U+FFFD, never a crash
          const told = await w.study.tell(trial, { status: 'FAILED', error: 'broke\u0000 \ud800' });
          expect(told.error).toBe('broke\ufffd \ufffd');
          m.status = 'FAILED';
        } else {
          await w.study.tell(trial, { status: 'PRUNED' });
          m.status = 'PRUNED';
          // the value reported at its last step (each step reports its own number)
          m.values = m.reported.size === 0 ? undefined : [Math.max(...m.reported)];
        }
        // told twice: refused, and nothing changes
        await expect(w.study.tell(trial, 0)).rejects.toMatchObject({ code: 'TRIAL_NOT_RUNNING' });
        return;
      }
      case 'report': {
        const w = workers[op.w] as Worker;
        const trial = w.alive ? w.running[op.i % Math.max(1, w.running.length)] : undefined;
        if (trial === undefined) return;
        // through the worker's study (after a reopen, the handle's own study is closed)
        await w.study.report(trial, { step: op.v, value: op.v, metrics: { loss: op.v } });
        (model.get(trial.number) as ModelTrial).reported.add(op.v);
        return;
      }
      case 'enqueue': {
        const study = workers.find((w) => w.alive)?.study ?? workers[0]?.study;
        if (study === undefined) return;
        const trial = await study.enqueue({ x: op.v / 4, kind: 'a' });
        expect(trial.number).toBe(model.size);
        model.set(trial.number, {
          status: 'WAITING',
          worker: undefined,
          values: undefined,
          retryOf: undefined,
          queuedByUser: true,
          reported: new Set(),
        });
        return;
      }
      case 'kill': {
        // the process dies: its trials stay RUNNING until someone reaps them; a new process
        // (another id) takes its place
        const w = workers[op.w] as Worker;
        w.alive = false;
        dead.add(w.id);
        workers[op.w] = await openWorker(
          op.w,
          `test-host-${generation}:${op.w}:w${op.w}-${dead.size}`,
        );
        return;
      }
      case 'reap': {
        const study = (workers[0] as Worker).study;
        const reaped = await storage.reapStaleTrials(study.id, {
          staleAfterMs: STALE_AFTER_MS,
          maxRetries: MAX_RETRIES,
          isWorkerAlive: (id) => !dead.has(id),
        });
        const expected = [...model.entries()]
          .filter(([, t]) => t.status === 'RUNNING' && dead.has(t.worker ?? ''))
          .map(([n]) => n);
        expect(reaped.map((t) => t.number).sort((a, b) => a - b)).toEqual(expected);
        for (const n of expected) {
          const m = model.get(n) as ModelTrial;
          m.status = 'FAILED';
          const root = m.retryOf ?? n;
          const retries = [...model.values()].filter((t) => t.retryOf === root).length;
          if (retries < MAX_RETRIES) {
            model.set(model.size, {
              status: 'WAITING',
              worker: undefined,
              values: undefined,
              retryOf: root,
              queuedByUser: false,
              reported: new Set(),
            });
          }
        }
        return;
      }
      case 'lose': {
        if (!(workers[op.w] as Worker).alive) return;
        await apply({ op: 'ask', w: op.w });
        await apply({ op: 'kill', w: op.w });
        await apply({ op: 'reap' });
        return;
      }
      case 'reopen': {
        if (!target.persistent) return;
        // the storage closed and opened again (a process restarting its connection): the
        // workers carry on with the trials they run, telling them through the new handle
        await storage.close();
        storage = await target.open();
        generation++;
        const next: Worker[] = [];
        for (const [k, w] of workers.entries()) {
          const again = await openWorker(k, w.id);
          again.alive = w.alive;
          again.running.push(...w.running);
          next.push(again);
        }
        workers = next;
        return;
      }
    }
  }

  /** The invariants; the best trial's and the study listing's too when asked. */
  async function check(
    where: string,
    also: { readonly best: boolean; readonly listing: boolean },
  ): Promise<void> {
    const study = (workers[0] as Worker).study;
    const trials = await study.trials();
    // numbers dense and unique
    expect(
      trials.map((t) => t.number),
      where,
    ).toEqual([...trials.keys()]);
    // the storage agrees with the model, trial by trial
    expect(
      trials.map((t) => [t.number, t.status, t.retryOf ?? null]),
      where,
    ).toEqual([...model.entries()].map(([n, m]) => [n, m.status, m.retryOf ?? null]));
    for (const t of trials) {
      const m = model.get(t.number) as ModelTrial;
      if (m.status === 'COMPLETED' || m.status === 'PRUNED')
        expect(t.values, where).toEqual(m.values);
      if (m.status === 'RUNNING') expect(t.workerId, where).toBe(m.worker);
      // a retry is queued, and runs, with the configuration of the trial it retries
      if (t.retryOf !== undefined && (t.status === 'WAITING' || t.status === 'RUNNING'))
        expect(t.params, where).toEqual(trials[t.retryOf]?.params);
    }
    // no configuration COMPLETED twice, unless queued by hand
    const completed = trials.filter((t) => t.status === 'COMPLETED' && !isQueuedByUser(t));
    const keys = completed.map((t) => configurationKey(t.params));
    expect(new Set(keys).size, where).toBe(keys.length);
    // nothing RUNNING without a live worker once lost trials are reaped (dead ones not yet
    // reaped are the model's RUNNING trials of dead workers, which it knows)
    for (const t of trials.filter((x) => x.status === 'RUNNING')) {
      const alive = workers.some((w) => w.alive && w.id === t.workerId);
      expect(alive || dead.has(t.workerId ?? ''), where).toBe(true);
    }
    if (!also.best) return;
    // the best trial: the lowest stored value among COMPLETED trials
    const [best] = await study.getBestTrials(1);
    const values = trials.filter((t) => t.status === 'COMPLETED').map((t) => t.values?.[0] ?? NaN);
    expect(best?.values?.[0], where).toBe(values.length === 0 ? undefined : Math.min(...values));
    if (!also.listing) return;
    // the listing's counts and best value say the same
    const summary = (await storage.listStudies()).find((s) => s.name === study.name);
    for (const status of ['WAITING', 'RUNNING', 'COMPLETED', 'PRUNED', 'FAILED'] as const)
      expect(summary?.trialCounts[status], `${where}: ${status}`).toBe(
        trials.filter((t) => t.status === status).length,
      );
    expect(summary?.bestValue, where).toBe(best?.values?.[0]);
  }
}

async function property(target: Target): Promise<void> {
  await fc.assert(
    fc.asyncProperty(sequence, (ops) => runSequence(target, ops)),
    { numRuns: RUNS },
  );
}

describe('storage properties: random sequences of workers asking, telling, dying and reopening', () => {
  it(`memory: ${RUNS} sequences keep every invariant`, async () => {
    await property({ open: async () => new MemoryStorage(), persistent: false });
  }, 300_000);

  const dir = mkdtempSync(join(tmpdir(), 'hypertuner-properties-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it(`SQLite: ${RUNS} sequences keep every invariant`, async () => {
    const url = `sqlite:${join(dir, 'properties.db')}`;
    await property({ open: () => openStorage(url), persistent: true });
  }, 300_000);

  const postgres = usePostgresServer();
  it(`PostgreSQL: ${RUNS} sequences keep every invariant`, async () => {
    const url = postgres().url;
    await property({ open: () => openStorage(url), persistent: true });
  }, 300_000);
});
