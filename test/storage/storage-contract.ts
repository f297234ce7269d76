/**
 * The storage contract as tests: every adapter runs this one suite (see src/storage/storage.ts
 * for the invariants).
 */
import { describe, expect, it } from 'vitest';
import type { SearchSpaceJson } from '../../src/space/index.js';
import { SearchSpace } from '../../src/space/index.js';
import type {
  StartDecision,
  Storage,
  StudyRecord,
  StudySnapshot,
  TrialTemplate,
} from '../../src/storage/index.js';
import type { Trial } from '../../src/trials/index.js';

export interface StorageFixture {
  readonly storage: Storage;
  /** Removes everything the fixture made (closing `storage` first is the suite's job). */
  cleanup(): Promise<void>;
  /** Opens another handle to the same store (persistent stores only). */
  open?(): Promise<Storage>;
}

const loss = [{ name: 'loss', direction: 'minimize' as const }];

function intParam(name: string, min: number, max: number): SearchSpaceJson['parameters'][number] {
  return {
    kind: 'int',
    name,
    min,
    max,
    step: undefined,
    sampling: 'linear',
    default: min,
    conditions: [],
  };
}

function spaceOf(...parameters: SearchSpaceJson['parameters']): SearchSpaceJson {
  return { version: 1, parameters };
}

const create =
  (params: Record<string, number> = {}): (() => StartDecision) =>
  () => ({ kind: 'create', params });

async function started(
  storage: Storage,
  study: StudyRecord,
  worker = 'w1',
  params: Record<string, number> = {},
): Promise<Trial> {
  const outcome = await storage.startTrial(study.id, worker, create(params));
  if (outcome.kind !== 'started') throw new Error(`expected a started trial, got ${outcome.kind}`);
  return outcome.trial;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'HypertunerError', code });
}

/** Runs `body` on a new fixture of `make`, then closes its storage and cleans it up. */
export async function withFixture<F extends StorageFixture>(
  make: () => Promise<F>,
  body: (storage: Storage, fixture: F) => Promise<void>,
): Promise<void> {
  const fixture = await make();
  try {
    await body(fixture.storage, fixture);
  } finally {
    await fixture.storage.close();
    await fixture.cleanup();
  }
}

export function describeStorageContract(
  name: string,
  makeStorage: () => Promise<StorageFixture>,
): void {
  describe(`storage contract: ${name}`, () => {
    const withStorage = (
      body: (storage: Storage, fixture: StorageFixture) => Promise<void>,
    ): Promise<void> => withFixture(makeStorage, body);

    it('creates, loads, lists and deletes studies', () =>
      withStorage(async (storage) => {
        const space = spaceOf(intParam('units', 8, 64));
        const a = await storage.createStudy({
          name: 'a',
          objectives: loss,
          space,
          userAttrs: { oracle: 'random', n: [1, 2] },
        });
        expect(a).toMatchObject({
          name: 'a',
          objectives: loss,
          userAttrs: { oracle: 'random', n: [1, 2] },
        });
        expect(a.space.parameters.map((p) => p.name)).toEqual(['units']);
        expect(a.createdAt).toBeGreaterThan(0);
        await expectCode(storage.createStudy({ name: 'a', objectives: loss }), 'STUDY_EXISTS');
        const b = await storage.createStudy({
          name: 'b',
          objectives: [{ name: 'acc', direction: 'maximize' }],
        });
        expect(b.id).not.toBe(a.id);

        const loaded = await storage.loadStudy('a');
        expect(loaded?.id).toBe(a.id);
        expect(loaded?.space.toJSON()).toEqual(new SearchSpace(a.space.parameters).toJSON());
        expect(loaded?.userAttrs).toEqual({ oracle: 'random', n: [1, 2] });
        expect(await storage.loadStudy('nope')).toBeUndefined();

        expect((await storage.listStudies()).map((s) => s.name).sort()).toEqual(['a', 'b']);
        await storage.deleteStudy('a');
        await expectCode(storage.deleteStudy('a'), 'STUDY_NOT_FOUND');
        expect(await storage.loadStudy('a')).toBeUndefined();
        expect((await storage.listStudies()).map((s) => s.name)).toEqual(['b']);
      }));

    it('lists trial counts and the best value for each direction', () =>
      withStorage(async (storage) => {
        const min = await storage.createStudy({ name: 'min', objectives: loss });
        const max = await storage.createStudy({
          name: 'max',
          objectives: [{ name: 'acc', direction: 'maximize' }],
        });
        for (const study of [min, max]) {
          for (const v of [0.5, 0.2, 0.9])
            await storage.finishTrial((await started(storage, study)).id, {
              status: 'COMPLETED',
              values: [v],
            });
          await storage.finishTrial((await started(storage, study)).id, {
            status: 'FAILED',
            error: 'boom',
          });
          await storage.finishTrial((await started(storage, study)).id, {
            status: 'PRUNED',
            values: [0.01],
          });
          await started(storage, study);
          await storage.enqueueTrial(study.id, {});
        }
        const summaries = await storage.listStudies();
        const byName = new Map(summaries.map((s) => [s.name, s]));
        expect(byName.get('min')?.trialCounts).toEqual({
          WAITING: 1,
          RUNNING: 1,
          COMPLETED: 3,
          PRUNED: 1,
          FAILED: 1,
        });
        expect(byName.get('min')?.bestValue).toBe(0.2);
        expect(byName.get('max')?.bestValue).toBe(0.9);
        const empty = await storage.createStudy({ name: 'empty', objectives: loss });
        const emptySummary = (await storage.listStudies()).find((s) => s.id === empty.id);
        expect(emptySummary?.bestValue).toBeUndefined();
        expect(emptySummary?.trialCounts.COMPLETED).toBe(0);
      }));

    it('deleting a study deletes its trials and keeps the others', () =>
      withStorage(async (storage) => {
        const a = await storage.createStudy({ name: 'a', objectives: loss });
        const b = await storage.createStudy({ name: 'b', objectives: loss });
        const ta = await started(storage, a);
        await storage.reportIntermediate(ta.id, { step: 0, value: 1, metrics: {} });
        const tb = await started(storage, b);
        await storage.deleteStudy('a');
        expect(await storage.getTrial(ta.id)).toBeUndefined();
        expect((await storage.getTrial(tb.id))?.status).toBe('RUNNING');
        const again = await storage.createStudy({ name: 'a', objectives: loss });
        expect(await storage.getTrials(again.id)).toEqual([]);
        expect((await started(storage, again)).number).toBe(0);
      }));

    it('merges search spaces as a union and refuses a redeclaration', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({
          name: 's',
          objectives: loss,
          space: spaceOf(intParam('a', 0, 10)),
        });
        const merged = await storage.mergeSearchSpace(
          study.id,
          spaceOf(intParam('a', 0, 10), intParam('b', 1, 5)),
        );
        expect(merged.parameters.map((p) => p.name)).toEqual(['a', 'b']);
        expect(
          (await storage.mergeSearchSpace(study.id, spaceOf(intParam('c', 0, 1)))).parameters.map(
            (p) => p.name,
          ),
        ).toEqual(['a', 'b', 'c']);
        await expectCode(
          storage.mergeSearchSpace(study.id, spaceOf(intParam('d', 0, 1), intParam('a', 0, 99))),
          'SPACE_REDECLARED',
        );
        const loaded = await storage.loadStudy('s');
        expect(loaded?.space.parameters.map((p) => p.name)).toEqual(['a', 'b', 'c']);
        await expectCode(storage.mergeSearchSpace(9_999_999, spaceOf()), 'STUDY_NOT_FOUND');
      }));

    it('sets study user attributes', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({
          name: 's',
          objectives: loss,
          userAttrs: { a: 1 },
        });
        await storage.setStudyUserAttr(study.id, 'b', { nested: [true, null, 'x'] });
        await storage.setStudyUserAttr(study.id, 'a', 2);
        expect((await storage.loadStudy('s'))?.userAttrs).toEqual({
          a: 2,
          b: { nested: [true, null, 'x'] },
        });
      }));

    it('startTrial creates a RUNNING trial from what decide sees', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({
          name: 's',
          objectives: loss,
          space: spaceOf(intParam('x', 0, 9)),
        });
        const seen: StudySnapshot[] = [];
        const before = Date.now();
        const outcome = await storage.startTrial(study.id, 'host:1:abc', (snapshot) => {
          seen.push(snapshot);
          return { kind: 'create', params: { x: 3 }, oracleAttrs: { bracket: 1 } };
        });
        expect(outcome.kind).toBe('started');
        if (outcome.kind !== 'started') return;
        expect(outcome.trial).toMatchObject({
          number: 0,
          status: 'RUNNING',
          params: { x: 3 },
          workerId: 'host:1:abc',
          oracleAttrs: { bracket: 1 },
          userAttrs: {},
          intermediate: [],
        });
        expect(outcome.trial.startedAt).toBeGreaterThanOrEqual(before);
        expect(outcome.trial.heartbeatAt).toBeGreaterThanOrEqual(before);
        expect(seen[0]?.study.id).toBe(study.id);
        expect(seen[0]?.study.space.parameters.map((p) => p.name)).toEqual(['x']);
        expect(seen[0]?.trials).toEqual([]);
        await storage.startTrial(study.id, 'w2', (snapshot) => {
          seen.push(snapshot);
          return { kind: 'create', params: { x: 4 } };
        });
        expect(seen[1]?.trials.map((t) => [t.number, t.status, t.params])).toEqual([
          [0, 'RUNNING', { x: 3 }],
        ]);
        expect((await storage.getTrial(outcome.trial.id))?.params).toEqual({ x: 3 });
        await expectCode(storage.startTrial(9_999_999, 'w', create()), 'STUDY_NOT_FOUND');
      }));

    it('startTrial claims a WAITING trial, and refuses one that is not waiting', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const queued = await storage.enqueueTrial(
          study.id,
          { x: 7 },
          { oracleAttrs: { o: 1 }, userAttrs: { u: 2 } },
        );
        expect(queued).toMatchObject({
          number: 0,
          status: 'WAITING',
          params: { x: 7 },
          startedAt: undefined,
          workerId: undefined,
          oracleAttrs: { o: 1 },
          userAttrs: { u: 2 },
        });
        const outcome = await storage.startTrial(study.id, 'w9', (snapshot) => {
          const waiting = snapshot.trials.find((t) => t.status === 'WAITING');
          return waiting === undefined
            ? { kind: 'wait', reason: 'none' }
            : { kind: 'claim', trialId: waiting.id };
        });
        expect(outcome).toMatchObject({
          kind: 'started',
          trial: { id: queued.id, number: 0, status: 'RUNNING', workerId: 'w9', params: { x: 7 } },
        });
        await expectCode(
          storage.startTrial(study.id, 'w9', () => ({ kind: 'claim', trialId: queued.id })),
          'TRIAL_NOT_WAITING',
        );
        await expectCode(
          storage.startTrial(study.id, 'w9', () => ({ kind: 'claim', trialId: 9_999_999 })),
          'TRIAL_NOT_WAITING',
        );
        expect((await storage.getTrials(study.id)).length).toBe(1);
      }));

    it('refuses to queue parameter values it could not keep as they are (Infinity, NaN, objects)', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        for (const value of [Infinity, -Infinity, NaN, { a: 1 }, null]) {
          await expect(
            storage.enqueueTrial(study.id, { ok: 1, x: value as never }),
          ).rejects.toMatchObject({ code: 'STORAGE_INVALID_VALUE', field: 'x' });
        }
        expect(await storage.getTrials(study.id)).toEqual([]);
        const queued = await storage.enqueueTrial(study.id, { n: -2.5, s: 'a', b: false });
        expect((await storage.getTrial(queued.id))?.params).toEqual({ n: -2.5, s: 'a', b: false });
      }));

    it('startTrial answers wait, exhausted and stop without creating a trial; a throwing decide changes nothing', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        for (const kind of ['wait', 'exhausted', 'stop'] as const) {
          expect(
            await storage.startTrial(study.id, 'w', () => ({ kind, reason: `because ${kind}` })),
          ).toEqual({ kind, reason: `because ${kind}` });
        }
        await expect(
          storage.startTrial(study.id, 'w', () => {
            throw new Error('oracle bug');
          }),
        ).rejects.toThrow('oracle bug');
        expect(await storage.getTrials(study.id)).toEqual([]);
        expect((await started(storage, study)).number).toBe(0);
      }));

    it('gives unique, dense trial numbers to concurrent starts and enqueues', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const other = await storage.createStudy({ name: 'other', objectives: loss });
        await Promise.all([
          ...Array.from({ length: 12 }, (_, i) => started(storage, study, `w${i}`, { i })),
          ...Array.from({ length: 4 }, (_, i) => storage.enqueueTrial(study.id, { q: i })),
          ...Array.from({ length: 3 }, () => started(storage, other)),
        ]);
        const numbers = (await storage.getTrials(study.id)).map((t) => t.number);
        expect(numbers).toEqual(Array.from({ length: 16 }, (_, i) => i));
        expect((await storage.getTrials(other.id)).map((t) => t.number)).toEqual([0, 1, 2]);
      }));

    it('decide sees every trial created before it under concurrent starts', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        expect(await concurrentStartsSeeAll([storage, storage, storage], study.id, 8)).toEqual([]);
      }));

    it('filters trials by status and finds single trials', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const a = await started(storage, study);
        const b = await started(storage, study);
        await storage.enqueueTrial(study.id, {});
        await storage.finishTrial(a.id, { status: 'COMPLETED', values: [1] });
        expect(
          (await storage.getTrials(study.id, { statuses: ['COMPLETED'] })).map((t) => t.id),
        ).toEqual([a.id]);
        expect(
          (await storage.getTrials(study.id, { statuses: ['RUNNING', 'WAITING'] })).map(
            (t) => t.number,
          ),
        ).toEqual([1, 2]);
        expect((await storage.getTrial(b.id))?.number).toBe(1);
        expect(await storage.getTrial(9_999_999)).toBeUndefined();
        await expectCode(storage.getTrials(9_999_999), 'STUDY_NOT_FOUND');
      }));

    it('records intermediate values by step, a repeated step replacing the old value', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const trial = await started(storage, study);
        await storage.reportIntermediate(trial.id, { step: 2, value: 0.5, metrics: { loss: 0.5 } });
        await storage.reportIntermediate(trial.id, {
          step: 0,
          value: 0.9,
          metrics: { loss: 0.9, acc: 0.1 },
        });
        await storage.reportIntermediate(trial.id, { step: 2, value: 0.4, metrics: { loss: 0.4 } });
        expect((await storage.getTrial(trial.id))?.intermediate).toEqual([
          { step: 0, value: 0.9, metrics: { loss: 0.9, acc: 0.1 } },
          { step: 2, value: 0.4, metrics: { loss: 0.4 } },
        ]);
        expect((await storage.getTrials(study.id))[0]?.intermediate.map((iv) => iv.value)).toEqual([
          0.9, 0.4,
        ]);
        await expectCode(
          storage.reportIntermediate(trial.id, { step: -1, value: 1, metrics: {} }),
          'STORAGE_INVALID_VALUE',
        );
        await expectCode(
          storage.reportIntermediate(trial.id, { step: 1.5, value: 1, metrics: {} }),
          'STORAGE_INVALID_VALUE',
        );
        await storage.finishTrial(trial.id, { status: 'PRUNED', values: [0.4] });
        await expectCode(
          storage.reportIntermediate(trial.id, { step: 3, value: 0.3, metrics: {} }),
          'TRIAL_NOT_RUNNING',
        );
        expect((await storage.getTrial(trial.id))?.intermediate).toHaveLength(2);
        await expectCode(
          storage.reportIntermediate(9_999_999, { step: 0, value: 1, metrics: {} }),
          'TRIAL_NOT_FOUND',
        );
      }));

    it('keeps non-finite numbers and precise floats', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const trial = await started(storage, study, 'w', { x: 0.1 + 0.2 });
        await storage.reportIntermediate(trial.id, {
          step: 0,
          value: Infinity,
          metrics: { a: -Infinity, b: 1 / 3 },
        });
        const done = await storage.finishTrial(trial.id, {
          status: 'COMPLETED',
          values: [Math.PI, Infinity],
          metrics: { m: -Infinity, n: 1e-300 },
        });
        expect(done.values).toEqual([Math.PI, Infinity]);
        expect(done.metrics).toEqual({ m: -Infinity, n: 1e-300 });
        const [read] = await storage.getTrials(study.id);
        expect(read?.params).toEqual({ x: 0.1 + 0.2 });
        expect(read?.intermediate).toEqual([
          { step: 0, value: Infinity, metrics: { a: -Infinity, b: 1 / 3 } },
        ]);
        expect(read?.values).toEqual([Math.PI, Infinity]);
      }));

    it('heartbeats running trials only', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const trial = await started(storage, study);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await storage.heartbeat(trial.id);
        expect((await storage.getTrial(trial.id))?.heartbeatAt).toBeGreaterThan(
          trial.heartbeatAt ?? Infinity,
        );
        await storage.finishTrial(trial.id, { status: 'FAILED', error: 'x' });
        await expectCode(storage.heartbeat(trial.id), 'TRIAL_NOT_RUNNING');
        await expectCode(storage.heartbeat(9_999_999), 'TRIAL_NOT_FOUND');
      }));

    it('finishes a trial once; finished trials are immutable', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const trial = await started(storage, study);
        const done = await storage.finishTrial(trial.id, {
          status: 'COMPLETED',
          values: [0.25],
          metrics: { loss: 0.25, acc: 0.9 },
        });
        expect(done).toMatchObject({
          id: trial.id,
          status: 'COMPLETED',
          values: [0.25],
          metrics: { loss: 0.25, acc: 0.9 },
          error: undefined,
        });
        expect(done.finishedAt).toBeGreaterThanOrEqual(trial.startedAt ?? 0);
        await expectCode(
          storage.finishTrial(trial.id, { status: 'COMPLETED', values: [0.1] }),
          'TRIAL_NOT_RUNNING',
        );
        await expectCode(
          storage.finishTrial(trial.id, { status: 'FAILED', error: 'late' }),
          'TRIAL_NOT_RUNNING',
        );
        expect((await storage.getTrial(trial.id))?.values).toEqual([0.25]);

        const failed = await storage.finishTrial((await started(storage, study)).id, {
          status: 'FAILED',
          error: 'Error: out of memory',
        });
        expect(failed).toMatchObject({
          status: 'FAILED',
          error: 'Error: out of memory',
          values: undefined,
        });
        const waiting = await storage.enqueueTrial(study.id, {});
        await expectCode(
          storage.finishTrial(waiting.id, { status: 'COMPLETED', values: [1] }),
          'TRIAL_NOT_RUNNING',
        );
        await expectCode(
          storage.finishTrial(9_999_999, { status: 'COMPLETED', values: [1] }),
          'TRIAL_NOT_FOUND',
        );
        const running = await started(storage, study);
        await expectCode(
          storage.finishTrial(running.id, { status: 'COMPLETED' }),
          'STORAGE_INVALID_VALUE',
        );
        await expectCode(
          storage.finishTrial(running.id, { status: 'COMPLETED', values: [NaN] }),
          'STORAGE_INVALID_VALUE',
        );
        expect((await storage.getTrial(running.id))?.status).toBe('RUNNING');
      }));

    it('sets trial user attributes, on finished trials too', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const trial = await started(storage, study);
        await storage.setTrialUserAttr(trial.id, 'checkpoint', '/tmp/x');
        await storage.finishTrial(trial.id, { status: 'COMPLETED', values: [1] });
        expect((await storage.getTrials(study.id))[0]?.userAttrs).toEqual({ checkpoint: '/tmp/x' });
        await storage.setTrialUserAttr(trial.id, 'bestEpoch', 3);
        expect((await storage.getTrials(study.id))[0]?.userAttrs).toEqual({
          checkpoint: '/tmp/x',
          bestEpoch: 3,
        });
        expect((await storage.getTrial(trial.id))?.userAttrs).toEqual({
          checkpoint: '/tmp/x',
          bestEpoch: 3,
        });
        await expectCode(storage.setTrialUserAttr(9_999_999, 'a', 1), 'TRIAL_NOT_FOUND');
      }));

    it('getTrials stays current as trials start and finish (many reads)', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        for (let i = 0; i < 30; i++) {
          const trial = await started(storage, study, 'w', { i });
          const trials = await storage.getTrials(study.id);
          expect(trials.map((t) => t.number)).toEqual(Array.from({ length: i + 1 }, (_, j) => j));
          expect(trials[i]?.status).toBe('RUNNING');
          if (i % 3 === 0)
            await storage.reportIntermediate(trial.id, { step: 0, value: i, metrics: {} });
          await storage.finishTrial(
            trial.id,
            i % 5 === 0
              ? { status: 'FAILED', error: `e${i}` }
              : { status: 'COMPLETED', values: [i] },
          );
        }
        const trials = await storage.getTrials(study.id);
        expect(trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(24);
        expect(trials[3]?.intermediate).toEqual([{ step: 0, value: 3, metrics: {} }]);
        expect(trials[5]?.error).toBe('e5');
      }));

    it('reaps trials stale by heartbeat age and queues one retry each', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const stale = await started(storage, study, 'gone', { x: 1 });
        const fresh = await started(storage, study, 'alive', { x: 2 });
        await storage.heartbeat(fresh.id);
        const now = (stale.heartbeatAt ?? 0) + 10_000;
        await storage.heartbeat(fresh.id);
        const reaped = await storage.reapStaleTrials(study.id, {
          staleAfterMs: 5_000,
          maxRetries: 3,
          now,
          isWorkerAlive: (w) => (w === 'alive' ? true : undefined),
        });
        expect(reaped.map((t) => t.id)).toEqual([stale.id]);
        expect(reaped[0]?.status).toBe('FAILED');
        expect(reaped[0]?.error).toMatch(/gone/);
        const trials = await storage.getTrials(study.id);
        expect(trials.map((t) => [t.number, t.status, t.retryOf ?? null, t.params])).toEqual([
          [0, 'FAILED', null, { x: 1 }],
          [1, 'RUNNING', null, { x: 2 }],
          [2, 'WAITING', 0, { x: 1 }],
        ]);
        expect(
          await storage.reapStaleTrials(study.id, {
            staleAfterMs: 5_000,
            maxRetries: 3,
            now: Date.now(),
          }),
        ).toEqual([]);
        await expectCode(
          storage.finishTrial(stale.id, { status: 'COMPLETED', values: [1] }),
          'TRIAL_NOT_RUNNING',
        );
      }));

    it('reaps at once trials whose worker is known dead, never those known alive', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const dead = await started(storage, study, 'dead');
        const alive = await started(storage, study, 'alive');
        const unknown = await started(storage, study, 'unknown');
        const reaped = await storage.reapStaleTrials(study.id, {
          staleAfterMs: 60_000,
          maxRetries: 0,
          isWorkerAlive: (w) => (w === 'dead' ? false : w === 'alive' ? true : undefined),
        });
        expect(reaped.map((t) => t.id)).toEqual([dead.id]);
        const later = await storage.reapStaleTrials(study.id, {
          staleAfterMs: 1,
          maxRetries: 0,
          now: Date.now() + 120_000,
          isWorkerAlive: (w) => (w === 'alive' ? true : undefined),
        });
        expect(later.map((t) => t.id)).toEqual([unknown.id]);
        expect((await storage.getTrial(alive.id))?.status).toBe('RUNNING');
        expect(await storage.getTrials(study.id, { statuses: ['WAITING'] })).toEqual([]);
      }));

    it('reaps each stale trial exactly once under concurrent reapers, retries capped by maxRetries', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({ name: 's', objectives: loss });
        const first = await started(storage, study, 'dead', { x: 1 });
        const options = { staleAfterMs: 60_000, maxRetries: 2, isWorkerAlive: () => false };
        const claimRetry = async (): Promise<Trial | undefined> => {
          const outcome = await storage.startTrial(study.id, 'dead', (s) => {
            const waiting = s.trials.find((t) => t.status === 'WAITING');
            return waiting === undefined
              ? { kind: 'wait', reason: 'nothing queued' }
              : { kind: 'claim', trialId: waiting.id };
          });
          return outcome.kind === 'started' ? outcome.trial : undefined;
        };
        const rounds: number[] = [];
        for (let round = 0; round < 4; round++) {
          const results = await Promise.all(
            Array.from({ length: 4 }, () => storage.reapStaleTrials(study.id, options)),
          );
          rounds.push(results.reduce((n, r) => n + r.length, 0));
          const retry = await claimRetry();
          if (retry === undefined) break;
          expect(retry.retryOf).toBe(first.number);
          expect(retry.params).toEqual({ x: 1 });
        }
        expect(rounds).toEqual([1, 1, 1]);
        const trials = await storage.getTrials(study.id);
        expect(trials.map((t) => [t.status, t.retryOf ?? null])).toEqual([
          ['FAILED', null],
          ['FAILED', 0],
          ['FAILED', 0],
        ]);
      }));

    it('addTrials writes trials whole, numbered on from the last, all of them or none', () =>
      withStorage(async (storage) => {
        const study = await storage.createStudy({
          name: 'given',
          objectives: loss,
          createdAt: 12345,
        });
        expect(study.createdAt).toBe(12345);
        expect((await storage.loadStudy('given'))?.createdAt).toBe(12345);
        const first = await started(storage, study, 'w', { a: 0 });
        await storage.finishTrial(first.id, { status: 'COMPLETED', values: [3] });
        expect(await storage.getTrials(study.id)).toHaveLength(1); // a reader with a cache
        const base = {
          params: {},
          values: undefined,
          metrics: {},
          intermediate: [],
          error: undefined,
          createdAt: 1000,
          startedAt: undefined,
          finishedAt: undefined,
          heartbeatAt: undefined,
          workerId: undefined,
          retryOf: undefined,
          oracleAttrs: {},
          userAttrs: {},
        };
        const templates: TrialTemplate[] = [
          {
            ...base,
            status: 'COMPLETED',
            params: { a: 1, kind: 'x,"y"', on: true },
            values: [0.25],
            metrics: { loss: 0.25, acc: Infinity },
            intermediate: [
              { step: 2, value: 0.5, metrics: { loss: 0.5 } },
              { step: 0, value: NaN, metrics: {} },
            ],
            startedAt: 1001,
            finishedAt: 1002,
            heartbeatAt: 1002,
            workerId: 'old-host:1:abc',
            oracleAttrs: { bracket: 1 },
            userAttrs: { note: { nested: [1, 'two'] } },
          },
          {
            ...base,
            status: 'PRUNED',
            params: { a: 2 },
            values: [-Infinity],
            startedAt: 1003,
            finishedAt: 1004,
          },
          {
            ...base,
            status: 'FAILED',
            params: { a: 3 },
            error: 'boom\n"quoted"',
            startedAt: 1005,
            finishedAt: 1006,
          },
          {
            ...base,
            status: 'RUNNING',
            params: { a: 4 },
            startedAt: 1007,
            heartbeatAt: 1008,
            workerId: 'w9',
          },
          { ...base, status: 'WAITING', params: { a: 5 }, retryOf: 1 },
        ];
        const added = await storage.addTrials(study.id, templates);
        expect(added.map((t) => t.number)).toEqual([1, 2, 3, 4, 5]);
        const trials = await storage.getTrials(study.id);
        expect(trials).toHaveLength(6);
        const sortedSteps = {
          ...templates[0],
          intermediate: [templates[0]?.intermediate[1], templates[0]?.intermediate[0]],
        };
        [sortedSteps, ...templates.slice(1)].forEach((template, i) => {
          const { id: _id, number, ...rest } = trials[i + 1] as Trial;
          expect(number).toBe(i + 1);
          expect(rest).toEqual(template);
          expect(added[i]).toEqual(trials[i + 1]);
        });
        expect((await storage.listStudies())[0]?.bestValue).toBe(0.25);
        // the added live trials are live: the RUNNING one finishes, the WAITING one is claimed
        await storage.finishTrial(added[3]?.id as number, { status: 'COMPLETED', values: [0.1] });
        const claimed = await storage.startTrial(study.id, 'w', () => ({
          kind: 'claim',
          trialId: added[4]?.id as number,
        }));
        expect(claimed.kind).toBe('started');
        await expectCode(
          storage.finishTrial(added[0]?.id as number, { status: 'FAILED' }),
          'TRIAL_NOT_RUNNING',
        );
        // one bad trial: none is added
        const error = await storage
          .addTrials(study.id, [templates[1] as TrialTemplate, { ...base, status: 'COMPLETED' }])
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'STORAGE_INVALID_VALUE' });
        expect((error as Error).message).toContain('trials[1]');
        expect(await storage.getTrials(study.id)).toHaveLength(6);
        await expectCode(
          storage.addTrials(study.id, [{ ...base, status: 'WAITING', createdAt: 1.5 }]),
          'STORAGE_INVALID_VALUE',
        );
        expect(await storage.addTrials(study.id, [])).toEqual([]);
        await expectCode(storage.addTrials(study.id + 999, []), 'STUDY_NOT_FOUND');
      }));

    it('keeps data across close and reopen, and shares it between handles (persistent stores)', async () => {
      const fixture = await makeStorage();
      try {
        const { storage } = fixture;
        if (fixture.open === undefined) {
          expect(storage.url).toBe('memory:');
          return;
        }
        const study = await storage.createStudy({
          name: 'kept',
          objectives: loss,
          space: spaceOf(intParam('a', 0, 3)),
        });
        const done = await started(storage, study, 'w', { a: 1 });
        await storage.reportIntermediate(done.id, { step: 1, value: 0.7, metrics: { loss: 0.7 } });
        await storage.finishTrial(done.id, { status: 'COMPLETED', values: [0.7] });
        await started(storage, study, 'w', { a: 2 });
        expect((await storage.getTrials(study.id)).length).toBe(2);

        const other = await fixture.open();
        try {
          const otherStudy = await other.loadStudy('kept');
          expect(otherStudy?.id).toBe(study.id);
          const third = await started(other, study, 'w2', { a: 3 });
          await other.finishTrial(third.id, { status: 'PRUNED', values: [0.9] });
          await other.setTrialUserAttr(done.id, 'note', 'seen');
          const seen = await storage.getTrials(study.id);
          expect(seen.map((t) => [t.number, t.status])).toEqual([
            [0, 'COMPLETED'],
            [1, 'RUNNING'],
            [2, 'PRUNED'],
          ]);
          expect(seen[0]?.userAttrs).toEqual({ note: 'seen' });
        } finally {
          await other.close();
        }
        await storage.close();

        const reopened = await fixture.open();
        try {
          const loaded = await reopened.loadStudy('kept');
          expect(loaded?.space.parameters.map((p) => p.name)).toEqual(['a']);
          const trials = await reopened.getTrials(study.id);
          expect(trials.map((t) => [t.number, t.status, t.params])).toEqual([
            [0, 'COMPLETED', { a: 1 }],
            [1, 'RUNNING', { a: 2 }],
            [2, 'PRUNED', { a: 3 }],
          ]);
          expect(trials[0]?.intermediate).toEqual([
            { step: 1, value: 0.7, metrics: { loss: 0.7 } },
          ]);
          expect((await started(reopened, study)).number).toBe(3);
        } finally {
          await reopened.close();
        }
      } finally {
        await fixture.storage.close().catch(() => undefined);
        await fixture.cleanup();
      }
    });
  });
}

/**
 * Runs start/finish loops on `handles` at once; each created trial's number must equal the
 * number of trials its `decide` saw (the history is read under the lock, after every earlier
 * creation committed). Returns the mismatches.
 */
export async function concurrentStartsSeeAll(
  handles: readonly Storage[],
  studyId: number,
  perHandle: number,
): Promise<string[]> {
  const mismatches: string[] = [];
  await Promise.all(
    handles.map(async (handle, h) => {
      for (let i = 0; i < perHandle; i++) {
        let seen = -1;
        const outcome = await handle.startTrial(studyId, `w${h}`, (snapshot) => {
          seen = snapshot.trials.length;
          return { kind: 'create', params: { h, i } };
        });
        if (outcome.kind !== 'started') throw new Error('not started');
        if (outcome.trial.number !== seen)
          mismatches.push(`trial ${outcome.trial.number} saw ${seen} trials`);
        await handle.finishTrial(outcome.trial.id, { status: 'COMPLETED', values: [i] });
      }
    }),
  );
  return mismatches;
}
