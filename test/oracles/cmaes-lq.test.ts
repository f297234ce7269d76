import { describe, expect, it } from 'vitest';
import { CmaEsOracle } from '../../src/oracles/index.js';
import type { StudyView } from '../../src/oracles/index.js';
import { fitLqModel, kendallTau, lqModelKind } from '../../src/oracles/cmaes/lq-model.js';
import { evaluationSteps, lqGeneration } from '../../src/oracles/cmaes/lq-generation.js';
import { Random } from '../../src/math/random.js';
import type { ParamValues, SearchSpace } from '../../src/space/index.js';
import { HyperParameters, configurationKey } from '../../src/space/index.js';
import type { Trial } from '../../src/trials/index.js';
import { MINIMIZE, makeTrial, runLoop } from './tpe-helpers.js';

function floats(d: number, min: number, max: number): SearchSpace {
  const hp = new HyperParameters();
  for (let i = 1; i <= d; i++) hp.Float(`x${i}`, { min, max });
  return hp.space;
}

const attrsOf = (t: Trial): { restart: number; generation: number; candidate: number } =>
  t.oracleAttrs.cmaes as { restart: number; generation: number; candidate: number };

/** Trials until the best value is below `target` (Infinity if never within `budget`). */
function trialsTo(
  oracle: CmaEsOracle,
  space: SearchSpace,
  f: (p: ParamValues) => number,
  target: number,
  budget: number,
): number {
  const trials: Trial[] = [];
  while (trials.length < budget) {
    const answer = oracle.ask({ space, objectives: MINIMIZE, trials });
    if (answer.kind !== 'trial') throw new Error(answer.kind);
    const value = f(answer.params);
    trials.push(makeTrial(trials.length, answer.params, value, 'COMPLETED', answer.oracleAttrs));
    if (value < target) return trials.length;
  }
  return Infinity;
}

describe('lq-CMA-ES model', () => {
  it('recovers an exact quadratic: full with cross terms, diagonal when fewer points carry only that', () => {
    const random = new Random(7);
    const d = 3;
    // f = 2 + x·b + xᵀAx with A full (cross terms), in the box's units
    const b = [0.3, -1.2, 0.7];
    const a = [
      [2.0, 0.4, -0.3],
      [0.4, 1.5, 0.6],
      [-0.3, 0.6, 3.0],
    ];
    const full = (x: Float64Array): number => {
      let s = 2;
      for (let i = 0; i < d; i++) {
        s += (b[i] as number) * (x[i] as number);
        for (let j = 0; j < d; j++)
          s += (a[i]?.[j] as number) * (x[i] as number) * (x[j] as number);
      }
      return s;
    };
    const points = (n: number, dim: number): Float64Array[] =>
      Array.from({ length: n }, () => Float64Array.from({ length: dim }, () => random.next()));
    const data = points(30, d).map((x) => ({ x, y: full(x) }));
    const model = fitLqModel(data);
    expect(model.kind).toBe('full');
    for (const x of points(20, d)) expect(model.predict(x)).toBeCloseTo(full(x), 6);

    // 15 points in 4-D: enough for the 9 coefficients of the diagonal model, not the full 15
    const separable = (x: Float64Array): number =>
      x.reduce((s, v, i) => s + (i + 1) * (v - 0.2 * i) ** 2, 1);
    expect(lqModelKind(15, 4)).toBe('diagonal');
    const diagonal = fitLqModel(points(15, 4).map((x) => ({ x, y: separable(x) })));
    expect(diagonal.kind).toBe('diagonal');
    for (const x of points(20, 4)) expect(diagonal.predict(x)).toBeCloseTo(separable(x), 6);
    // a full quadratic is not recovered by the diagonal model (the test can fail)
    const crossed = (x: Float64Array): number =>
      separable(x) + 3 * (x[0] as number) * (x[1] as number);
    const wrong = fitLqModel(points(15, 4).map((x) => ({ x, y: crossed(x) })));
    const errors = points(20, 4).map((x) => Math.abs(wrong.predict(x) - crossed(x)));
    expect(Math.max(...errors)).toBeGreaterThan(1e-3);
  });

  it('is linear with few points and fits them as well as a plane can', () => {
    const data = [
      { x: Float64Array.from([0, 0]), y: 1 },
      { x: Float64Array.from([1, 0]), y: 3 },
      { x: Float64Array.from([0, 1]), y: 0 },
    ];
    const model = fitLqModel(data);
    expect(model.kind).toBe('linear');
    for (const { x, y } of data) expect(model.predict(x)).toBeCloseTo(y, 6);
    expect(model.predict(Float64Array.from([1, 1]))).toBeCloseTo(2, 6);
  });

  it("computes Kendall's τ-b", () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 12);
    // ties: scipy.stats.kendalltau([1, 2, 2, 3], [1, 2, 3, 4]) = 0.9128709291752769
    expect(kendallTau([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9128709291752769, 12);
    expect(kendallTau([2, 2, 2], [1, 2, 3])).toBe(0);
  });

  it("evaluates in pycma's steps: 1, 2, 3, 5, 8, ... and more while the archive is small", () => {
    expect(evaluationSteps(10, 12)).toEqual([1, 2, 3, 5, 8, 10]);
    expect(evaluationSteps(10, 1)).toEqual([4, 6, 9, 10]);
    expect(evaluationSteps(6, 0)).toEqual([5, 6]);
  });

  it('tells a generation with model values once the model ranks the evaluated points right', () => {
    const random = new Random(3);
    const f = (x: Float64Array): number => x.reduce((s, v) => s + (v - 0.4) ** 2, 0);
    const draw = (): Float64Array => Float64Array.from({ length: 3 }, () => random.next());
    const archive = Array.from({ length: 20 }, () => {
      const x = draw();
      return { x, y: f(x) };
    });
    const candidates = Array.from({ length: 7 }, draw);
    const open = lqGeneration(candidates, archive, [], false);
    expect(open.closed).toBe(false);
    if (open.closed) return;
    const best = candidates
      .map((x, i) => ({ i, m: open.model?.predict(x) as number }))
      .sort((a, b) => a.m - b.m)[0]?.i as number;
    const x = candidates[best] as Float64Array;
    const told = lqGeneration(candidates, archive, [{ candidate: best, x, loss: f(x) }], false);
    expect(told.closed).toBe(true);
    if (!told.closed) return;
    // the model is exact here: the values told rank the candidates as f does, the best at f's best
    const order = (v: number[]): number[] =>
      v.map((_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number));
    expect(order(told.losses)).toEqual(order(candidates.map(f)));
    expect(Math.min(...told.losses)).toBeCloseTo(f(x), 12);
    // on values no quadratic fits (noise), τ stays low: more evaluations are asked for
    const noise = archive.map(({ x: p }) => ({ x: p, y: random.next() }));
    const doubt = lqGeneration(candidates, noise, [{ candidate: best, x, loss: 0.5 }], false);
    expect(doubt.closed).toBe(false);
  });
});

describe('CmaEsOracle with the lq surrogate', () => {
  const sphere = (p: ParamValues): number =>
    Object.values(p).reduce<number>((s, v) => s + ((v as number) - 1.234) ** 2, 0);
  const ellipsoid = (p: ParamValues): number =>
    Object.values(p).reduce<number>(
      (s, v, i, all) => s + 10 ** ((3 * i) / (all.length - 1)) * ((v as number) - 1.234) ** 2,
      0,
    );

  it('reaches 1e-6 on convex quadratics in fewer trials than plain CMA-ES', () => {
    // seed 1: plain CMA-ES takes 585 (sphere) and 608 (ellipsoid) trials, lq-CMA-ES 18 and 16,
    // its model exact once it has its 2d + 1 coefficients and its optimum injected
    for (const [name, f, d] of [
      ['sphere', sphere, 5],
      ['ellipsoid', ellipsoid, 4],
    ] as const) {
      const space = floats(d, -5, 5);
      const plain = trialsTo(new CmaEsOracle({ seed: 1 }), space, f, 1e-6, 2000);
      const lq = trialsTo(new CmaEsOracle({ seed: 1, surrogate: 'lq' }), space, f, 1e-6, 2000);
      expect(plain, name).toBeLessThan(2000);
      expect(lq, `${name}: lq ${lq} vs plain ${plain}`).toBeLessThan(plain / 4);
    }
  });

  it('proposes each candidate of a generation once, and tells a generation before all λ are evaluated', () => {
    const space = floats(4, -5, 5);
    const trials = runLoop(
      new CmaEsOracle({ seed: 2, surrogate: 'lq' }),
      space,
      sphere,
      120,
    ).trials;
    const generations = new Map<string, number[]>();
    for (const t of trials.slice(1)) {
      const { restart, generation, candidate } = attrsOf(t);
      const list = generations.get(`${restart}:${generation}`) ?? [];
      list.push(candidate);
      generations.set(`${restart}:${generation}`, list);
    }
    for (const candidates of generations.values()) {
      expect(new Set(candidates).size).toBe(candidates.length);
      for (const c of candidates) expect(c).toBeGreaterThanOrEqual(0);
    }
    const sizes = [...generations.values()].map((c) => c.length);
    expect(sizes.length).toBeGreaterThan(120 / 8); // λ = 8: plain CMA-ES would have 15 generations
    expect(Math.min(...sizes)).toBeLessThan(8);
  });

  it('is a function of the history, replayed from scratch or continued', () => {
    const space = floats(3, 0, 2);
    const oracle = new CmaEsOracle({ seed: 9, surrogate: 'lq' });
    const trials = runLoop(oracle, space, sphere, 80).trials;
    const view: StudyView = { space, objectives: MINIMIZE, trials };
    expect(new CmaEsOracle({ seed: 9, surrogate: 'lq' }).ask(view)).toEqual(oracle.ask(view));
    // a shorter history (the memo no longer holds) is replayed from the start
    const short: StudyView = { space, objectives: MINIMIZE, trials: trials.slice(0, 40) };
    expect(oracle.ask(short)).toEqual(new CmaEsOracle({ seed: 9, surrogate: 'lq' }).ask(short));
  });

  it('serves several workers: distinct candidates, then extra draws while all are out', () => {
    const space = floats(2, -5, 5);
    const oracle = new CmaEsOracle({ seed: 4, surrogate: 'lq' });
    const trials = runLoop(oracle, space, sphere, 30).trials;
    for (let i = 0; i < 8; i++) {
      const answer = oracle.ask({ space, objectives: MINIMIZE, trials });
      if (answer.kind !== 'trial') throw new Error(answer.kind);
      trials.push(
        makeTrial(trials.length, answer.params, undefined, 'RUNNING', answer.oracleAttrs),
      );
    }
    const running = trials.slice(30);
    expect(new Set(running.map((t) => configurationKey(t.params))).size).toBe(8);
    const slot = `${attrsOf(running[0] as Trial).restart}:${attrsOf(running[0] as Trial).generation}`;
    expect(running.every((t) => `${attrsOf(t).restart}:${attrsOf(t).generation}` === slot)).toBe(
      true,
    ); // the generation stays open while its trials run
    // its λ = 6 candidates (2-D) each once, counting those completed before, then extra draws
    const all = trials.filter(
      (t, i) => i > 0 && `${attrsOf(t).restart}:${attrsOf(t).generation}` === slot,
    );
    const taken = all.map((t) => attrsOf(t).candidate).filter((c) => c >= 0);
    expect([...taken].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(all.map((t) => attrsOf(t).candidate).slice(taken.length)).toEqual(
      Array.from({ length: all.length - 6 }, () => -1),
    );
  });

  it('keeps int and stepped parameters on their grids, log floats in range, and never repeats a configuration', () => {
    const hp = new HyperParameters();
    hp.Int('units', { min: 32, max: 512, step: 32 });
    hp.Int('layers', { min: 1, max: 8 });
    hp.Float('lr', { min: 1e-5, max: 1e-1, sampling: 'log' });
    hp.Choice('act', ['relu', 'tanh']);
    const f = (p: ParamValues): number =>
      (Math.log10(p.lr as number) + 3) ** 2 +
      ((p.units as number) - 256) ** 2 / 1e4 +
      ((p.layers as number) - 3) ** 2 +
      (p.act === 'relu' ? 0 : 0.5);
    const trials = runLoop(new CmaEsOracle({ seed: 4, surrogate: 'lq' }), hp.space, f, 120).trials;
    for (const t of trials) {
      expect((t.params.units as number) % 32).toBe(0);
      expect(Number.isInteger(t.params.layers)).toBe(true);
      expect(t.params.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(t.params.lr as number).toBeLessThanOrEqual(1e-1);
    }
    expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(trials.length);
    const best = trials.reduce((a, b) =>
      (a.values?.[0] as number) <= (b.values?.[0] as number) ? a : b,
    );
    expect(best.params.units).toBe(256);
    expect(best.params.layers).toBe(3);
  });

  it('refuses an unknown surrogate with a line naming the option', () => {
    expect(() => new CmaEsOracle({ surrogate: 'gp' as 'lq' })).toThrow(
      /CmaEsOracle option 'surrogate' must be 'none' or 'lq'/,
    );
  });
});
