/**
 * `npm run bench:bo`: every oracle on the benchmark problems of PROBLEMS.md, several seeds,
 * median simple regret and suggestion time against the issue's targets. See bench/README.md.
 * Results go to stdout, progress to stderr.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadProblems, runJob } from './bo/jobs.js';
import type { Job } from './bo/jobs.js';
import type { OracleName } from './bo/oracles.js';
import { ORACLE_NAMES, oracleFactory, toolName } from './bo/oracles.js';
import { formatProblem, regretAt, summarise } from './bo/report.js';
import type { RawRun } from './bo/run.js';
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
    'Benchmark the oracles on Branin, Hartmann-6 and mixed_public (and your problems): median regret and ms per suggestion.',
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
  .option('--trials <n>', 'trials per run', positiveInt, 100)
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
  out?: string;
  problemFile: string[];
  workers: number;
}>();

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const problems = await loadProblems(options.problemFile);
const names = new Set(problems.map((p) => p.name));
if (names.size !== problems.length)
  program.error('error: two problems have the same name; give each problem a unique name.');
const chosenProblems =
  options.problems === undefined
    ? problems
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

const jobs: Job[] = [];
for (const problem of chosenProblems) {
  for (const oracle of runnable) {
    for (const seed of options.seeds)
      jobs.push({
        problem: problem.name,
        oracle,
        seed,
        trials: options.trials,
        problemFiles: options.problemFile,
      });
  }
}
if (options.out !== undefined) writeFileSync(options.out, '');
log(
  `bench:bo: ${jobs.length} runs (${chosenProblems.length} problems x ${runnable.length} oracles x ${options.seeds.length} seeds, ${options.trials} trials) on ${options.workers} worker(s)`,
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
  `# bench:bo — ${options.trials} trials, seeds ${options.seeds.join(',')}, ${options.workers} worker(s)\n\n`,
);
for (const problem of chosenProblems) {
  const summaries = runnable.flatMap((oracle) => {
    const runs = results.get(`${problem.name}\u0000${oracle}`) ?? [];
    return runs.length === 0 ? [] : [summarise(problem.name, oracle, runs)];
  });
  process.stdout.write(
    `${formatProblem(problem.name, problem.minimum, summaries, options.seeds.length)}\n`,
  );
}
if (options.out !== undefined)
  log(`raw runs: ${options.out} (tool names: ${runnable.map(toolName).join(', ')})`);
if (failures > 0) process.exitCode = 1;
