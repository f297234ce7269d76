/**
 * The table of error codes: the README shows it as it is, every code in it is one the sources
 * throw, and `isHypertunerError` (and `instanceof` on our error classes) recognises errors of a
 * second copy of the package loaded in the same process.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  FailedTrialError,
  FatalError,
  HypertunerError,
  TrialPrunedError,
  isHypertunerError,
} from '../../src/index.js';
import { END, START, errorCodesTable, withErrorCodes } from '../../scripts/readme-errors.js';
import { repoRoot } from '../helpers/run-cli.js';

const copyDir = join(repoRoot, 'tmp', `error-copy-${process.pid}`);
afterAll(() => rmSync(copyDir, { recursive: true, force: true }));

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

/**
 * A second copy of src/errors.ts and src/tuner/errors.ts, compiled to plain JavaScript in a
 * folder of its own: what a process that loads hypertuner twice (e.g. a global CLI running a
 * program that has its own copy) holds.
 */
async function secondCopy(): Promise<{
  HypertunerError: typeof HypertunerError;
  isHypertunerError: typeof isHypertunerError;
  FailedTrialError: typeof FailedTrialError;
  FatalError: typeof FatalError;
  TrialPrunedError: typeof TrialPrunedError;
}> {
  mkdirSync(copyDir, { recursive: true });
  const compile = (path: string): string =>
    ts.transpileModule(readFileSync(join(repoRoot, path), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
  writeFileSync(join(copyDir, 'errors.mjs'), compile('src/errors.ts'));
  writeFileSync(
    join(copyDir, 'tuner-errors.mjs'),
    compile('src/tuner/errors.ts')
      .replace("'../space/index.js'", "'./errors.mjs'")
      .replace("'../errors.js'", "'./errors.mjs'"),
  );
  const errors = await import(pathToFileURL(join(copyDir, 'errors.mjs')).href);
  const tuner = await import(pathToFileURL(join(copyDir, 'tuner-errors.mjs')).href);
  return { ...errors, ...tuner };
}

describe('error codes', () => {
  it("README.md's error section is the table of ERROR_CODES (else: npx tsx scripts/readme-errors.ts)", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(START);
    expect(readme).toContain(END);
    expect(withErrorCodes(readme), 'README.md is stale: run npx tsx scripts/readme-errors.ts').toBe(
      readme,
    );
    // the check compares what matters: a code added to the table changes the section
    expect(errorCodesTable()).toContain('| `STUDY_NOT_FOUND` | ');
    expect(errorCodesTable().split('\n')).toHaveLength(Object.keys(ERROR_CODES).length + 2);
  });

  it('every code of the table is thrown somewhere, and each has a one-line meaning', () => {
    const text = [...sources(join(repoRoot, 'src')), ...sources(join(repoRoot, 'bench'))]
      .filter((s) => !s.includes('export const ERROR_CODES'))
      .join('\n');
    const unused = Object.keys(ERROR_CODES).filter((code) => !text.includes(`'${code}'`));
    expect(unused, 'codes in the table that nothing throws').toEqual([]);
    for (const meaning of Object.values(ERROR_CODES)) {
      expect(meaning).toMatch(/^[A-Za-z`'(].{10,}\.$/);
      expect(meaning).not.toContain('\n');
    }
  });

  it('isHypertunerError narrows by code', () => {
    const error: unknown = new HypertunerError('STUDY_NOT_FOUND', 'no study', { field: 'name' });
    expect(isHypertunerError(error)).toBe(true);
    expect(isHypertunerError(error, 'STUDY_NOT_FOUND')).toBe(true);
    expect(isHypertunerError(error, 'STUDY_EXISTS')).toBe(false);
    if (isHypertunerError(error, 'STUDY_NOT_FOUND')) {
      const code: 'STUDY_NOT_FOUND' = error.code; // narrowed: a type error otherwise
      expect(code).toBe('STUDY_NOT_FOUND');
      expect(error.field).toBe('name');
    }
    for (const other of [new Error('x'), { code: 'STUDY_NOT_FOUND' }, null, 'STUDY_NOT_FOUND']) {
      expect(isHypertunerError(other)).toBe(false);
    }
  });

  it('errors of a second copy of the package are recognised, by isHypertunerError and instanceof', async () => {
    const copy = await secondCopy();
    expect(copy.HypertunerError).not.toBe(HypertunerError); // really another class
    const theirs = new copy.HypertunerError('STORAGE_UNAVAILABLE', 'down');
    expect(isHypertunerError(theirs, 'STORAGE_UNAVAILABLE')).toBe(true);
    expect(theirs instanceof HypertunerError).toBe(true);
    expect(copy.isHypertunerError(new HypertunerError('STUDY_EXISTS', 'x'), 'STUDY_EXISTS')).toBe(
      true,
    );
    expect(new copy.FailedTrialError('no') instanceof FailedTrialError).toBe(true);
    expect(new copy.FatalError('stop') instanceof FatalError).toBe(true);
    expect(new copy.TrialPrunedError(3) instanceof TrialPrunedError).toBe(true);
    expect(new copy.FatalError('stop') instanceof FailedTrialError).toBe(false);
    expect(new Error('plain') instanceof HypertunerError).toBe(false);
  });

  it('a subclass is instanceof only for its own instances', () => {
    class StopNow extends FatalError {}
    expect(new StopNow('x') instanceof FatalError).toBe(true);
    expect(new FatalError('x') instanceof StopNow).toBe(false);
    expect(new StopNow('x') instanceof StopNow).toBe(true);
  });
});
