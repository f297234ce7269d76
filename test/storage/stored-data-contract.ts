/**
 * The storage contract for what a storage is given and what it finds: strings it cannot keep as
 * they are (U+0000, lone surrogates) stored the same way by every adapter, one study-name rule,
 * and rows damaged by hand read as `STORAGE_CORRUPT` errors naming storage, study, trial and
 * field, while the other trials stay readable. Run by every adapter's test file.
 */
import { describe, expect, it } from 'vitest';
import type { CorruptRecord, Storage, StudyRecord } from '../../src/storage/index.js';
import { MAX_STUDY_NAME_LENGTH } from '../../src/storage/index.js';
import type { Trial } from '../../src/trials/index.js';
import type { StorageFixture } from './storage-contract.js';
import { withFixture } from './storage-contract.js';

/** A fixture that can also run SQL on the storage's database, as a hand edit would. */
export interface DamageableFixture extends StorageFixture {
  /** Runs one statement (`?` placeholders) on the storage's database (SQL stores only). */
  damage?(sql: string, params?: readonly (string | number | null)[]): Promise<void>;
}

const loss = [{ name: 'loss', direction: 'minimize' as const }];

async function started(storage: Storage, study: StudyRecord, worker = 'w1', params = {}) {
  const outcome = await storage.startTrial(study.id, worker, () => ({ kind: 'create', params }));
  if (outcome.kind !== 'started') throw new Error(`expected a started trial, got ${outcome.kind}`);
  return outcome.trial;
}

/** A name of `n` characters, each 4 bytes in UTF-8 and different (nothing to compress). */
function wideName(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    String.fromCodePoint(0x1f300 + ((i * 7919) % 700)),
  ).join('');
}

/** The damages of the table below: where, what is written, the field the error must name. */
interface Damage {
  readonly what: string;
  readonly sql: string;
  readonly params?: readonly (string | number)[];
  readonly field: RegExp;
  /** SQLite only: PostgreSQL's column types refuse the value. */
  readonly sqliteOnly?: boolean;
}

const TRIAL_DAMAGES: readonly Damage[] = [
  {
    what: 'params not JSON',
    sql: "UPDATE trials SET params = '{x: 1' WHERE id = ?",
    field: /^params$/,
  },
  {
    what: 'a parameter value that is an object',
    sql: 'UPDATE trials SET params = \'{"x": {"a": 1}}\' WHERE id = ?',
    field: /^params$/,
  },
  {
    what: 'objective values as text',
    sql: 'UPDATE trials SET objective_values = \'"0.5"\' WHERE id = ?',
    field: /^objective_values$/,
  },
  {
    what: 'a metric that is text',
    sql: 'UPDATE trials SET metrics = \'{"loss": "low"}\' WHERE id = ?',
    field: /^metrics$/,
  },
  {
    what: 'an unknown status',
    sql: "UPDATE trials SET status = 'DONE' WHERE id = ?",
    field: /^status$/,
  },
  {
    what: 'user attrs as a list',
    sql: "UPDATE trials SET user_attrs = '[1]' WHERE id = ?",
    field: /^user_attrs$/,
  },
  {
    what: 'intermediate metrics not JSON',
    sql: "UPDATE intermediate_values SET metrics = 'nope' WHERE trial_id = ?",
    field: /^intermediate_values \(step 0\)\.metrics$/,
  },
  {
    what: 'a timestamp that is text',
    sql: "UPDATE trials SET finished_at = 'yesterday' WHERE id = ?",
    field: /^finished_at$/,
    sqliteOnly: true,
  },
  {
    what: 'an intermediate value that is text',
    sql: "UPDATE intermediate_values SET value = 'high' WHERE trial_id = ?",
    field: /^intermediate_values \(step 0\)\.value$/,
    sqliteOnly: true,
  },
];

export function describeStoredDataContract(
  name: string,
  makeStorage: () => Promise<DamageableFixture>,
  options: {
    /** The SQL database under the fixture's `damage` (memory: none, no damage tests). */
    readonly sql?: 'sqlite' | 'postgres';
  } = {},
): void {
  const damages = TRIAL_DAMAGES.filter(
    (d) => options.sql !== undefined && (d.sqliteOnly !== true || options.sql === 'sqlite'),
  );
  /** The fixture's `damage`, which SQL fixtures must have. */
  const damageOf = (fixture: DamageableFixture): NonNullable<DamageableFixture['damage']> => {
    if (fixture.damage === undefined) throw new Error(`the ${name} fixture has no damage()`);
    return fixture.damage.bind(fixture);
  };
  describe(`stored data: ${name}`, () => {
    const withStorage = (
      body: (storage: Storage, fixture: DamageableFixture) => Promise<void>,
    ): Promise<void> => withFixture(makeStorage, body);

    it('stores U+0000 and lone surrogates in error text and worker ids as U+FFFD, and JSON fields exactly', () =>
      withStorage(async (storage) => {
        const attrs = { 'key\u0000': 'value\u0000', lone: '\ud800', pair: '\ud83d\ude00' };
        const study = await storage.createStudy({
          name: 'text',
          objectives: [{ name: 'lo\u0000ss', direction: 'minimize' }],
          userAttrs: attrs,
        });
        const trial = await started(storage, study, 'worker\u0000\udc00', {
          'p\u0000': 'v\u0000',
          q: '\udc00',
        });
        await storage.reportIntermediate(trial.id, {
          step: 0,
          value: 1,
          metrics: { 'lo\u0000ss': 1, '\ud800': 2 },
        });
        await storage.setTrialUserAttr(trial.id, 'n\u0000te', 'x\u0000y');
        const failed = await storage.finishTrial(trial.id, {
          status: 'FAILED',
          error: 'Error: a\u0000b \ud800 \ud83d\ude00',
        });
        expect(failed.error).toBe('Error: a\ufffdb \ufffd \ud83d\ude00');
        const [read] = await storage.getTrials(study.id);
        expect(read?.error).toBe('Error: a\ufffdb \ufffd \ud83d\ude00');
        expect(read?.workerId).toBe('worker\ufffd\ufffd');
        expect(read?.params).toEqual({ 'p\u0000': 'v\u0000', q: '\udc00' });
        expect(read?.userAttrs).toEqual({ 'n\u0000te': 'x\u0000y' });
        expect(read?.intermediate[0]?.metrics).toEqual({ 'lo\u0000ss': 1, '\ud800': 2 });
        const loaded = await storage.loadStudy('text');
        expect(loaded?.objectives[0]?.name).toBe('lo\u0000ss');
        expect(loaded?.userAttrs).toEqual(attrs);
      }));

    it('one study-name rule for every storage: 1 to 512 characters, not only spaces, no control characters', () =>
      withStorage(async (storage) => {
        const longest = wideName(MAX_STUDY_NAME_LENGTH);
        expect(Buffer.byteLength(longest)).toBe(4 * MAX_STUDY_NAME_LENGTH);
        const made = await storage.createStudy({ name: longest, objectives: loss });
        expect((await storage.loadStudy(longest))?.id).toBe(made.id);
        for (const bad of [
          wideName(MAX_STUDY_NAME_LENGTH + 1),
          'x'.repeat(10_000),
          '',
          '   ',
          'a\u0000b',
          'a\u001b[31mred',
          'tab\there',
          'lone\ud800',
        ]) {
          await expect(storage.createStudy({ name: bad, objectives: loss })).rejects.toMatchObject({
            code: 'STUDY_INVALID_NAME',
            field: 'name',
          });
        }
        expect(await storage.loadStudy('a\u0000b')).toBeUndefined();
        await expect(storage.deleteStudy('a\u0000b')).rejects.toMatchObject({
          code: 'STUDY_NOT_FOUND',
        });
        expect((await storage.listStudies()).map((s) => s.name)).toEqual([longest]);
      }));

    for (const damage of damages) {
      it(`a damaged trial (${damage.what}) is STORAGE_CORRUPT naming storage, study, trial and field; the others stay readable`, () =>
        withStorage(async (storage, fixture) => {
          const study = await storage.createStudy({ name: 'shop', objectives: loss });
          const trials: Trial[] = [];
          for (let i = 0; i < 3; i++) {
            const t = await started(storage, study, 'w', { x: i });
            await storage.reportIntermediate(t.id, { step: 0, value: i, metrics: { loss: i } });
            trials.push(await storage.finishTrial(t.id, { status: 'COMPLETED', values: [i] }));
          }
          const bad = trials[1] as Trial;
          await damageOf(fixture)(damage.sql, [bad.id]);
          // another handle, as the next command would open it (this one has the trials cached)
          const reader = fixture.open === undefined ? storage : await fixture.open();
          try {
            const error = (await reader.getTrials(study.id).catch((e: unknown) => e)) as Error & {
              code?: string;
              field?: string;
            };
            expect(error.message).toContain(reader.url);
            expect(error).toMatchObject({ code: 'STORAGE_CORRUPT' });
            expect(error.field).toMatch(damage.field);
            expect(error.message).toMatch(/study "shop", trial 1: /);
            expect(error.stack).not.toContain('SyntaxError');
            const reported: CorruptRecord[] = [];
            const readable = await reader.getTrials(study.id, {
              onCorrupt: (r) => reported.push(r),
            });
            expect(readable.map((t) => t.number)).toEqual([0, 2]);
            expect(reported.map((r) => [r.studyName, r.trialNumber, r.error.code])).toEqual([
              ['shop', 1, 'STORAGE_CORRUPT'],
            ]);
            expect(reported[0]?.field).toMatch(damage.field);
            // strict again: the damaged row was not cached away
            await expect(reader.getTrials(study.id)).rejects.toMatchObject({
              code: 'STORAGE_CORRUPT',
            });
            expect((await reader.getTrial(trials[2]!.id))?.values).toEqual([2]);
            await expect(reader.getTrial(bad.id)).rejects.toMatchObject({
              code: 'STORAGE_CORRUPT',
              message: expect.stringContaining('study "shop", trial 1: '),
            });
            // a search on it stops with the same error, and writes nothing
            await expect(
              reader.startTrial(study.id, 'w', () => ({ kind: 'create', params: {} })),
            ).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
            const summaries = await reader.listStudies({ onCorrupt: () => undefined });
            expect(summaries.map((s) => s.name)).toEqual(['shop']);
          } finally {
            if (reader !== storage) await reader.close();
          }
        }));
    }

    if (options.sql === undefined) return;
    it('a damaged study row is STORAGE_CORRUPT naming it; the other studies are listed', () =>
      withStorage(async (storage, fixture) => {
        await storage.createStudy({ name: 'good', objectives: loss });
        const bad = await storage.createStudy({ name: 'bad', objectives: loss });
        await storage.createStudy({ name: 'spaced', objectives: loss });
        await damageOf(fixture)('UPDATE studies SET objectives = \'[{"name": 1}]\' WHERE id = ?', [
          bad.id,
        ]);
        await damageOf(fixture)('UPDATE studies SET space = \'{"parameters": 3}\' WHERE name = ?', [
          'spaced',
        ]);
        await expect(storage.loadStudy('bad')).rejects.toMatchObject({
          code: 'STORAGE_CORRUPT',
          field: 'objectives',
          message: expect.stringMatching(
            /study "bad": objectives is a list, not a list of \{name, direction\}/,
          ),
        });
        await expect(storage.loadStudy('spaced')).rejects.toMatchObject({
          code: 'STORAGE_CORRUPT',
          field: 'space',
        });
        await expect(storage.listStudies()).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
        const reported: CorruptRecord[] = [];
        const listed = await storage.listStudies({ onCorrupt: (r) => reported.push(r) });
        expect(listed.map((s) => s.name)).toEqual(['good']);
        expect(reported.map((r) => [r.studyName, r.field])).toEqual([
          ['bad', 'objectives'],
          ['spaced', 'space'],
        ]);
      }));
  });
}
