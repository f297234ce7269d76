/**
 * One benchmark run: an oracle driven directly on a problem with an in-memory history (no
 * storage), so that the time measured is the oracle's own.
 */
import { performance } from 'node:perf_hooks';
import type { Oracle, StudyView } from '../../src/oracles/index.js';
import type { ParamValues } from '../../src/space/index.js';
import { HyperParameters, SearchSpace } from '../../src/space/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import type { BenchmarkProblem } from '../problems/index.js';

/** One line of the raw output (the format of PROBLEMS.md, plus `final_ask_s`). */
export interface RawRun {
  readonly tool: string;
  readonly problem: string;
  readonly seed: number;
  readonly trials: number;
  /** Best value after trial 1, 2, ... */
  readonly best: number[];
  /** Seconds spent producing suggestion 1, 2, ... (suggestion k sees k − 1 finished trials). */
  readonly ask_s: number[];
  /** Seconds of one more suggestion after the last trial (it sees `trials` finished trials; not evaluated). */
  readonly final_ask_s: number | null;
  readonly wall_s: number;
  readonly minimum: number;
  /** Why the run stopped before `trials`, if it did. */
  readonly stopped?: string;
}

const OBJECTIVES: readonly Objective[] = [{ name: 'value', direction: 'minimize' }];

function trialOf(number: number, params: ParamValues, value: number): Trial {
  const ok = Number.isFinite(value);
  return {
    id: number,
    number,
    status: ok ? 'COMPLETED' : 'FAILED',
    params,
    values: ok ? [value] : undefined,
    metrics: ok ? { value } : {},
    intermediate: [],
    error: ok ? undefined : `objective returned ${value}`,
    createdAt: number,
    startedAt: number,
    finishedAt: number,
    heartbeatAt: undefined,
    workerId: undefined,
    retryOf: undefined,
    oracleAttrs: {},
    userAttrs: {},
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

export function runOne(
  problem: BenchmarkProblem,
  tool: string,
  oracle: Oracle,
  seed: number,
  trials: number,
): RawRun {
  const start = performance.now();
  let space = build(problem, new SearchSpace(), {}).space;
  const history: Trial[] = [];
  const best: number[] = [];
  const askSeconds: number[] = [];
  let bestSoFar = Infinity;
  let stopped: string | undefined;
  const ask = (): ReturnType<Oracle['ask']> => {
    const view: StudyView = { space, objectives: OBJECTIVES, trials: history };
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
    const value = problem.evaluate(built.params);
    history.push(trialOf(number, built.params, value));
    if (value < bestSoFar) bestSoFar = value;
    best.push(bestSoFar);
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
