/** A benchmark job (one problem, oracle and seed) and how a process runs it. */
import type { BenchmarkProblem } from '../problems/index.js';
import { builtinProblems, loadProblemFile, scaleProblems } from '../problems/index.js';
import type { OracleName } from './oracles.js';
import { oracleFactory, toolName } from './oracles.js';
import type { RawRun } from './run.js';
import { runOne } from './run.js';

export interface Job {
  readonly problem: string;
  readonly oracle: OracleName;
  readonly seed: number;
  readonly trials: number;
  /** Problem files to load (the job's problem may come from one). */
  readonly problemFiles: readonly string[];
}

const loaded = new Map<string, Promise<BenchmarkProblem[]>>();

/** Built-in problems, the scale ones (run only when named), then those of the files (cached per process). */
export async function loadProblems(problemFiles: readonly string[]): Promise<BenchmarkProblem[]> {
  const extra = await Promise.all(
    problemFiles.map((file) => {
      let pending = loaded.get(file);
      if (pending === undefined) {
        pending = loadProblemFile(file);
        loaded.set(file, pending);
      }
      return pending;
    }),
  );
  return [...builtinProblems, ...scaleProblems, ...extra.flat()];
}

const warmedUp = new Set<string>();
const WARM_UP_SEED = 1_000_003;

/**
 * Runs a job. The first job of each problem and oracle in a process is preceded by a short
 * unrecorded run, so that suggestion times measure compiled code rather than the JIT warming up.
 */
export async function runJob(job: Job): Promise<RawRun> {
  const problems = await loadProblems(job.problemFiles);
  const problem = problems.find((p) => p.name === job.problem);
  if (problem === undefined) throw new Error(`unknown problem '${job.problem}'`);
  const factory = oracleFactory(job.oracle);
  if ('skip' in factory) throw new Error(`oracle '${job.oracle}' cannot run: ${factory.skip}`);
  const key = `${job.problem}\u0000${job.oracle}`;
  if (!warmedUp.has(key)) {
    warmedUp.add(key);
    runOne(
      problem,
      toolName(job.oracle),
      factory(WARM_UP_SEED),
      WARM_UP_SEED,
      Math.min(job.trials, 30),
    );
  }
  return runOne(problem, toolName(job.oracle), factory(job.seed), job.seed, job.trials);
}
