/**
 * copyStudy and `hypertuner copy`: a study with every kind of trial copied between memory,
 * SQLite and PostgreSQL comes out equal field by field (ids aside), artifacts included, and a
 * search continues on the copy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MemoryStorage,
  RandomSearchOracle,
  Study,
  copyStudy,
  openStorage,
} from '../../src/index.js';
import type { Storage } from '../../src/index.js';
import { openArtifactStore } from '../../src/storage/index.js';
import type { TrialTemplate } from '../../src/storage/index.js';
import { usePostgresServer } from '../helpers/postgres-server.js';
import { fillRichStudy, richObjective } from '../helpers/rich-study.js';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-copy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const postgres = usePostgresServer();

/** Everything stored about a study but ids and its name: record, trials, artifacts' bytes. */
async function dump(storage: Storage, name: string): Promise<unknown> {
  const study = await storage.loadStudy(name);
  if (study === undefined) throw new Error(`no study ${name}`);
  const { id: _id, name: _name, space, ...record } = study;
  const trials = (await storage.getTrials(study.id)).map(({ id: _trialId, ...trial }) => trial);
  const store = await openArtifactStore(storage);
  const artifacts = await Promise.all(
    (await store.list(name)).map(async (info) => ({
      ...info,
      bytes: [...((await store.get(name, info.trialNumber, info.name)) ?? [])],
    })),
  );
  return { record: { ...record, space: space.toJSON() }, trials, artifacts };
}

describe('copyStudy', () => {
  it('copies a study whole between memory and SQLite, and a search continues on the copy', async () => {
    const memory = new MemoryStorage();
    const trials = await fillRichStudy(memory);
    expect(trials.map((t) => t.status)).toEqual([
      ...['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'PRUNED'],
      ...['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'RUNNING', 'WAITING'],
    ]);
    const sqlite = await openStorage(`sqlite:${join(root, 'copy.db')}`);
    const result = await copyStudy(memory, sqlite, { name: 'rich' });
    expect(result).toMatchObject({ trials: 12, artifacts: 2 });
    expect(await dump(sqlite, 'rich')).toEqual(await dump(memory, 'rich'));

    // within one storage, under another name
    await copyStudy(sqlite, sqlite, { name: 'rich', toName: 'rich copy' });
    expect(await dump(sqlite, 'rich copy')).toEqual(await dump(memory, 'rich'));

    const study = await Study.open({
      storage: sqlite,
      name: 'rich copy',
      oracle: new RandomSearchOracle({ seed: 3 }),
    });
    for (let i = 0; i < 2; i++) {
      const next = await study.ask();
      if (next.kind !== 'trial') throw new Error(`expected a trial, got ${next.kind}`);
      await study.tell(next.trial, richObjective(next.trial));
    }
    const after = await study.trials();
    expect(after.map((t) => t.number)).toEqual([...Array(13).keys()]);
    expect(after[12]?.status).toBe('COMPLETED');
    // the queued trial ran first, as queued
    expect(after[11]).toMatchObject({ status: 'COMPLETED', userAttrs: { queued: true } });
    await sqlite.close();
  });

  it('refuses a name taken in the target and a study the source lacks, writing nothing', async () => {
    const memory = new MemoryStorage();
    await fillRichStudy(memory);
    const target = new MemoryStorage();
    await target.createStudy({ name: 'rich', objectives: [{ name: 'x', direction: 'maximize' }] });
    await expect(copyStudy(memory, target, { name: 'rich' })).rejects.toMatchObject({
      code: 'STUDY_EXISTS',
    });
    expect((await target.listStudies()).map((s) => s.trialCounts.COMPLETED)).toEqual([0]);
    await expect(copyStudy(memory, target, { name: 'nope', toName: 'x' })).rejects.toMatchObject({
      code: 'STUDY_NOT_FOUND',
    });
    expect(await target.loadStudy('x')).toBeUndefined();
  });

  it('leaves no half copy behind when writing the trials fails', async () => {
    const memory = new MemoryStorage();
    await fillRichStudy(memory);
    class FailingStorage extends MemoryStorage {
      override async addTrials(studyId: number, trials: readonly TrialTemplate[]): Promise<never> {
        await super.addTrials(studyId, trials.slice(0, 2));
        throw new Error('disk full');
      }
    }
    const target = new FailingStorage();
    await expect(copyStudy(memory, target, { name: 'rich' })).rejects.toThrow('disk full');
    expect(await target.listStudies()).toEqual([]);
  });

  it('hypertuner copy: SQLite to PostgreSQL and back gives an equal study, field by field', async () => {
    const first = join(root, 'first.db');
    const back = join(root, 'back.db');
    const source = await openStorage(`sqlite:${first}`);
    await fillRichStudy(source);
    const expected = await dump(source, 'rich');
    await source.close();
    const pgUrl = await postgres().createDatabase('copy_round_trip');

    const there = await runCli(['copy', 'rich', '--from', `sqlite:${first}`, '--to', pgUrl]);
    expect(there.stderr).toBe('');
    expect(there.stdout).toMatch(/Copied study 'rich' \(12 trials, 2 artifacts\)/);
    const again = await runCli([
      ...['copy', 'rich', '--from', pgUrl, '--to', `sqlite:${back}`, '--to-name', 'rich back'],
      '--json',
    ]);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toMatchObject({
      study: 'rich back',
      trials: 12,
      artifacts: 2,
    });

    const pg = await openStorage(pgUrl);
    const returned = await openStorage(`sqlite:${back}`);
    try {
      expect(await dump(pg, 'rich')).toEqual(expected);
      expect(await dump(returned, 'rich back')).toEqual(expected);
    } finally {
      await pg.close();
      await returned.close();
    }

    const refused = await runCli(['copy', 'rich', '--from', `sqlite:${first}`, '--to', pgUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/has a study called 'rich' already.*\[STUDY_EXISTS\]/);
    const missing = await runCli([
      'copy',
      'rich',
      '--from',
      `sqlite:${join(root, 'none.db')}`,
      '--to',
      'memory:',
    ]);
    expect(missing.stderr).toMatch(/\[STORAGE_NOT_FOUND\]/);
  });
});
