/**
 * Helpers of the distributed tests: a study made as `hypertuner search` makes it, worker
 * processes (`hypertuner worker`), and checks of what the storage holds afterwards.
 */
import { expect } from 'vitest';
import { Study, openStorage } from '../../src/index.js';
import { createOracle } from '../../src/oracles/index.js';
import { configurationKey } from '../../src/space/index.js';
import type { Storage, Trial } from '../../src/index.js';
import { startCli } from '../helpers/run-cli.js';
import type { CliProcess } from '../helpers/run-cli.js';

export const program = 'test/distributed/fixtures/fast-objective.ts';

/** Creates a random-search study with the attributes `hypertuner search` stores. */
export async function createStudy(url: string, name: string, maxTrials: number): Promise<void> {
  const study = await Study.open({
    storage: url,
    name,
    objective: 'loss',
    oracle: createOracle('random', { seed: 1 }),
    seed: 1,
    userAttrs: { oracleOptions: { seed: 1 }, maxTrials },
  });
  await study.close();
}

/** Starts `hypertuner worker` on the study. */
export function startWorker(
  url: string,
  study: string,
  options: {
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
  } = {},
): CliProcess {
  return startCli(
    ['worker', program, '--storage', url, '--study', study, '--quiet', ...(options.args ?? [])],
    options.env ?? {},
  );
}

/** Waits until every worker has exited and checks each exited with 0. */
export async function expectAllExitCleanly(workers: readonly CliProcess[]): Promise<void> {
  const results = await Promise.all(workers.map((w) => w.done));
  for (const r of results) expect(r.code, r.stderr).toBe(0);
}

/** A storage handle to watch a study from the test. */
export async function watch(
  url: string,
  name: string,
): Promise<{ trials(): Promise<Trial[]>; close(): Promise<void> }> {
  const storage: Storage = await openStorage(url);
  const record = await storage.loadStudy(name);
  if (record === undefined) throw new Error(`no study ${name}`);
  return { trials: () => storage.getTrials(record.id), close: () => storage.close() };
}

/** Polls `check` every 50 ms until it is true. */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The study ran exactly `maxTrials` trials to completion: numbers dense, no configuration
 * COMPLETED twice, every FAILED trial a lost one whose retry (same parameters) COMPLETED.
 */
export function expectExactlyOnce(trials: readonly Trial[], maxTrials: number): { lost: Trial[] } {
  expect(trials.map((t) => t.number)).toEqual([...trials.keys()]);
  const completed = trials.filter((t) => t.status === 'COMPLETED');
  expect(completed).toHaveLength(maxTrials);
  expect(new Set(completed.map((t) => configurationKey(t.params))).size).toBe(maxTrials);
  const lost = trials.filter((t) => t.status === 'FAILED');
  expect(lost.length + completed.length).toBe(trials.length);
  for (const t of lost) {
    expect(t.error).toMatch(/worker lost/);
    const retries = trials.filter(
      (r) => r.retryOf === (t.retryOf ?? t.number) && r.number > t.number,
    );
    expect(retries).toHaveLength(1);
    // the same configuration (a proposal made before the space was known is completed alike)
    expect(retries[0]?.params).toMatchObject(t.params);
  }
  return { lost };
}
