/**
 * Loading a user's program for `search` and `worker`: an ES module whose default export is
 * the objective function, or `{ objective, run, constraints }`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HypertunerError } from '../index.js';
import type { ConstraintsFunction, ObjectiveFunction, ObjectiveSpec } from '../index.js';
import { missingPeerOf, peerMissingError } from '../peers.js';

export interface ProgramModule {
  readonly objective?: ObjectiveSpec | readonly ObjectiveSpec[];
  readonly run: ObjectiveFunction;
  /** Each completed trial's constraint values, each <= 0 when feasible (see `Study.open`). */
  readonly constraints?: ConstraintsFunction;
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
    const { constraints } = exported as ProgramModule;
    if (constraints !== undefined && typeof constraints !== 'function') {
      throw new HypertunerError(
        'PROGRAM_INVALID',
        `${path}: 'constraints' must be a function (trial) => number[] (each value <= 0 when feasible), got ${typeof constraints}.`,
        { field: 'constraints' },
      );
    }
    return exported as ProgramModule;
  }
  throw new HypertunerError(
    'PROGRAM_INVALID',
    `${path} must export default an objective function or {objective, run, constraints}.`,
    { field: 'program' },
  );
}
