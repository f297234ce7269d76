/**
 * Parallel trials are reproducible: each trial's parameters come from the study's history and
 * its training is seeded by (study seed, trial number), so two processes sharing one SQLite
 * study give every trial the same parameters and metrics as one process running them in turn.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/index.js';
import type { Trial } from '../../src/index.js';
import { repoRoot } from '../helpers/run-cli.js';
import { tempDir } from './tuner-fixtures.js';

const PROJECT = 'parallel';
const MAX_TRIALS = 4;

const moduleUrl = (path: string): string => pathToFileURL(join(repoRoot, path)).href;

/**
 * One process of the search: RandomSearch of a tiny MLP on 300 Fashion-MNIST images. With
 * PARTIES set, it waits until that many processes are ready, so that they ask for trials at
 * the same time; with N_TRIALS, it runs only that many trials of the study.
 */
const searchProcess = `
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandomSearch } from '${moduleUrl('src/tfjs/index.ts')}';
import { fashionSample, tinyMlp } from '${moduleUrl('test/tfjs/tuner-fixtures.ts')}';
const { DIR, PARTIES, N_TRIALS } = process.env;
const sample = await fashionSample(300, 100);
const tuner = new RandomSearch({
  hypermodel: tinyMlp,
  objective: 'val_accuracy',
  maxTrials: ${MAX_TRIALS},
  directory: DIR,
  projectName: '${PROJECT}',
  seed: 11,
  backend: 'wasm',
});
await tuner.searchSpaceSummary(); // opens the study and learns the space
if (PARTIES !== undefined) {
  writeFileSync(join(DIR, 'ready-' + process.pid), '');
  while (readdirSync(DIR).filter((n) => n.startsWith('ready-')).length < Number(PARTIES))
    await new Promise((resolve) => setTimeout(resolve, 20));
}
await tuner.search(sample.train.x, sample.train.y, {
  epochs: 2,
  batchSize: 32,
  validationData: [sample.test.x, sample.test.y],
  ...(N_TRIALS === undefined ? {} : { nTrials: Number(N_TRIALS) }),
});
await tuner.close();
`;

function runSearchProcess(env: Readonly<Record<string, string>>): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', searchProcess],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`search process exited with ${code}:\n${stderr}`)),
    );
  });
}

async function trialsIn(directory: string): Promise<Trial[]> {
  const storage = await openStorage(`sqlite:${join(directory, PROJECT, 'study.db')}`);
  try {
    const study = await storage.loadStudy(PROJECT);
    return study === undefined ? [] : await storage.getTrials(study.id);
  } finally {
    await storage.close();
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('parallel trials', () => {
  it('two parallel trials give the same results as the same trials run one after the other with the same seeds', async () => {
    const sequentialDir = tempDir('sequential');
    const parallelDir = tempDir('parallel');
    dirs.push(sequentialDir, parallelDir);
    // the parallel processes run at the same time as the sequential one: only seeds matter
    await Promise.all([
      runSearchProcess({ DIR: sequentialDir }),
      runSearchProcess({ DIR: parallelDir, PARTIES: '2', N_TRIALS: '2' }),
      runSearchProcess({ DIR: parallelDir, PARTIES: '2', N_TRIALS: '2' }),
    ]);
    const sequential = await trialsIn(sequentialDir);
    const parallel = await trialsIn(parallelDir);

    expect(sequential.map((t) => [t.number, t.status])).toEqual(
      [...Array(MAX_TRIALS).keys()].map((n) => [n, 'COMPLETED']),
    );
    expect(parallel.map((t) => [t.number, t.status])).toEqual(
      sequential.map((t) => [t.number, t.status]),
    );
    expect(new Set(sequential.map((t) => t.workerId)).size).toBe(1);
    expect(new Set(parallel.map((t) => t.workerId)).size).toBe(2);
    const near = (a: number | undefined, b: number, what: string): void =>
      expect(Math.abs((a ?? NaN) - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-6);
    for (const [i, one] of sequential.entries()) {
      const other = parallel[i] as Trial;
      expect(other.params, `trial ${one.number}`).toEqual(one.params);
      expect(Object.keys(other.metrics).sort()).toEqual(Object.keys(one.metrics).sort());
      for (const [name, value] of Object.entries(one.metrics))
        near(other.metrics[name], value, `trial ${one.number} ${name}`);
      near(other.values?.[0], one.values?.[0] ?? NaN, `trial ${one.number} value`);
      expect(other.intermediate.map((s) => s.step)).toEqual(one.intermediate.map((s) => s.step));
      for (const [k, step] of one.intermediate.entries())
        for (const [name, value] of Object.entries(step.metrics))
          near(
            other.intermediate[k]?.metrics[name],
            value,
            `trial ${one.number} epoch ${k} ${name}`,
          );
    }
  });
});
