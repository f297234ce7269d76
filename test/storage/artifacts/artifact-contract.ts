/**
 * The artifact store contract as tests: every adapter (directory, database, memory) runs this
 * one suite (see src/storage/artifacts/artifact-store.ts for the invariants).
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../../src/storage/index.js';

export interface ArtifactFixture {
  readonly store: ArtifactStore;
  /** Another handle on the same artifacts (persistent stores), as another worker would open. */
  reopen?(): Promise<ArtifactStore>;
  cleanup(): Promise<void>;
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const textOf = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'HypertunerError', code });
}

export function describeArtifactContract(
  name: string,
  /** A fresh store that may hold artifacts of `studies` (a database store needs them to exist). */
  makeStore: (studies: readonly string[]) => Promise<ArtifactFixture>,
): void {
  describe(`artifact store contract: ${name}`, () => {
    async function withStore(
      body: (store: ArtifactStore, fixture: ArtifactFixture) => Promise<void>,
    ): Promise<void> {
      const fixture = await makeStore(['s1', 's2', 'a study/with ..odd name']);
      try {
        await body(fixture.store, fixture);
      } finally {
        await fixture.store.close();
        await fixture.cleanup();
      }
    }

    it('puts, gets, lists and removes artifacts by study, trial number and name', () =>
      withStore(async (store) => {
        expect(await store.get('s1', 0, 'model.json')).toBeUndefined();
        expect(await store.list('s1')).toEqual([]);
        await store.put('s1', 0, 'model.json', bytesOf('{"a":1}'));
        await store.put('s1', 0, 'weights.bin', new Uint8Array([0, 1, 2, 255]));
        await store.put('s1', 12, 'model.json', bytesOf('{"b":2}'));
        await store.put('s2', 0, 'model.json', bytesOf('other study'));
        expect(textOf(await store.get('s1', 0, 'model.json'))).toBe('{"a":1}');
        expect([...((await store.get('s1', 0, 'weights.bin')) ?? [])]).toEqual([0, 1, 2, 255]);
        expect(textOf(await store.get('s1', 12, 'model.json'))).toBe('{"b":2}');
        expect(textOf(await store.get('s2', 0, 'model.json'))).toBe('other study');
        expect(await store.get('s1', 1, 'model.json')).toBeUndefined();
        expect(await store.list('s1')).toEqual([
          { trialNumber: 0, name: 'model.json', size: 7 },
          { trialNumber: 0, name: 'weights.bin', size: 4 },
          { trialNumber: 12, name: 'model.json', size: 7 },
        ]);
        expect(await store.list('s1', 12)).toEqual([
          { trialNumber: 12, name: 'model.json', size: 7 },
        ]);
        expect(await store.list('s1', 5)).toEqual([]);
        expect(await store.remove('s1', 0, 'weights.bin')).toBe(1);
        expect(await store.remove('s1', 0, 'weights.bin')).toBe(0);
        expect(await store.get('s1', 0, 'weights.bin')).toBeUndefined();
        await store.put('s1', 0, 'extra.txt', bytesOf('x'));
        expect(await store.remove('s1', 0)).toBe(2);
        expect(await store.list('s1')).toEqual([
          { trialNumber: 0 + 12, name: 'model.json', size: 7 },
        ]);
        expect(await store.list('s2')).toHaveLength(1);
      }));

    it('replaces an artifact put again, and keeps empty and binary contents exactly', () =>
      withStore(async (store) => {
        await store.put('s1', 3, 'weights.bin', bytesOf('first version, longer'));
        await store.put('s1', 3, 'weights.bin', bytesOf('second'));
        expect(textOf(await store.get('s1', 3, 'weights.bin'))).toBe('second');
        expect(await store.list('s1', 3)).toEqual([
          { trialNumber: 3, name: 'weights.bin', size: 6 },
        ]);
        await store.put('s1', 3, 'empty', new Uint8Array(0));
        expect((await store.get('s1', 3, 'empty'))?.byteLength).toBe(0);
        const big = new Uint8Array(300_000);
        for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 256;
        // a view into a larger buffer: only the view's bytes are stored
        const padded = new Uint8Array(big.length + 20);
        padded.set(big, 10);
        await store.put('s1', 4, 'weights.bin', padded.subarray(10, 10 + big.length));
        const got = await store.get('s1', 4, 'weights.bin');
        expect(got?.byteLength).toBe(big.byteLength);
        expect(Buffer.from(got ?? []).equals(Buffer.from(big))).toBe(true);
      }));

    it('returns copies: changing what put took or get gave changes nothing stored', () =>
      withStore(async (store) => {
        const bytes = bytesOf('abc');
        await store.put('s1', 0, 'a', bytes);
        bytes[0] = 120;
        const got = await store.get('s1', 0, 'a');
        expect(textOf(got)).toBe('abc');
        if (got !== undefined) got[1] = 120;
        expect(textOf(await store.get('s1', 0, 'a'))).toBe('abc');
      }));

    it('keeps studies with odd names apart', () =>
      withStore(async (store) => {
        await store.put('a study/with ..odd name', 1, 'model.json', bytesOf('odd'));
        expect(textOf(await store.get('a study/with ..odd name', 1, 'model.json'))).toBe('odd');
        expect(await store.list('s1')).toEqual([]);
      }));

    it('refuses names that are not plain file names, and bad trial numbers', () =>
      withStore(async (store) => {
        for (const bad of ['', '../x', 'a/b', '.hidden', 'a\\b', 'x'.repeat(201)]) {
          await expectCode(store.put('s1', 0, bad, bytesOf('x')), 'ARTIFACT_INVALID_KEY');
        }
        await expectCode(store.put('s1', -1, 'a', bytesOf('x')), 'ARTIFACT_INVALID_KEY');
        await expectCode(store.put('s1', 1.5, 'a', bytesOf('x')), 'ARTIFACT_INVALID_KEY');
        await expectCode(store.get('', 0, 'a'), 'ARTIFACT_INVALID_KEY');
        await expectCode(
          store.put('s1', 0, 'a', 'text' as unknown as Uint8Array),
          'ARTIFACT_INVALID_KEY',
        );
      }));

    it('many concurrent puts of one name leave one whole version, never a mix', () =>
      withStore(async (store) => {
        const versions = Array.from({ length: 12 }, (_, v) => new Uint8Array(50_000).fill(v + 1));
        await Promise.all(versions.map((bytes) => store.put('s1', 7, 'weights.bin', bytes)));
        const got = await store.get('s1', 7, 'weights.bin');
        expect(got?.byteLength).toBe(50_000);
        expect(new Set(got ?? []).size).toBe(1);
        expect(await store.list('s1', 7)).toEqual([
          { trialNumber: 7, name: 'weights.bin', size: 50_000 },
        ]);
      }));

    it('shares artifacts between handles, as workers on other machines see them (persistent stores)', async () => {
      const fixture = await makeStore(['s1']);
      try {
        if (fixture.reopen === undefined) return;
        await fixture.store.put('s1', 2, 'model.json', bytesOf('shared'));
        const other = await fixture.reopen();
        try {
          expect(textOf(await other.get('s1', 2, 'model.json'))).toBe('shared');
          await other.put('s1', 3, 'model.json', bytesOf('back'));
        } finally {
          await other.close();
        }
        expect(textOf(await fixture.store.get('s1', 3, 'model.json'))).toBe('back');
      } finally {
        await fixture.store.close();
        await fixture.cleanup();
      }
    });
  });
}
