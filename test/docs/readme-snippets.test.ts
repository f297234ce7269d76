/**
 * The README's TypeScript examples are what users copy first: each one must type-check against
 * today's public API (through the package names `hypertuner` and `hypertuner/tfjs`, mapped to
 * the sources), and the first one, complete on its own, must run.
 *
 * The other examples are fragments that use names the README's prose provides (`study`,
 * `xTrain`, a user's own `trainOneEpoch`): `snippet-context.ts` declares those, and a snippet
 * imports from it the ones it uses and does not import itself.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

const run = promisify(execFile);

/** The fenced ```ts blocks of a Markdown text, in order. */
export function typescriptBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```ts[^\n]*\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
    blocks.push(m[1] as string);
  }
  return blocks;
}

/** Indices (in `typescriptBlocks` order) of the blocks fenced as ```ts run: complete programs that the test runs. */
export function runnableBlocks(markdown: string): number[] {
  const fences = [...markdown.matchAll(/^```ts([^\n]*)\n/gm)];
  return fences.flatMap((m, i) => (/\brun\b/.test(m[1] ?? '') ? [i] : []));
}

/** Names the README's fragments take from their surroundings, and their types. */
const CONTEXT = `import type * as tf from '@tensorflow/tfjs';
import type { HyperParameters, Study } from 'hypertuner';
export { MedianPruner, TrialPrunedError } from 'hypertuner';
export declare const study: Study;
export declare function trainOneEpoch(hp: HyperParameters): Promise<number>;
export declare const xTrain: tf.Tensor;
export declare const yTrain: tf.Tensor;
`;
const CONTEXT_NAMES = [
  'MedianPruner',
  'TrialPrunedError',
  'study',
  'trainOneEpoch',
  'xTrain',
  'yTrain',
];

/** The snippet as a module: imports the context names it uses but neither imports nor declares. */
export function withContext(snippet: string): string {
  const ownImports = snippet
    .split('\n')
    .filter((line) => /^\s*import\b/.test(line))
    .join('\n');
  const needed = CONTEXT_NAMES.filter(
    (name) =>
      new RegExp(`\\b${name}\\b`).test(snippet) &&
      !new RegExp(`\\b${name}\\b`).test(ownImports) &&
      !new RegExp(`\\b(const|let|function|class)\\s+${name}\\b`).test(snippet),
  );
  const header =
    needed.length === 0 ? '' : `import { ${needed.join(', ')} } from './snippet-context.js';\n`;
  return `${header}${snippet}\nexport {};\n`;
}

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const snippets = typescriptBlocks(readme);
// inside the repository (its git-ignored tmp/), so that its node_modules resolve; removed afterwards
const dir = join(repoRoot, 'tmp', `readme-snippets-${process.pid}`);
const compilerOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2023'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  paths: {
    // relative to the tsconfig's directory, as tsx (which runs the first example) reads them
    hypertuner: [relative(dir, join(repoRoot, 'src/index.ts'))],
    'hypertuner/tfjs': [relative(dir, join(repoRoot, 'src/tfjs/index.ts'))],
  },
};

function writeSnippets(): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions }, null, 2));
  writeFileSync(join(dir, 'snippet-context.ts'), CONTEXT);
  return snippets.map((snippet, i) => {
    const file = join(dir, `snippet-${i + 1}.ts`);
    writeFileSync(file, withContext(snippet));
    return file;
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README examples', () => {
  it('finds the TypeScript examples, and adds context only where a fragment needs it', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    expect(snippets[0]).toContain("from 'hypertuner'");
    expect(withContext(snippets[0] as string)).not.toContain('snippet-context');
    expect(withContext('await study.tell(t, 1);')).toMatch(
      /^import \{ study \} from '\.\/snippet-context\.js';/,
    );
  });

  it('type-check against the current API', () => {
    const files = writeSnippets();
    const parsed = ts.parseJsonConfigFileContent({ compilerOptions }, ts.sys, dir);
    const program = ts.createProgram(files, parsed.options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || d.file.fileName.startsWith(dir))
      .map((d) => {
        const where =
          d.file === undefined || d.start === undefined
            ? ''
            : `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `;
        return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
      });
    expect(parsed.errors).toEqual([]);
    expect(problems, 'README examples that no longer compile').toEqual([]);
    // and the check is not vacuous: a misspelt option is reported
    const misspelt = join(dir, 'misspelt.ts');
    writeFileSync(
      misspelt,
      "import { Study } from 'hypertuner';\nawait Study.open({ storage: 'memory:', nam: 'x', objective: 'loss' });\n",
    );
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([misspelt], parsed.options));
    expect(
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'),
    ).toMatch(/'nam' does not exist/);
  }, 120_000);

  it("the ask/tell example (define-by-run, ```ts run) runs and finds Branin's minimum", async () => {
    const runnable = runnableBlocks(readme);
    expect(runnable.length).toBeGreaterThanOrEqual(1);
    const files = writeSnippets();
    const askTell = runnable.find((i) => snippets[i]?.includes('study.ask()'));
    expect(askTell, 'the ask/tell example is fenced as ```ts run').toBeDefined();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', files[askTell as number] as string],
      {
        cwd: dir,
      },
    );
    const best = Number(/best ([\d.e+-]+) at/.exec(stdout)?.[1]);
    expect(best).toBeGreaterThan(0.397);
    expect(best).toBeLessThan(1.0);
    expect(stdout).toMatch(/x: .*y: /s);
  }, 120_000);

  it('the first example runs as written and stores its study', async () => {
    const [first] = writeSnippets();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', first as string], {
      cwd: dir,
    });
    // it prints the summary of its best trials and the best hyperparameters
    expect(stdout).toMatch(/layers/);
    expect(stdout).toMatch(/activation/);
    const db = readFileSync(join(dir, 'studies.db'));
    expect(db.subarray(0, 15).toString()).toBe('SQLite format 3');
  }, 120_000);
});
