/**
 * One benchmark run: an oracle driven directly on a problem with an in-memory history (no
 * storage), so that the time measured is the oracle's own.
 */
import { performance } from 'node:perf_hooks';
import type { Oracle, StudyView } from '../../src/oracles/index.js';
import type { ParamValues } from '../../src/space/index.js';
import { HyperParameters, SearchSpace } from '../../src/space/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import { CONSTRAINTS_ATTR } from '../../src/trials/index.js';
import type { BenchmarkProblem } from '../problems/index.js';
import { hypervolume } from '../problems/index.js';
import type { ProblemKind } from './targets.js';

/**
 * One line of the raw output (the format of PROBLEMS.md, plus `final_ask_s`). Several
 * objectives: `best` holds minus the hypervolume after each trial (and `minimum` minus the true
 * front's). Constraints: `best` is the best feasible value, `null` until a trial is feasible.
 */
export interface RawRun {
  readonly tool: string;
  readonly problem: string;
  readonly seed: number;
  readonly trials: number;
  /** Best value after trial 1, 2, ... (`null`: no feasible trial yet) */
  readonly best: (number | null)[];
  /** Seconds spent producing suggestion 1, 2, ... (suggestion k sees k − 1 finished trials). */
  readonly ask_s: number[];
  /** Seconds of one more suggestion after the last trial (it sees `trials` finished trials; not evaluated). */
  readonly final_ask_s: number | null;
  readonly wall_s: number;
  readonly minimum: number;
  /** Why the run stopped before `trials`, if it did. */
  readonly stopped?: string;
}

function objectivesOf(problem: BenchmarkProblem): readonly Objective[] {
  const n = problem.objectives ?? 1;
  return n === 1
    ? [{ name: 'value', direction: 'minimize' }]
    : Array.from({ length: n }, (_, i) => ({ name: `f${i + 1}`, direction: 'minimize' }));
}

function trialOf(
  number: number,
  params: ParamValues,
  values: readonly number[],
  objectives: readonly Objective[],
  oracleAttrs: Trial['oracleAttrs'],
  constraints: readonly number[] | undefined,
): Trial {
  const ok = values.length === objectives.length && values.every(Number.isFinite);
  return {
    id: number,
    number,
    status: ok ? 'COMPLETED' : 'FAILED',
    params,
    values: ok ? values : undefined,
    metrics: ok ? Object.fromEntries(objectives.map((o, i) => [o.name, values[i] as number])) : {},
    intermediate: [],
    error: ok ? undefined : `objective returned ${values.join(', ')}`,
    createdAt: number,
    startedAt: number,
    finishedAt: number,
    heartbeatAt: undefined,
    workerId: undefined,
    retryOf: undefined,
    oracleAttrs,
    // where a study keeps the values of its `constraints` function (src/trials/constraints.ts)
    userAttrs: ok && constraints !== undefined ? { [CONSTRAINTS_ATTR]: [...constraints] } : {},
  };
}

/** Runs `space` once with `values` (define-by-run): the space seen so far and the active values. */
function build(
  problem: BenchmarkProblem,
  space: SearchSpace,
  values: ParamValues,
): { space: SearchSpace; params: ParamValues } {
  if (typeof problem.space !== 'function') {
    // a SearchSpace from another copy of hypertuner (a user's problem file) is rebuilt from its parameters
    const given: SearchSpace = problem.space;
    const fixed =
      given instanceof SearchSpace
        ? given
        : new SearchSpace((given as { readonly parameters: SearchSpace['parameters'] }).parameters);
    return { space: fixed, params: fixed.pruneInactive(values) };
  }
  const hp = new HyperParameters({ space, values });
  problem.space(hp);
  return { space: hp.space, params: hp.values };
}

/**
 * The best-so-far of a run as trials come in: the lowest (feasible) value, or for several
 * objectives minus the hypervolume of the points so far.
 */
class BestSoFar {
  private best = Infinity;
  private front: number[][] = [];
  constructor(private readonly problem: BenchmarkProblem) {}

  add(values: readonly number[], feasible: boolean): number | null {
    const reference = this.problem.referencePoint;
    if (feasible && values.every(Number.isFinite)) {
      if (reference === undefined) {
        this.best = Math.min(this.best, values[0] as number);
      } else if (!this.front.some((p) => p.every((v, i) => v <= (values[i] as number)))) {
        this.front = [...this.front.filter((p) => !dominatedBy(p, values)), [...values]];
        this.best = -hypervolume(this.front, reference);
      }
    }
    if (reference !== undefined && this.front.length === 0) return 0;
    return this.best === Infinity ? null : this.best;
  }
}

const dominatedBy = (p: readonly number[], q: readonly number[]): boolean =>
  q.every((v, i) => v <= (p[i] as number));

export function runOne(
  problem: BenchmarkProblem,
  tool: string,
  oracle: Oracle,
  seed: number,
  trials: number,
): RawRun {
  const start = performance.now();
  let space = build(problem, new SearchSpace(), {}).space;
  const objectives = objectivesOf(problem);
  const history: Trial[] = [];
  const best: (number | null)[] = [];
  const askSeconds: number[] = [];
  const bestSoFar = new BestSoFar(problem);
  let stopped: string | undefined;
  const ask = (): ReturnType<Oracle['ask']> => {
    const view: StudyView = { space, objectives, trials: history };
    const t0 = performance.now();
    const answer = oracle.ask(view);
    askSeconds.push((performance.now() - t0) / 1000);
    return answer;
  };
  for (let number = 0; number < trials; number++) {
    const answer = ask();
    if (answer.kind !== 'trial') {
      askSeconds.pop();
      stopped = `${answer.kind}: ${answer.reason}`;
      break;
    }
    const built = build(problem, space, answer.params);
    space = built.space;
    const evaluated = problem.evaluate(built.params);
    const values = typeof evaluated === 'number' ? [evaluated] : [...evaluated];
    // the oracles see the constraint values as a study's trials carry them; the best counts
    // feasible trials only
    const constraints = problem.constraints?.(built.params);
    const feasible = (constraints ?? []).every((c) => c <= 0);
    history.push(
      trialOf(number, built.params, values, objectives, answer.oracleAttrs ?? {}, constraints),
    );
    best.push(bestSoFar.add(values, feasible));
  }
  let finalAsk: number | null = null;
  if (stopped === undefined) {
    ask();
    finalAsk = askSeconds.pop() ?? null;
  }
  return {
    tool,
    problem: problem.name,
    seed,
    trials,
    best,
    ask_s: askSeconds,
    final_ask_s: finalAsk,
    wall_s: (performance.now() - start) / 1000,
    minimum: problem.minimum,
    ...(stopped === undefined ? {} : { stopped }),
  };
}

/** What the targets need to know of a problem (its space as first declared). */
export function problemKind(problem: BenchmarkProblem): ProblemKind {
  const { space } = build(problem, new SearchSpace(), {});
  return {
    name: problem.name,
    objectives: problem.objectives ?? 1,
    continuous: space.parameters.every((p) => p.kind === 'float'),
    constrained: problem.constraints !== undefined,
    dimensions: space.parameters.length,
  };
}
