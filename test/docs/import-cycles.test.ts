/**
 * No import circles in src/ (DESIGN.md): the graph of relative imports (type-only ones too) is
 * walked from every module, and any circle found is reported as the chain of files.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

/**
 * Static relative imports and re-exports of a module (type-only ones too), as resolved .ts
 * files. A lazy `import()` is left out: it runs after both modules are loaded, no circle at load.
 */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  return source.statements
    .flatMap((statement) =>
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? [statement.moduleSpecifier.text]
        : [],
    )
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')))
    .filter((path) => existsSync(path));
}

/** The module graph of every .ts file under `dir`. */
function graphOf(dir: string): Map<string, string[]> {
  const files = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
  return new Map(files.map((f) => [f, importsOf(f)]));
}

/** Every elementary circle found by a depth-first walk (each reported once, from its first file). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('import circles', () => {
  it('finds a circle when there is one (the check is not vacuous)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('src/ has none (src/tuner included: the trial handle broke Study ↔ optimize ↔ run-trial)', () => {
    const graph = graphOf(join(repoRoot, 'src'));
    expect(graph.size).toBeGreaterThan(100);
    // the tuner's modules are in the graph with their imports
    const study = graph.get(join(repoRoot, 'src/tuner/study.ts')) ?? [];
    expect(study).toContain(join(repoRoot, 'src/tuner/optimize.ts'));
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(repoRoot, f)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
