import { describe, expect, it } from 'vitest';
import { regretRatio, verdicts } from '../../bench/bo/compare.js';
import { parsePeerRuns, peerRunsByTool } from '../../bench/bo/peers.js';
import { regretAt, summarise } from '../../bench/bo/report.js';
import { problemKind, runOne } from '../../bench/bo/run.js';
import { rastrigin5, simionescu, zdt1 } from '../../bench/problems/index.js';
import { RandomSearchOracle } from '../../src/oracles/index.js';

const line = (tool: string, problem: string, best: (number | null)[], minimum = 0): string =>
  JSON.stringify({
    tool,
    problem,
    seed: 1,
    trials: best.length,
    best,
    ask_s: best.map(() => 0.001),
    wall_s: 1,
    minimum,
  });

describe('bench:bo peer runs', () => {
  it('parses raw runs and names the line and field of a malformed one', () => {
    const runs = parsePeerRuns(
      `${line('optuna-tpe', 'branin', [3, 2, 1])}\n\n${line('kt-bo', 'branin', [5, 4])}\n`,
      'p.jsonl',
    );
    expect(runs.map((r) => r.tool)).toEqual(['optuna-tpe', 'kt-bo']);
    expect([...peerRunsByTool(runs, 'branin').keys()]).toEqual(['optuna-tpe', 'kt-bo']);
    expect(() =>
      parsePeerRuns(
        `${line('a', 'b', [1])}\n{"tool":"a","problem":"b","best":"x","minimum":0}`,
        'p.jsonl',
      ),
    ).toThrow(/p\.jsonl, line 2: 'best'/);
    expect(() => parsePeerRuns('not json', 'p.jsonl')).toThrow(/line 1: not JSON/);
  });

  it('counts a run without a feasible trial yet as infinitely far', () => {
    expect(regretAt({ best: [null, 0.5], ask_s: [], minimum: 0.25 }, 1)).toBe(Infinity);
    expect(regretAt({ best: [null, 0.5], ask_s: [], minimum: 0.25 }, 2)).toBe(0.25);
    expect(regretRatio(0, 0)).toBe(1);
    expect(regretRatio(1, 0)).toBe(Infinity);
    expect(regretRatio(1, 4)).toBe(0.25);
  });

  it('checks issue 21 targets against the best of the named peers', () => {
    const kind = problemKind(rastrigin5);
    expect(kind).toEqual({
      name: 'rastrigin5',
      objectives: 1,
      continuous: true,
      constrained: false,
      dimensions: 5,
    });
    const best = (r: number): number[] => Array.from({ length: 100 }, () => r);
    const peer = (tool: string, r: number) =>
      summarise('rastrigin5', tool, [{ best: best(r), ask_s: [], minimum: 0 }]);
    const ours = (oracle: string, r: number) =>
      summarise('rastrigin5', oracle, [{ best: best(r), ask_s: [], minimum: 0 }]);
    const peers = [
      peer('optuna-tpe', 4),
      peer('optuna-tpe-mv', 3),
      peer('optuna-cmaes', 2),
      peer('optuna5-gp', 8),
    ];
    const checked = verdicts(
      kind,
      [ours('tpe', 4), ours('tpe-mv', 3.5), ours('bayesian', 1.5)],
      peers,
    );
    const of = (oracle: string, at: number, bound: RegExp) =>
      checked.find((v) => v.oracle === oracle && v.at === at && bound.test(v.bound))?.pass;
    expect(of('tpe', 100, /optuna-tpe /)).toBe(true); // 4 <= 4
    expect(of('tpe-mv', 100, /optuna-tpe-mv/)).toBe(false); // 3.5 > 3
    expect(of('bayesian', 100, /optuna5-gp/)).toBe(true);
    // rugged: @50 <= 0.5 x the best of TPE, TPE-mv, CMA-ES and GP (2, CMA-ES): 1.5 > 1
    expect(of('bayesian', 50, /0\.5 x optuna-cmaes/)).toBe(false);
    // no CMA-ES of ours run: its target is not listed
    expect(checked.some((v) => v.oracle === 'cmaes')).toBe(false);
  });

  it('checks issue 21 time targets: 1/5 of GPSampler per ask, 25 ms at 100, 60 ms in 30-D, 150 ms at asks 991-1000', () => {
    const run = (msPerAsk: number, trials: number) => ({
      best: Array.from({ length: trials }, () => 1),
      ask_s: Array.from({ length: trials }, () => msPerAsk / 1000),
      final_ask_s: msPerAsk / 1000,
      minimum: 0,
    });
    const five = { name: 'p5', objectives: 1, continuous: true, constrained: false, dimensions: 5 };
    const wide = { ...five, name: 'p30', dimensions: 30 };
    const timeVerdicts = (kind: typeof five, ms: number, trials: number, gpMs: number) =>
      verdicts(
        kind,
        [summarise(kind.name, 'bayesian', [run(ms, trials)])],
        [summarise(kind.name, 'optuna5-gp', [run(gpMs, 100)])],
      ).filter((v) => String(v.at).startsWith('ms'));
    const fast = timeVerdicts(five, 20, 100, 150);
    expect(fast.map((v) => [v.point, v.at, v.pass])).toEqual([
      ['21.4', 'ms asks 91-100', true], // 20 <= 0.2 x 150
      ['21.8', 'ms 100', true], // 20 <= 25 (asks 991-1000: not run that long, not listed)
    ]);
    expect(timeVerdicts(five, 40, 100, 150).map((v) => v.pass)).toEqual([false, false]);
    expect(timeVerdicts(wide, 40, 100, 150).map((v) => [v.bound, v.pass])).toEqual([
      ['<= 0.2 x optuna5-gp ms (150)', false],
      ['<= 60 ms', true],
    ]);
    const long = timeVerdicts(five, 120, 1000, 150);
    expect(long.find((v) => v.at === 'ms asks 991-1000')?.pass).toBe(true);
  });

  it('records minus the hypervolume on multi-objective problems and the best feasible value on constrained ones', () => {
    const mo = runOne(zdt1, 'hypertuner-random', new RandomSearchOracle({ seed: 1 }), 1, 20);
    const hv = mo.best.map((b) => -(b as number));
    expect(hv.every((v, i) => i === 0 || v >= (hv[i - 1] as number))).toBe(true);
    expect(hv[19]).toBeGreaterThan(90); // random points on ZDT1 against (11, 11)
    expect(hv[19]).toBeLessThan(-zdt1.minimum);
    const constrained = runOne(
      simionescu,
      'hypertuner-random',
      new RandomSearchOracle({ seed: 2 }),
      2,
      40,
    );
    const feasible = constrained.best.filter((b): b is number => b !== null);
    expect(feasible.length).toBeGreaterThan(0);
    expect(Math.min(...feasible)).toBeGreaterThanOrEqual(-0.072);
    expect(problemKind(simionescu).constrained).toBe(true);
    expect(problemKind(zdt1).objectives).toBe(2);
  });
});
