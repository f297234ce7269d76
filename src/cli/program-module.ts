/**
 * Loading a user's program for `search` and `worker`: an ES module whose default export is
 * the objective function, or `{ objective, run }`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HypertunerError } from '../index.js';
import type { ObjectiveFunction, ObjectiveSpec } from '../index.js';
import { missingPeerOf, peerMissingError } from '../peers.js';

export interface ProgramModule {
  readonly objective?: ObjectiveSpec | readonly ObjectiveSpec[];
  readonly run: ObjectiveFunction;
}

export async function loadProgram(path: string): Promise<ProgramModule> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (error) {
    // e.g. a program importing hypertuner/tfjs where @tensorflow/tfjs is not installed
    const peer = missingPeerOf(error);
    if (peer !== undefined) throw peerMissingError(peer, error);
    throw new HypertunerError(
      'PROGRAM_INVALID',
      `Cannot load program ${path}: ${(error as Error).message}. It must be an ES module (.js, .mjs; .ts when run through tsx).`,
      { field: 'program', cause: error },
    );
  }
  const exported = loaded.default;
  if (typeof exported === 'function') return { run: exported as ObjectiveFunction };
  if (
    typeof exported === 'object' &&
    exported !== null &&
    typeof (exported as ProgramModule).run === 'function'
  ) {
    return exported as ProgramModule;
  }
  throw new HypertunerError(
    'PROGRAM_INVALID',
    `${path} must export default an objective function or {objective, run}.`,
    { field: 'program' },
  );
}
