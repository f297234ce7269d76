/**
 * The package as a user gets it: `npm pack` of this repository (which builds dist/), checked
 * with publint and @arethetypeswrong/cli, then installed into a new project with its
 * dependencies from the local npm cache, and used there: both entry points, the command line,
 * a study, the lazy loading of native and server libraries, the optional peers' PEER_MISSING
 * errors, and a consumer type-checked with `tsc --strict`.
 *
 * The install skips dependencies' build scripts (compiling better-sqlite3 takes minutes) and
 * then links the repository's own better-sqlite3, which satisfies the same version range.
 *
 * To check more (a new command, a new entry point): add a step below; the consumer files are in
 * test/package/consumer/.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';
import { typeCheck, typescript } from './type-check.js';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without npm's variables of the `npm test` running this file. */
const cleanEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  NODE_OPTIONS: '',
};

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...cleanEnv, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);
const show = (r: Result): string => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
const consumerFiles = join(repoRoot, 'test', 'package', 'consumer');

const work = mkdtempSync(join(tmpdir(), 'hypertuner-package-'));
const project = join(work, 'project');
let tarball = '';
let packedFiles: string[] = [];
let install: Result;
let publint: Result;
let attw: Result;
let oldestTypeScript: Result;
const oldestTypeScriptDir = join(work, 'typescript-5.4');

/** `npx hypertuner ...` in the user's project. */
const npxHypertuner = (args: readonly string[]): Promise<Result> =>
  run('npx', ['--no-install', 'hypertuner', ...args], project);
/** The same command, without npx's start-up. */
const hypertuner = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
  run(join(project, 'node_modules', '.bin', 'hypertuner'), args, project, env);

beforeAll(async () => {
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], repoRoot);
  if (pack.code !== 0) throw new Error(`npm pack failed: ${show(pack)}`);
  // npm pack prints the build's output before its JSON
  const json = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('\n[') + 1)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, json[0]?.filename ?? '');
  packedFiles = (json[0]?.files ?? []).map((f) => f.path);

  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  for (const file of readdirSync(consumerFiles)) {
    copyFileSync(join(consumerFiles, file), join(project, file));
  }
  // the oldest TypeScript the README promises, in a folder of its own: as a dev dependency of
  // this repository its `tsc` would compete with the current one for node_modules/.bin/tsc
  mkdirSync(oldestTypeScriptDir);
  [install, publint, attw, oldestTypeScript] = await Promise.all([
    run(
      'npm',
      ['install', '--prefer-offline', '--ignore-scripts', tarball, '@types/node@20'],
      project,
    ),
    run(bin('publint'), ['run', '--strict', tarball], repoRoot),
    // ESM only, on purpose: a CommonJS `require` of it is the one thing reported and allowed
    run(bin('attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm'], repoRoot),
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-save',
        '--prefix',
        oldestTypeScriptDir,
        'typescript@~5.4.0',
      ],
      work,
    ),
  ]);
  if (oldestTypeScript.code !== 0)
    throw new Error(`npm install typescript@~5.4.0 failed: ${show(oldestTypeScript)}`);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${show(install)}`);
  const sqlite = join(project, 'node_modules', 'better-sqlite3');
  rmSync(sqlite, { recursive: true, force: true });
  symlinkSync(join(repoRoot, 'node_modules', 'better-sqlite3'), sqlite, 'dir');
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', { timeout: 180_000 }, () => {
  it('passes publint and arethetypeswrong (node10, node16 from ESM, bundler)', () => {
    expect(publint.code, show(publint)).toBe(0);
    expect(attw.code, show(attw)).toBe(0);
  });

  it('installs on this Node.js with no EBADENGINE warning, and without the optional peers', () => {
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE|ERESOLVE/);
    const installed = (name: string): boolean =>
      existsSync(join(project, 'node_modules', name, 'package.json'));
    expect(installed('hypertuner') && installed('fastify') && installed('echarts')).toBe(true);
    expect(['pg', 'playwright-core', '@tensorflow/tfjs', 'zod'].filter(installed)).toEqual([]);
  });

  it('ships no source maps and what its README shows: the LICENSE, the example, the screenshots', () => {
    expect(packedFiles.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(packedFiles).toContain('LICENSE');
    expect(packedFiles).toContain('examples/fashion-mnist-mlp.ts');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const version = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    // links into the package itself, through a CDN of npm packages: they work on the
    // registry's page without a repository
    const own = [
      ...readme.matchAll(/https:\/\/cdn\.jsdelivr\.net\/npm\/hypertuner@([^/]+)\/([^)\s]+)/g),
    ];
    expect(own.length).toBeGreaterThan(0);
    for (const [url, linkedVersion, path] of own) {
      expect(linkedVersion, `${url}: the README links another version`).toBe(version);
      expect(packedFiles, `${url}: not in the package`).toContain(path);
    }
    // and no relative link, which the registry's page cannot resolve
    const relative = [...readme.matchAll(/\]\((?!https?:\/\/|#)([^)]+)\)/g)].map((m) => m[1]);
    expect(relative).toEqual([]);
  });
});

describe('installed in a new project, with only hypertuner', { timeout: 180_000 }, () => {
  it('npx hypertuner --version and --help', async () => {
    const [version, help] = await Promise.all([
      npxHypertuner(['--version']),
      npxHypertuner(['--help']),
    ]);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version, show(version)).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(help.code, show(help)).toBe(0);
    for (const command of [
      'search',
      'worker',
      'studies',
      'trials',
      'best',
      'example',
      'dashboard',
      'plot',
      'create',
      'delete',
      'ask',
      'tell',
      'study-attr',
    ])
      expect(help.stdout).toContain(`\n  ${command} `);
  });

  it('hypertuner example, and a program that imports hypertuner/tfjs, say in one line that @tensorflow/tfjs is missing and how to install it', async () => {
    const [example, search, imported] = await Promise.all([
      hypertuner(['example', '--trials', '1']),
      hypertuner(['search', 'uses-tfjs.mjs', '--storage', 'memory:', '--max-trials', '1']),
      run(
        process.execPath,
        [
          ...['--input-type=module', '-e'],
          "import('hypertuner/tfjs').catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })));",
        ],
        project,
      ),
    ]);
    const message =
      '@tensorflow/tfjs is not installed; it is needed for TensorFlow.js models and the tuners of hypertuner/tfjs: run `npm i @tensorflow/tfjs`.';
    const line = `hypertuner: ${message} [PEER_MISSING]\n`;
    expect(example, show(example)).toMatchObject({ code: 1, stderr: line });
    expect(search, show(search)).toMatchObject({ code: 1, stderr: line });
    // in Node, without the CLI: our error, not ERR_MODULE_NOT_FOUND
    expect(JSON.parse(imported.stdout), show(imported)).toEqual({ code: 'PEER_MISSING', message });
  });

  it('runs a 5-trial study in memory with define-by-run ask and tell, loading no native addon and no server library', async () => {
    const log = join(work, 'resolved.log');
    const result = await run(
      process.execPath,
      ['--import', './record-modules.mjs', 'memory-study.mjs'],
      project,
      { HYPERTUNER_RESOLVED_LOG: log },
    );
    expect(result.code, show(result)).toBe(0);
    // define-by-run: the parameter declared on the first trial is in the study's space
    expect(JSON.parse(result.stdout)).toEqual({
      statuses: Array(5).fill('COMPLETED'),
      best: [expect.any(Number)],
      space: ['x'],
    });
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).toContain('/node_modules/hypertuner/dist/index.js');
    for (const name of [
      'better-sqlite3',
      'pg',
      'fastify',
      '@fastify/static',
      'echarts',
      '@tensorflow/tfjs',
      'playwright-core',
    ])
      expect(loaded, `${name} was loaded`).not.toContain(`/node_modules/${name}/`);
  });

  it('searches a TypeScript program with two worker processes, loading it with no extra tool; its exported pruner prunes', async () => {
    const search = await hypertuner(
      [
        ...['search', 'typed-objective.ts', '--storage', 'sqlite:typed.db', '--study', 'typed'],
        ...['--max-trials', '10', '--workers', '2', '--seed', '3', '--plain'],
      ],
      { RENDEZVOUS_DIR: join(work, 'rendezvous') },
    );
    expect(search.code, show(search)).toBe(0);
    const trials = await hypertuner(['trials', 'typed', '--storage', 'sqlite:typed.db', '--json']);
    expect(trials.code, show(trials)).toBe(0);
    const rows = JSON.parse(trials.stdout) as { status: string; workerId?: string }[];
    expect(rows).toHaveLength(10);
    const statuses = rows.map((t) => t.status);
    expect(statuses.filter((s) => s !== 'COMPLETED' && s !== 'PRUNED')).toEqual([]);
    expect(statuses).toContain('PRUNED');
    expect(new Set(rows.map((t) => t.workerId?.split(':')[1])).size).toBe(2);
  });

  it('keeps studies in SQLite; a PostgreSQL URL without pg is PEER_MISSING, from the API and the CLI', async () => {
    const api = await run(process.execPath, ['storages.mjs'], project);
    expect(api.code, show(api)).toBe(0);
    const peerLine =
      'pg is not installed; it is needed for PostgreSQL storage (postgres:// URLs): run `npm i pg`.';
    expect(JSON.parse(api.stdout)).toEqual({
      sqliteTrials: 3,
      postgres: { code: 'PEER_MISSING', message: peerLine },
    });
    const [trials, studies] = await Promise.all([
      hypertuner(['trials', 'demo', '--storage', 'sqlite:studies.db', '--json']),
      hypertuner(['studies', '--storage', 'postgres://user:secret@127.0.0.1:9/none']),
    ]);
    expect(trials.code, show(trials)).toBe(0);
    expect(JSON.parse(trials.stdout)).toHaveLength(3);
    expect(studies).toMatchObject({ code: 1, stderr: `hypertuner: ${peerLine} [PEER_MISSING]\n` });
  });

  it('plots SVG with its own dependencies; PNG without playwright-core is PEER_MISSING', async () => {
    const plot = (out: string): Promise<Result> =>
      hypertuner(
        ['plot', 'demo', '--storage', 'sqlite:studies.db', '--kind', 'history', '--out', out],
        {
          // any existing file passes the check for a browser, which comes first
          HYPERTUNER_CHROMIUM: process.execPath,
        },
      );
    const [svg, png] = await Promise.all([plot('history.svg'), plot('history.png')]);
    expect(svg.code, show(svg)).toBe(0);
    expect(readFileSync(join(project, 'history.svg'), 'utf8')).toContain('<svg');
    expect(png).toMatchObject({
      code: 1,
      stderr:
        'hypertuner: playwright-core is not installed; it is needed for PNG plots (rendered by headless Chromium): run `npm i playwright-core`. [PEER_MISSING]\n',
    });
  });
});

describe('with @tensorflow/tfjs installed too', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    const tfjs = await run(
      'npm',
      ['install', '--prefer-offline', '--ignore-scripts', '@tensorflow/tfjs@4'],
      project,
    );
    if (tfjs.code !== 0) throw new Error(`npm install @tensorflow/tfjs failed: ${show(tfjs)}`);
    copyFileSync(
      join(project, 'node_modules', 'hypertuner', 'examples', 'fashion-mnist-mlp.ts'),
      join(project, 'fashion-mnist-mlp.ts'),
    );
  }, 300_000);

  it('imports both entry points; without the WASM backend, training falls back to cpu with one warning', async () => {
    const result = await run(process.execPath, ['tfjs-entry.mjs'], project);
    expect(result.code, show(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      backends: ['cpu', 'cpu'],
      sum: 6,
      wasm: {
        code: 'PEER_MISSING',
        message:
          "@tensorflow/tfjs-backend-wasm is not installed; it is needed for fast training on the WebAssembly backend with hypertuner's kernels: run `npm i @tensorflow/tfjs-backend-wasm`.",
      },
      tensorflow: {
        code: 'PEER_MISSING',
        message:
          "@tensorflow/tfjs-node is not installed; it is needed for training on TensorFlow's native library (backend 'tensorflow'): run `npm i @tensorflow/tfjs-node`.",
      },
    });
    const warnings = result.stderr.split('\n').filter((l) => l.includes('HypertunerWarning'));
    expect(warnings).toHaveLength(1);
    // ours only: not tfjs' banner on the cpu backend's first tensor
    expect(result.stderr).not.toMatch(/TensorFlow\.js in Node\.js/);
    expect(warnings[0]).toMatch(
      /\[PEER_MISSING\] HypertunerWarning: Training on the slow 'cpu' backend \(the WASM backend with hypertuner's kernels trained an MLP about \d+x faster in bench:training\): @tensorflow\/tfjs-backend-wasm is not installed; .*: run `npm i @tensorflow\/tfjs-backend-wasm`\.$/,
    );
  });

  it('type-checks a consumer and the shipped example as tsc --strict does (node16, nodenext, bundler; TypeScript 5.4 too)', () => {
    const common = { target: 'ES2022', lib: ['ES2023', 'DOM'], types: ['node'] };
    const configs = {
      node16: { module: 'node16', moduleResolution: 'node16' },
      nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
      bundler: { module: 'esnext', moduleResolution: 'bundler' },
    };
    const current = typescript('typescript');
    const files = ['consumer.ts', 'typed-objective.ts', 'fashion-mnist-mlp.ts'];
    for (const [name, options] of Object.entries(configs)) {
      const problems = typeCheck(current, project, files, { ...common, ...options });
      expect(problems, `${name}, TypeScript ${current.version}`).toEqual([]);
    }
    const oldest = typescript(join(oldestTypeScriptDir, 'node_modules', 'typescript'));
    expect(oldest.version).toMatch(/^5\.4\./);
    expect(typeCheck(oldest, project, files, { ...common, ...configs.nodenext })).toEqual([]);
    // and the check is not vacuous: a misspelt name is reported
    writeFileSync(join(project, 'wrong.ts'), "export { Studdy } from 'hypertuner';\n");
    expect(typeCheck(current, project, ['wrong.ts'], { ...common, ...configs.nodenext })).toEqual([
      `wrong.ts:1: '"hypertuner"' has no exported member named 'Studdy'. Did you mean 'Study'?`,
    ]);
  }, 300_000);
});
