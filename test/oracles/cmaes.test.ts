import { describe, expect, it } from 'vitest';
import { CmaEs, CmaEsOracle, defaultPopulationSize } from '../../src/oracles/index.js';
import type { AskResult, StudyView } from '../../src/oracles/index.js';
import { Random } from '../../src/math/random.js';
import type { ParamValues, SearchSpace } from '../../src/space/index.js';
import { HyperParameters, configurationKey } from '../../src/space/index.js';
import { isHypertunerError } from '../../src/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';
import { runLoop } from './tpe-helpers.js';

const MINIMIZE: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];

function spaceOf(build: (hp: HyperParameters) => void): SearchSpace {
  const hp = new HyperParameters();
  build(hp);
  return hp.space;
}

function floats(d: number, min: number, max: number): SearchSpace {
  return spaceOf((hp) => {
    for (let i = 1; i <= d; i++) hp.Float(`x${i}`, { min, max });
  });
}

function record(number: number, answer: AskResult, value: number | undefined): Trial {
  if (answer.kind !== 'trial') throw new Error(`expected a trial, got ${answer.kind}`);
  return trialRecord(number, {
    params: answer.params,
    values: value === undefined ? undefined : [value],
    status: value === undefined ? 'RUNNING' : 'COMPLETED',
    oracleAttrs: answer.oracleAttrs ?? {},
  });
}

const attrsOf = (t: Trial): { restart: number; generation: number } =>
  t.oracleAttrs.cmaes as { restart: number; generation: number };

/** Generations until the best of a generation is below 1e-6, CMA-ES unbounded from mean 0.5, σ 1/6. */
function generationsTo(f: (x: Float64Array) => number, d: number, seed: number): number {
  const cma = new CmaEs({
    mean: new Float64Array(d).fill(0.5),
    sigma: 1 / 6,
    lower: new Float64Array(d).fill(-Infinity),
    upper: new Float64Array(d).fill(Infinity),
  });
  const random = new Random(seed);
  for (let g = 1; g <= 2000; g++) {
    const xs = Array.from({ length: cma.populationSize }, () => cma.sample(random));
    const ys = xs.map(f);
    cma.tell(xs, ys);
    if (Math.min(...ys) < 1e-6) return g;
  }
  return Infinity;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

describe('CMA-ES', () => {
  it('has the default population and weights of the tutorial', () => {
    expect(defaultPopulationSize(2)).toBe(6);
    expect(defaultPopulationSize(10)).toBe(10);
    const cma = new CmaEs({ mean: new Float64Array(5).fill(0.5), sigma: 0.2 });
    expect(cma.populationSize).toBe(8);
    expect(cma.mu).toBe(4);
    const positive = [...cma.weights].filter((w) => w > 0);
    expect(positive.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(positive).toHaveLength(4);
    expect(cma.muEff).toBeCloseTo(2.6001788, 6); // (Σw')² / Σw'², w'_i = ln 4.5 − ln i, i = 1..4
  });

  it('converges on convex quadratics to 1e-6 in the generations python3-cmaes 0.9.1 takes', () => {
    // Median generations over 30 seeds, measured with python3-cmaes 0.9.1 (CMA(mean=0.5·1,
    // sigma=1/6), no bounds): sphere Σ(x−0.3)² 51 (d = 5) and 83 (d = 10); ellipsoid
    // Σ 10^(6(i−1)/(d−1))·(x_i−0.3)² 150 (d = 5), where the covariance must learn a 1000:1 scale.
    const sphere = (x: Float64Array): number => x.reduce((s, v) => s + (v - 0.3) ** 2, 0);
    const ellipsoid = (x: Float64Array): number =>
      x.reduce((s, v, i) => s + 10 ** ((6 * i) / (x.length - 1)) * (v - 0.3) ** 2, 0);
    const seeds = Array.from({ length: 30 }, (_, i) => i + 1);
    const cases: [string, (x: Float64Array) => number, number, number][] = [
      ['sphere', sphere, 5, 51],
      ['sphere', sphere, 10, 83],
      ['ellipsoid', ellipsoid, 5, 150],
    ];
    for (const [name, f, d, expected] of cases) {
      const generations = median(seeds.map((seed) => generationsTo(f, d, seed)));
      expect(generations, `${name} d=${d}`).toBeGreaterThan(expected * 0.9);
      expect(generations, `${name} d=${d}`).toBeLessThan(expected * 1.1);
    }
  });

  it('updates as python3-cmaes 0.9.1 (which Optuna 3.1 runs) on the same generations', () => {
    // CMA(mean=[0.5, 0.4, 0.6], sigma=0.2, bounds=[[0, 1]]*3) told four generations of the
    // points x_k,i = 0.5 + 0.3·sin(1.7k + 2.3i + 0.9g) with f = Σ 10^i·(x_i − 0.3)², then
    // _mean, _sigma, _C, _p_sigma, _pc printed after each tell (python3-cmaes 0.9.1)
    const expected = [
      {
        mean: [0.5530575923563785, 0.654337939004805, 0.24127907177832214],
        sigma: 0.2447686796903935,
        cov: [
          0.875453458677518, 0.10794059451697613, -0.026037253133888646, 0.10794059451697613,
          1.2901563037469996, -0.4822793638310971, -0.026037253133888646, -0.4822793638310971,
          1.5384368404009603,
        ],
        pSigma: [0.323055051829979, 1.5486031766318835, -2.184166354190411],
        pc: [0.3574897949700318, 1.7136702520765157, -2.4169787090991197],
      },
      {
        mean: [0.7142454491947524, 0.47484646162717337, 0.3192729497415603],
        sigma: 0.2425979591235167,
        cov: [
          0.9503096730646189, 0.04800285350551193, -0.04276985787868862, 0.048002853505511915,
          1.1015898665134634, -0.21621107654966, -0.04276985787868862, -0.21621107654966004,
          1.1667841406697592,
        ],
        pSigma: [1.0937833602261295, 0.09806079187891537, -1.0915425303886852],
        pc: [1.0451304755269204, -0.23210647585846655, -0.6369789469457203],
      },
      {
        mean: [0.5222814361300439, 0.660044241758168, 0.26445128261519946],
        sigma: 0.23038557922454939,
        cov: [
          0.8904395679675793, -0.07045479697528628, 0.14139313378711518, -0.07045479697528624,
          1.1496090055029893, -0.1993370614245223, 0.14139313378711518, -0.1993370614245223,
          0.930989005977832,
        ],
        pSigma: [-0.373714994789228, 0.9511051887546401, -0.8285838824469852],
        pc: [-0.605188279661022, 0.9263091411167348, -0.5855510292316933],
      },
      {
        mean: [0.6386123537806887, 0.5617050901487118, 0.27916240230531797],
        sigma: 0.19394335361276063,
        cov: [
          0.8784038136434157, -0.09781518838038142, 0.16071301746759847, -0.09781518838038145,
          1.0283025294579446, -0.05092898456198883, 0.16071301746759847, -0.050928984561988855,
          0.687834024084311,
        ],
        pSigma: [0.4207068809327208, 0.08698946838970145, -0.4999912484688789],
        pc: [0.41342567206597486, -0.1665115056335063, -0.17229717900477626],
      },
    ];
    const cma = new CmaEs({ mean: Float64Array.from([0.5, 0.4, 0.6]), sigma: 0.2 });
    expect(cma.populationSize).toBe(7);
    expected.forEach((want, g) => {
      const points = Array.from({ length: 7 }, (_, k) =>
        Float64Array.from(
          { length: 3 },
          (_, i) => 0.5 + 0.3 * Math.sin(1.7 * k + 2.3 * i + 0.9 * g),
        ),
      );
      cma.tell(
        points,
        points.map((x) => x.reduce((s, v, i) => s + 10 ** i * (v - 0.3) ** 2, 0)),
      );
      const close = (got: ArrayLike<number>, values: number[], what: string): void =>
        values.forEach((v, i) =>
          expect(
            Math.abs((got[i] as number) - v),
            `${what}[${i}] after generation ${g + 1}`,
          ).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))),
        );
      close(cma.mean, want.mean, 'mean');
      close([cma.sigma], [want.sigma], 'sigma');
      close(cma.cov, want.cov, 'C');
      close(cma.pSigma, want.pSigma, 'p_sigma');
      close(cma.pc, want.pc, 'pc');
    });
  });

  it('stays in its box, clipping after 10·d rejected draws', () => {
    const cma = new CmaEs({ mean: Float64Array.from([0.99, 0.01]), sigma: 0.5 });
    const random = new Random(3);
    for (let i = 0; i < 200; i++) {
      for (const v of cma.sample(random)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('CmaEsOracle', () => {
  const sphere = (p: ParamValues): number =>
    Object.values(p).reduce<number>((s, v) => s + ((v as number) - 1.234) ** 2, 0);

  it('converges through ask and tell on a bounded quadratic, one generation of λ trials at a time', () => {
    const trials = runLoop(new CmaEsOracle({ seed: 1 }), floats(3, -5, 5), sphere, 700).trials;
    const best = Math.min(...trials.map((t) => t.values?.[0] as number));
    expect(best).toBeLessThan(1e-6);
    // trial 0 is random (nStartupTrials 1), then generations of λ = 7 trials
    expect(trials[0]?.oracleAttrs.cmaes).toBeUndefined();
    const sizes = new Map<number, number>();
    for (const t of trials.slice(1))
      sizes.set(attrsOf(t).generation, (sizes.get(attrsOf(t).generation) ?? 0) + 1);
    expect([...sizes.values()].slice(0, -1).every((n) => n === 7)).toBe(true);
  });

  it('keeps int and stepped parameters on their grids and log floats in range, and draws the others at random', () => {
    const space = spaceOf((hp) => {
      hp.Int('units', { min: 32, max: 512, step: 32 });
      hp.Int('layers', { min: 1, max: 8 });
      hp.Float('lr', { min: 1e-5, max: 1e-1, sampling: 'log' });
      hp.Choice('act', ['relu', 'tanh']);
    });
    const f = (p: ParamValues): number =>
      (Math.log10(p.lr as number) + 3) ** 2 +
      ((p.units as number) - 256) ** 2 / 1e4 +
      ((p.layers as number) - 3) ** 2 +
      (p.act === 'relu' ? 0 : 0.5);
    const trials = runLoop(new CmaEsOracle({ seed: 4 }), space, f, 120).trials;
    for (const t of trials) {
      expect((t.params.units as number) % 32).toBe(0);
      expect(Number.isInteger(t.params.layers)).toBe(true);
      expect(t.params.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(t.params.lr as number).toBeLessThanOrEqual(1e-1);
    }
    expect(new Set(trials.map((t) => t.params.act))).toEqual(new Set(['relu', 'tanh']));
    expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(trials.length);
    const best = trials.reduce((a, b) =>
      (a.values?.[0] as number) <= (b.values?.[0] as number) ? a : b,
    );
    expect(best.params.units).toBe(256);
    expect(best.params.layers).toBe(3);
  });

  it('is a function of the history: a fresh oracle (a resumed study) answers as the long-lived one', () => {
    const space = floats(4, 0, 1);
    const oracle = new CmaEsOracle({ seed: 9, restartStrategy: 'ipop' });
    const trials = runLoop(oracle, space, sphere, 45).trials;
    const view: StudyView = { space, objectives: MINIMIZE, trials };
    expect(new CmaEsOracle({ seed: 9, restartStrategy: 'ipop' }).ask(view)).toEqual(
      oracle.ask(view),
    );
    expect(new CmaEsOracle({ seed: 10 }).ask(view)).not.toEqual(oracle.ask(view));
  });

  it('serves several workers: running trials get distinct members of the current generation', () => {
    const space = floats(2, -5, 5);
    const oracle = new CmaEsOracle({ seed: 2 });
    const trials = runLoop(oracle, space, sphere, 10).trials;
    const generation = attrsOf(trials[9] as Trial).generation;
    for (let i = 0; i < 3; i++)
      trials.push(
        record(trials.length, oracle.ask({ space, objectives: MINIMIZE, trials }), undefined),
      );
    const running = trials.slice(10);
    expect(new Set(running.map((t) => configurationKey(t.params))).size).toBe(3);
    for (const t of running) expect(attrsOf(t).generation).toBeGreaterThanOrEqual(generation);
    // a failed trial does not count towards its generation
    const failed: Trial = { ...(trials[12] as Trial), status: 'FAILED', values: undefined };
    trials[12] = failed;
    const next = oracle.ask({ space, objectives: MINIMIZE, trials });
    expect(next.kind).toBe('trial');
  });

  // On a flat function a run stops by the `tolfun` test after 10 + ⌈30·d/λ⌉ generations.
  const flat = (): number => 0;

  it('restarts with a doubled population under IPOP once a run has converged', () => {
    const trials = runLoop(
      new CmaEsOracle({ seed: 5, restartStrategy: 'ipop' }),
      floats(2, -5, 5),
      flat,
      400,
    ).trials;
    const restarts = new Map<number, Map<number, number>>();
    for (const t of trials.slice(1)) {
      const { restart, generation } = attrsOf(t);
      const generations = restarts.get(restart) ?? new Map<number, number>();
      generations.set(generation, (generations.get(generation) ?? 0) + 1);
      restarts.set(restart, generations);
    }
    expect(restarts.size).toBeGreaterThanOrEqual(2);
    expect(restarts.get(0)?.get(0)).toBe(6);
    expect(restarts.get(0)?.size).toBe(21); // 10 + ⌈60/6⌉ generations told, the 21st stops it
    expect(restarts.get(1)?.get(0)).toBe(12);
    // without a strategy the run keeps shrinking around its optimum instead
    const plain = runLoop(new CmaEsOracle({ seed: 5 }), floats(2, -5, 5), flat, 400).trials;
    expect(plain.every((t) => t.oracleAttrs.cmaes === undefined || attrsOf(t).restart === 0)).toBe(
      true,
    );
  });

  it('alternates large and small populations under BIPOP', () => {
    const trials = runLoop(
      new CmaEsOracle({ seed: 6, restartStrategy: 'bipop' }),
      floats(2, -5, 5),
      flat,
      1000,
    ).trials;
    const firstGeneration = new Map<number, number>();
    for (const t of trials.slice(1)) {
      const { restart, generation } = attrsOf(t);
      if (generation === 0) firstGeneration.set(restart, (firstGeneration.get(restart) ?? 0) + 1);
    }
    const sizes = [...firstGeneration.values()];
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes[0]).toBe(6);
    expect(sizes[1]).toBe(12); // the first restart is a large one
    expect(sizes.slice(2).some((n) => n < 12)).toBe(true); // then a small one, at most as large
  });

  it('warm-starts from the best trials of another study', () => {
    const space = floats(3, 0, 1);
    const shifted = (p: ParamValues): number =>
      Object.values(p).reduce<number>((s, v) => s + ((v as number) - 0.8) ** 2, 0);
    const source = runLoop(
      new CmaEsOracle({ seed: 1, nStartupTrials: 100 }),
      space,
      shifted,
      100,
    ).trials;
    const oracle = new CmaEsOracle({ seed: 3, sourceTrials: source, nStartupTrials: 0 });
    const first = runLoop(oracle, space, shifted, 7).trials;
    const cold = runLoop(new CmaEsOracle({ seed: 3, nStartupTrials: 0 }), space, shifted, 7).trials;
    const mean = (ts: Trial[]): number => median(ts.map((t) => t.values?.[0] as number));
    expect(mean(first)).toBeLessThan(mean(cold) / 3);
    expect(() =>
      new CmaEsOracle({ sourceTrials: source.slice(0, 5), nStartupTrials: 0 }).ask({
        space,
        objectives: MINIMIZE,
        trials: [],
      }),
    ).toThrow(/at least 10 completed trials/);
  });

  it('refuses several objectives and bad options with a code naming the field', () => {
    const twoObjectives: Objective[] = [...MINIMIZE, { name: 'b', direction: 'minimize' }];
    try {
      new CmaEsOracle().ask({ space: floats(2, 0, 1), objectives: twoObjectives, trials: [] });
      expect.unreachable();
    } catch (e) {
      expect(isHypertunerError(e, 'CMAES_MULTI_OBJECTIVE')).toBe(true);
    }
    for (const bad of [
      { sigma0: 0 },
      { populationSize: 1 },
      { restartStrategy: 'sometimes' as 'ipop' },
      { incPopulation: 1 },
      { nStartupTrials: -1 },
      { x0: { x1: 0.5 }, sourceTrials: [] },
    ]) {
      expect(() => new CmaEsOracle(bad)).toThrow(/CmaEsOracle option '\w+' must be/);
    }
  });
});
