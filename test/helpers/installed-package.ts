/**
 * hypertuner as a user's project has it after `npm install hypertuner`: compiled JavaScript
 * (here transpiled from src/ by esbuild, which tsx, a dependency of hypertuner, brings: a
 * second where a full build takes a minute) in `node_modules/hypertuner`, run with plain `node`: no tsx loaded from
 * outside, so a TypeScript program is loaded by the CLI itself or not at all. Its dependencies
 * are the repository's node_modules.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './run-cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

export interface InstalledPackage {
  /** A user's project folder: `package.json` (an ES module project) and `node_modules/hypertuner`. */
  readonly project: string;
  /** The `hypertuner` command's script, to run with `node`. */
  readonly bin: string;
}

/** Makes a project with hypertuner installed in a new temporary folder. */
export async function installedPackage(): Promise<InstalledPackage> {
  const root = mkdtempSync(join(tmpdir(), 'hypertuner-installed-'));
  const pkg = join(root, 'package');
  await build({
    entryPoints: sources(join(repoRoot, 'src')),
    outdir: join(pkg, 'dist'),
    outbase: join(repoRoot, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(join(repoRoot, 'bin/hypertuner.js'), join(pkg, 'bin/hypertuner.js'));
  copyFileSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(pkg, 'node_modules'));
  const project = join(root, 'project');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "name": "my-tuning", "type": "module" }\n');
  symlinkSync(pkg, join(project, 'node_modules/hypertuner'));
  return { project, bin: join(pkg, 'bin/hypertuner.js') };
}
