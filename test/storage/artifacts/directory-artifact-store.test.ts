import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DirectoryArtifactStore,
  MemoryArtifactStore,
  openArtifactStore,
} from '../../../src/storage/index.js';
import { describeArtifactContract } from './artifact-contract.js';

const root = mkdtempSync(join(tmpdir(), 'hypertuner-artifacts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

describeArtifactContract('directory', async () => {
  const dir = join(root, `store-${counter++}`);
  return {
    store: new DirectoryArtifactStore(dir),
    reopen: async () => openArtifactStore(`file:${dir}`),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeArtifactContract('memory', async () => ({
  store: new MemoryArtifactStore(),
  cleanup: async () => undefined,
}));

describe('DirectoryArtifactStore', () => {
  it('lays files out as <root>/<study>/trial-<n>/<name> and leaves no temporary files', async () => {
    const dir = join(root, 'layout');
    const store = new DirectoryArtifactStore(dir);
    await store.put('cifar mlp', 4, 'model.json', new Uint8Array([1]));
    await store.put('cifar mlp', 4, 'model.json', new Uint8Array([2]));
    expect(readdirSync(dir)).toEqual(['cifar%20mlp']);
    expect(readdirSync(join(dir, 'cifar%20mlp', 'trial-4'))).toEqual(['model.json']);
    expect(store.url).toBe(`file:${dir}`);
  });

  it('ignores a temporary file left by a writer that crashed before its rename', async () => {
    const dir = join(root, 'crash');
    const store = new DirectoryArtifactStore(dir);
    await store.put('s', 0, 'model.json', new Uint8Array([1, 2]));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 's', 'trial-0', '.tmp-model.json-1-abc'), 'partial');
    expect(await store.list('s')).toEqual([{ trialNumber: 0, name: 'model.json', size: 2 }]);
    expect(await store.get('s', 0, 'model.json')).toEqual(new Uint8Array([1, 2]));
  });
});
