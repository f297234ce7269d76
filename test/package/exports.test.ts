/**
 * The public surface: each entry point's export list is a snapshot, so that adding, removing or
 * changing the kind of a public name is a visible diff in review. After a deliberate change,
 * update the snapshots with
 *
 *   npx vitest run test/package/exports.test.ts -u
 *
 * and commit them with the change. The list comes from the TypeScript checker (types included);
 * the runtime module (what package.json's `exports` runs) must export exactly the value names of
 * the list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

/**
 * The package's entry points: subpath, source file of the types, snapshot file, and the source
 * file of what runs (hypertuner/tfjs runs entry.ts, which checks for @tensorflow/tfjs first).
 */
const ENTRY_POINTS = [
  {
    subpath: 'hypertuner',
    source: 'src/index.ts',
    snapshot: 'hypertuner.exports.txt',
    runtime: 'src/index.ts',
  },
  {
    subpath: 'hypertuner/tfjs',
    source: 'src/tfjs/index.ts',
    snapshot: 'hypertuner-tfjs.exports.txt',
    runtime: 'src/tfjs/entry.ts',
  },
] as const;

/** What package.json says of the entry points. */
interface PackageJson {
  readonly exports: Record<string, { readonly types: string; readonly default: string }>;
}
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

interface PublicName {
  readonly name: string;
  readonly kind: string;
  readonly isValue: boolean;
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  const kinds: string[] = [];
  if (f & ts.SymbolFlags.Class) kinds.push('class');
  else if (f & ts.SymbolFlags.Function) kinds.push('function');
  else if (f & ts.SymbolFlags.Variable) kinds.push('const');
  else if (f & ts.SymbolFlags.ValueModule) kinds.push('namespace');
  if (f & ts.SymbolFlags.Interface && !(f & ts.SymbolFlags.Class)) kinds.push('interface');
  if (f & ts.SymbolFlags.TypeAlias) kinds.push('type');
  return kinds.join('+');
}

/** Every export of each entry point, from one program over all of them. */
function publicNames(): Map<string, readonly PublicName[]> {
  const files = ENTRY_POINTS.map((e) => join(repoRoot, e.source));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, readonly PublicName[]>();
  for (const entry of ENTRY_POINTS) {
    const source = program.getSourceFile(join(repoRoot, entry.source));
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${entry.source} is not a module`);
    const names = checker.getExportsOfModule(moduleSymbol).map((exported) => {
      const target =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      // `export type { X }` exports only X's type, whatever X is
      const typeOnly = (exported.declarations ?? []).some(
        (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
      );
      if (typeOnly) return { name: exported.name, kind: 'type', isValue: false };
      return {
        name: exported.name,
        kind: kindOf(target),
        isValue: (target.flags & ts.SymbolFlags.Value) !== 0,
      };
    });
    result.set(
      entry.subpath,
      names.sort((a, b) => a.name.localeCompare(b.name, 'en')),
    );
  }
  return result;
}

const names = publicNames();

describe.each(ENTRY_POINTS)('the public exports of $subpath', (entry) => {
  const list = names.get(entry.subpath) ?? [];

  it('match the snapshot (update: npx vitest run test/package/exports.test.ts -u)', async () => {
    const text = [
      `# The public exports of '${entry.subpath}' (${entry.source}), one per line: kind and name.`,
      '# A change here changes the package surface. Update: npx vitest run test/package/exports.test.ts -u',
      ...list.map((n) => `${n.kind.padEnd(15)} ${n.name}`),
      '',
    ].join('\n');
    await expect(text).toMatchFileSnapshot(join('__snapshots__', entry.snapshot));
  });

  it('are exported by name: the module at run time has exactly the value names', async () => {
    const subpath = entry.subpath === 'hypertuner' ? '.' : `./${entry.subpath.split('/')[1]}`;
    const built = (file: string) => `./${file.replace(/^src\//, 'dist/').replace(/\.ts$/, '')}`;
    expect(pkg.exports[subpath]).toEqual({
      types: `${built(entry.source)}.d.ts`,
      default: `${built(entry.runtime)}.js`,
    });
    const module = (await import(join(repoRoot, entry.runtime))) as Record<string, unknown>;
    const values = list.filter((n) => n.isValue).map((n) => n.name);
    expect(Object.keys(module).sort()).toEqual([...values].sort());
  });
});
