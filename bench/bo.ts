/**
 * `npm run bench:bo`: every oracle on the benchmark problems of PROBLEMS.md, several seeds,
 * median simple regret and suggestion time against the issue's targets. See bench/README.md.
 * Results go to stdout, progress to stderr.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadProblems, runJob } from './bo/jobs.js';
import { scaleProblems } from './problems/index.js';
import type { Job } from './bo/jobs.js';
import type { OracleName } from './bo/oracles.js';
import { ORACLE_NAMES, oracleFactory, toolName } from './bo/oracles.js';
import { formatPeerComparison, formatVerdicts, verdicts } from './bo/compare.js';
import type { Verdict } from './bo/compare.js';
import { loadPeerRuns, peerRunsByTool } from './bo/peers.js';
import { formatProblem, regretAt, regretCheckpoints, summarise } from './bo/report.js';
import type { RawRun } from './bo/run.js';
import { problemKind } from './bo/run.js';
import { positiveInt } from './shared/cli-numbers.js';
import { runJobs } from './shared/job-pool.js';

/** `10` (seeds 0..9), `3,5,8` or `0-4`. */
function parseSeeds(value: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (range !== null) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (to < from) throw new InvalidArgumentError('a range must be low-high.');
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  if (value.includes(',')) {
    const seeds = value.split(',').map((s) => Number(s.trim()));
    if (seeds.some((s) => !Number.isInteger(s) || s < 0))
      throw new InvalidArgumentError('seeds must be integers >= 0.');
    return seeds;
  }
  return Array.from({ length: positiveInt(value) }, (_, i) => i);
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const collect = (value: string, previous: string[]): string[] => [...previous, value];

const program = new Command('bench:bo')
  .description(
    'Benchmark the oracles on the problems of PROBLEMS.md and issue 21 (and yours): median regret and ms per suggestion, beside recorded peer runs.',
  )
  .option(
    '--problems <names>',
    'comma-separated problem names (default: all, including those of --problem-file)',
    list,
  )
  .addOption(
    new Option('--oracles <names>', `comma-separated oracles: ${ORACLE_NAMES.join(', ')}`)
      .default(['random', 'tpe', 'bayesian', 'bayesian-ucb'], 'random,tpe,bayesian,bayesian-ucb')
      .argParser(list),
  )
  .option(
    '--seeds <seeds>',
    'a count N (seeds 0..N-1), a list 1,2,3 or a range 0-9',
    parseSeeds,
    Array.from({ length: 10 }, (_, i) => i),
  )
  .option('--trials <n>', 'trials per run (single-objective problems)', positiveInt, 100)
  .option('--mo-trials <n>', 'trials per run on multi-objective problems', positiveInt, 200)
  .option(
    '--peer-file <path>',
    'recorded peer runs (JSON lines, the raw-run format) to print beside ours with ratios (repeatable)',
    collect,
    [] as string[],
  )
  .option('--out <file>', 'write the raw runs as JSON lines (one per problem, oracle and seed)')
  .option(
    '--problem-file <path>',
    'an ES module whose default export is a problem or an array of problems (repeatable)',
    collect,
    [] as string[],
  )
  .option(
    '--workers <n>',
    'worker threads running jobs in parallel (1: in this thread, cleanest timings)',
    positiveInt,
    Math.min(2, availableParallelism()),
  );

program.parse();
const options = program.opts<{
  problems?: string[];
  oracles: string[];
  seeds: number[];
  trials: number;
  moTrials: number;
  peerFile: string[];
  out?: string;
  problemFile: string[];
  workers: number;
}>();

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const peerRuns = (() => {
  try {
    return loadPeerRuns(options.peerFile);
  } catch (e) {
    return program.error(`error: ${(e as Error).message}`);
  }
})();
const problems = await loadProblems(options.problemFile);
const names = new Set(problems.map((p) => p.name));
if (names.size !== problems.length)
  program.error('error: two problems have the same name; give each problem a unique name.');
const chosenProblems =
  options.problems === undefined
    ? problems.filter((p) => !scaleProblems.includes(p))
    : options.problems.map(
        (name) =>
          problems.find((p) => p.name === name) ??
          program.error(`error: unknown problem '${name}'; known: ${[...names].join(', ')}.`),
      );

const runnable: OracleName[] = [];
for (const name of options.oracles) {
  if (!(ORACLE_NAMES as readonly string[]).includes(name))
    program.error(`error: unknown oracle '${name}'; known: ${ORACLE_NAMES.join(', ')}.`);
  const factory = oracleFactory(name as OracleName);
  if ('skip' in factory) {
    log(`skip ${name}: ${factory.skip}`);
    process.stdout.write(`(skipped ${name}: ${factory.skip})\n`);
  } else {
    runnable.push(name as OracleName);
  }
}

const trialsOf = (problem: (typeof problems)[number]): number =>
  (problem.objectives ?? 1) > 1 ? options.moTrials : options.trials;
const jobs: Job[] = [];
for (const problem of chosenProblems) {
  for (const oracle of runnable) {
    for (const seed of options.seeds)
      jobs.push({
        problem: problem.name,
        oracle,
        seed,
        trials: trialsOf(problem),
        problemFiles: options.problemFile,
      });
  }
}
if (options.out !== undefined) writeFileSync(options.out, '');
log(
  `bench:bo: ${jobs.length} runs (${chosenProblems.length} problems x ${runnable.length} oracles x ${options.seeds.length} seeds, ${options.trials} trials, ${options.moTrials} with several objectives) on ${options.workers} worker(s)`,
);

const results = new Map<string, RawRun[]>();
let done = 0;
let failures = 0;
const started = Date.now();
const workerModule = new URL('./bo/worker.ts', import.meta.url);
const onDone = (job: Job, result: RawRun | Error): void => {
  done++;
  const where = `[${done}/${jobs.length}] ${job.problem} ${job.oracle} seed ${job.seed}`;
  if (result instanceof Error) {
    failures++;
    log(`${where}: FAILED ${result.message}`);
    return;
  }
  const key = `${job.problem}\u0000${job.oracle}`;
  results.set(key, [...(results.get(key) ?? []), result]);
  if (options.out !== undefined) appendFileSync(options.out, `${JSON.stringify(result)}\n`);
  const stopped = result.stopped === undefined ? '' : ` (stopped: ${result.stopped})`;
  log(
    `${where}: regret ${regretAt(result, result.best.length).toPrecision(3)} after ${result.best.length} trials, ${result.wall_s.toFixed(1)} s${stopped}`,
  );
};
await runJobs(jobs, { workers: options.workers, workerModule, runHere: runJob, onDone });
log(
  `bench:bo: done in ${((Date.now() - started) / 1000).toFixed(0)} s${failures > 0 ? `, ${failures} failed runs` : ''}`,
);

process.stdout.write(
  `# bench:bo — ${options.trials} trials (${options.moTrials} with several objectives), seeds ${options.seeds.join(',')}, ${options.workers} worker(s)\n\n`,
);
if (peerRuns.length > 0)
  process.stdout.write(
    `Recorded peers: ${options.peerFile.join(', ')} (${peerRuns.length} runs)\n\n`,
  );
const allVerdicts: Verdict[] = [];
for (const problem of chosenProblems) {
  const checkpoints = regretCheckpoints(trialsOf(problem));
  const summaries = runnable.flatMap((oracle) => {
    const runs = results.get(`${problem.name}\u0000${oracle}`) ?? [];
    return runs.length === 0 ? [] : [summarise(problem.name, oracle, runs, checkpoints)];
  });
  process.stdout.write(
    `${formatProblem(problem.name, problem.minimum, summaries, options.seeds.length)}\n`,
  );
  if (problem.referencePoint !== undefined)
    process.stdout.write(
      `(several objectives: regret is the hypervolume missing against reference [${problem.referencePoint.join(', ')}], out of ${(-problem.minimum).toPrecision(6)})\n\n`,
    );
  if (problem.constraints !== undefined)
    process.stdout.write(
      '(constrained: regret of the best feasible trial; inf before the first)\n\n',
    );
  const peers = [...peerRunsByTool(peerRuns, problem.name)].map(([tool, runs]) =>
    summarise(
      problem.name,
      tool,
      runs,
      regretCheckpoints(Math.max(...runs.map((r) => r.best.length))),
    ),
  );
  const kind = problemKind(problem);
  if (peerRuns.length > 0)
    process.stdout.write(`${formatPeerComparison(kind, summaries, peers)}\n`);
  allVerdicts.push(...verdicts(kind, summaries, peers));
}
if (allVerdicts.length > 0) {
  const passed = allVerdicts.filter((v) => v.pass === true).length;
  process.stdout.write(
    `## Issue 21 targets (${passed} of ${allVerdicts.length} PASS; n/a: a side not run, or run too short)\n\n${formatVerdicts(allVerdicts)}\n`,
  );
}
if (options.out !== undefined)
  log(`raw runs: ${options.out} (tool names: ${runnable.map(toolName).join(', ')})`);
if (failures > 0) process.exitCode = 1;
