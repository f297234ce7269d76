import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HypertunerError } from '../src/index.js';
import {
  OPTIONAL_PEERS,
  importPeer,
  isPackageNotFound,
  missingPeerOf,
  peerMissingError,
} from '../src/peers.js';
import { WASM_SPEEDUP_OVER_CPU } from '../src/tfjs/backend/select-backend.js';
import { repoRoot } from './helpers/run-cli.js';

/** The error Node gives for a package that is not installed, by import or by require. */
async function notFound(name: string, how: 'import' | 'require'): Promise<unknown> {
  try {
    if (how === 'import') await import(/* @vite-ignore */ name);
    else createRequire(import.meta.url)(name);
  } catch (error) {
    return error;
  }
  throw new Error(`${name} was found`);
}

describe('optional peers', () => {
  it.each(['import', 'require'] as const)(
    'recognise a missing package by %s, and only that one',
    async (how) => {
      const error = await notFound('hypertuner-absent-peer', how);
      expect(isPackageNotFound(error, 'hypertuner-absent-peer')).toBe(true);
      expect(isPackageNotFound(error, 'hypertuner-absent')).toBe(false);
      expect(
        isPackageNotFound(
          new Error("Cannot find package 'hypertuner-absent-peer'"),
          'hypertuner-absent-peer',
        ),
      ).toBe(false);
    },
  );

  it('turn a missing peer into one line: what, what for, the command, PEER_MISSING', async () => {
    const missing = Object.assign(
      new Error(
        "Cannot find package 'pg' imported from /app/node_modules/hypertuner/dist/storage/postgres-storage.js",
      ),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    const error = await importPeer('pg', () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HypertunerError);
    expect(error).toMatchObject({
      code: 'PEER_MISSING',
      field: 'pg',
      cause: missing,
      message:
        'pg is not installed; it is needed for PostgreSQL storage (postgres:// URLs): run `npm i pg`.',
    });
    expect(missingPeerOf(missing)).toBe('pg');
  });

  it('leave other errors of a peer alone (installed, but one of its own dependencies missing)', async () => {
    const inner = await notFound('hypertuner-absent-dependency-of-pg', 'import');
    await expect(importPeer('pg', () => Promise.reject(inner))).rejects.toBe(inner);
    expect(missingPeerOf(inner)).toBeUndefined();
  });

  it('say what each is for, with a command that names it', () => {
    for (const name of Object.keys(OPTIONAL_PEERS) as (keyof typeof OPTIONAL_PEERS)[]) {
      expect(peerMissingError(name).message).toMatch(new RegExp(`run \`npm i ${name}\`\\.$`));
    }
  });

  it("the cpu-fallback warning's figure is bench:training's measured ratio (bench/README.md)", () => {
    const text = readFileSync(join(repoRoot, 'bench', 'README.md'), 'utf8');
    const measured = /median ratio (\d+(?:\.\d+)?)x\*\*/.exec(text)?.[1];
    expect(measured, 'the cpu figure of bench:training in bench/README.md').toBeDefined();
    expect(WASM_SPEEDUP_OVER_CPU).toBe(Number(Number(measured).toPrecision(2)));
  });
});
