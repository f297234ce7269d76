/**
 * `import 'hypertuner/tfjs'` without @tensorflow/tfjs installed fails with PEER_MISSING (what to
 * install, on one line), not with Node's ERR_MODULE_NOT_FOUND from a file deep inside the
 * package. The peer is hidden by module hooks (test/package/hooks) that make Node look for it
 * where it is not, so that its import fails as for a package that is absent; package.test.ts
 * checks the same with the packed package.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'hypertuner-peer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LINE =
  '@tensorflow/tfjs is not installed; it is needed for TensorFlow.js models and the tuners of hypertuner/tfjs: run `npm i @tensorflow/tfjs`.';
const entry = pathToFileURL(join(repoRoot, 'src', 'tfjs', 'entry.ts')).href;
const staticGraph = pathToFileURL(join(repoRoot, 'src', 'tfjs', 'index.ts')).href;

/**
 * Runs the ES module `source` (written to `name`) in Node with TypeScript loading and
 * @tensorflow/tfjs hidden; with `cli`, runs the CLI with those arguments and the file's path.
 */
function runHidden(
  name: string,
  source: string,
  cli: readonly string[] = [],
): Promise<{ code: number | null; out: string; err: string }> {
  const file = join(work, name);
  writeFileSync(file, source);
  const register = join(repoRoot, 'test', 'package', 'hooks', 'hide-peer-register.mjs');
  const main = join(repoRoot, 'src', 'cli', 'main.ts');
  const args = cli.length === 0 ? [file] : [main, ...cli, file];
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', register, ...args], {
    cwd: repoRoot,
    env: { ...process.env, HYPERTUNER_HIDDEN_PEER: '@tensorflow/tfjs' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/** A program that imports `url` and prints how that went, as JSON. */
const importing = (url: string) =>
  `import(${JSON.stringify(url)}).then(
    () => console.log(JSON.stringify({ loaded: true })),
    (e) => console.log(JSON.stringify({ code: e.code, message: e.message, cause: e.cause !== undefined })),
  );\n`;

describe('hypertuner/tfjs without @tensorflow/tfjs', { timeout: 60_000 }, () => {
  it('fails with PEER_MISSING, one line saying what to install, where the modules that import tfjs fail with ERR_MODULE_NOT_FOUND', async () => {
    const [ours, graph] = await Promise.all([
      runHidden('entry.mjs', importing(entry)),
      runHidden('graph.mjs', importing(staticGraph)),
    ]);
    expect(JSON.parse(ours.out), ours.err).toEqual({
      code: 'PEER_MISSING',
      message: LINE,
      cause: false,
    });
    // the hooks do hide the peer: the modules behind the entry fail as Node fails them
    expect(JSON.parse(graph.out), graph.err).toMatchObject({
      code: 'ERR_MODULE_NOT_FOUND',
      message: expect.stringContaining("Cannot find package '@tensorflow/tfjs'"),
    });
  });

  it('a program with a static import stops with our error, not ERR_MODULE_NOT_FOUND', async () => {
    const result = await runHidden('static.mjs', `import ${JSON.stringify(entry)};\n`);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`HypertunerError: ${LINE}`);
    expect(result.err).toContain("code: 'PEER_MISSING'");
    expect(result.err).not.toContain('ERR_MODULE_NOT_FOUND');
  });

  it('hypertuner search on such a program says the same on one line', async () => {
    const program = `import { tf } from ${JSON.stringify(entry)};\nexport default () => tf.scalar(1).dataSync()[0];\n`;
    const result = await runHidden('uses-tfjs.mjs', program, [
      ...['search', '--storage', 'memory:', '--max-trials', '1'],
    ]);
    expect(result).toMatchObject({ code: 1, err: `hypertuner: ${LINE} [PEER_MISSING]\n` });
  });
});
