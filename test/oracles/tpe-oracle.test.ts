import { describe, expect, it } from 'vitest';
import { RandomSearchOracle, TpeOracle } from '../../src/oracles/index.js';
import type { ParamValues, SearchSpace } from '../../src/space/index.js';
import { HyperParameters, configurationKey, isValidValue } from '../../src/space/index.js';
import { braninFunction } from '../../bench/problems/index.js';
import { splitTrials } from '../../src/oracles/tpe/split.js';
import type { Trial } from '../../src/trials/index.js';
import { MINIMIZE, makeTrial, runLoop } from './tpe-helpers.js';

function spaceOf(build: (hp: HyperParameters) => void): SearchSpace {
  const hp = new HyperParameters();
  build(hp);
  return hp.space;
}

const braninSpace = spaceOf((hp) => {
  hp.Float('x1', { min: -5, max: 10 });
  hp.Float('x2', { min: 0, max: 15 });
});
const branin = (p: ParamValues): number => braninFunction(p.x1 as number, p.x2 as number);

describe('TpeOracle', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = runLoop(new TpeOracle({ seed: 7 }), braninSpace, branin, 25).trials.map(
      (t) => t.params,
    );
    const b = runLoop(new TpeOracle({ seed: 7 }), braninSpace, branin, 25).trials.map(
      (t) => t.params,
    );
    const c = runLoop(new TpeOracle({ seed: 8 }), braninSpace, branin, 25).trials.map(
      (t) => t.params,
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('gives the same answer for the same history (pure ask)', () => {
    const oracle = new TpeOracle({ seed: 3 });
    const { trials } = runLoop(oracle, braninSpace, branin, 15);
    const view = { space: braninSpace, objectives: MINIMIZE, trials };
    expect(oracle.ask(view)).toEqual(oracle.ask(view));
    expect(new TpeOracle({ seed: 3 }).ask(view)).toEqual(oracle.ask(view));
  });

  it('stays on grids, in ranges and on choices (univariate and multivariate)', () => {
    const space = spaceOf((hp) => {
      hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
      hp.Float('dropout', { min: 0, max: 0.5, step: 0.05 });
      hp.Int('units', { min: 32, max: 512, step: 32 });
      hp.Int('filters', { min: 4, max: 256, step: 2, sampling: 'log' });
      hp.Int('depth', { min: 1, max: 8 });
      hp.Int('batch', { min: 8, max: 1024, sampling: 'log' });
      hp.Choice('act', ['relu', 'tanh', 'gelu']);
      hp.Choice('kernel', [1, 3, 5, 7]);
      hp.Boolean('bn');
      hp.Fixed('version', 'v1');
    });
    const f = (p: ParamValues): number =>
      Math.abs(Math.log10(p.lr as number) + 2) +
      (p.dropout as number) +
      (p.units as number) / 512 +
      (p.act === 'gelu' ? 0 : 1);
    for (const multivariate of [false, true]) {
      const { trials } = runLoop(new TpeOracle({ seed: 1, multivariate }), space, f, 40);
      for (const trial of trials) {
        for (const parameter of space.parameters) {
          const value = trial.params[parameter.name];
          expect(value, parameter.name).toBeDefined();
          expect(
            isValidValue(parameter, value as never),
            `${parameter.name}=${String(value)}`,
          ).toBe(true);
        }
      }
    }
  });

  it('respects conditions: conditional parameters only when active, modelled from active trials', () => {
    const full = spaceOf((hp) => {
      hp.Choice('model', ['linear', 'mlp']);
      hp.Float('l2', { min: 1e-6, max: 1e-1, sampling: 'log' });
      hp.Int('units', { min: 8, max: 128, step: 8, parentName: 'model', parentValues: ['mlp'] });
      hp.Float('dropout', { min: 0, max: 0.5, parentName: 'model', parentValues: ['mlp'] });
    });
    expect(full.size).toBe(4);
    const f = (p: ParamValues): number =>
      (p.model === 'mlp' ? Math.abs((p.units as number) - 64) / 64 + (p.dropout as number) : 1.5) +
      Math.abs(Math.log10(p.l2 as number) + 4) / 5;
    const { trials } = runLoop(new TpeOracle({ seed: 5 }), full, f, 50);
    for (const trial of trials) {
      const mlp = trial.params.model === 'mlp';
      expect('units' in trial.params).toBe(mlp);
      expect('dropout' in trial.params).toBe(mlp);
    }
    // the model prefers mlp once it knows
    const late = trials.slice(30);
    expect(late.filter((t) => t.params.model === 'mlp').length).toBeGreaterThan(late.length / 2);
  });

  it('finds Branin’s region better than random search in 60 trials', () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const best = (trials: { values: readonly number[] | undefined }[]): number =>
      Math.min(...trials.map((t) => t.values?.[0] ?? Infinity));
    const tpe = seeds.map((seed) =>
      best(runLoop(new TpeOracle({ seed }), braninSpace, branin, 60).trials),
    );
    const random = seeds.map((seed) =>
      best(runLoop(new RandomSearchOracle({ seed }), braninSpace, branin, 60).trials),
    );
    const median = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      return ((s[3] as number) + (s[4] as number)) / 2;
    };
    expect(median(tpe)).toBeLessThan(median(random));
    expect(median(tpe)).toBeLessThan(0.397887 + 0.7);
    expect(tpe.filter((v, i) => v <= (random[i] as number)).length).toBeGreaterThanOrEqual(5);
  });

  it('never repeats a configuration on a 15-configuration space, then answers exhausted', () => {
    const space = spaceOf((hp) => {
      hp.Int('a', { min: 0, max: 4 });
      hp.Choice('b', ['x', 'y', 'z']);
    });
    for (const seed of [0, 1, 2]) {
      for (const multivariate of [false, true]) {
        const oracle = new TpeOracle({ seed, multivariate, nStartupTrials: 3 });
        const { trials, exhausted } = runLoop(
          oracle,
          space,
          (p) => (p.a as number) + (p.b === 'x' ? 0 : 1),
          20,
        );
        expect(exhausted).toBe(true);
        expect(trials).toHaveLength(15);
        expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(15);
      }
    }
  });

  it('ignores FAILED trials', () => {
    const space = spaceOf((hp) => hp.Float('x', { min: 0, max: 1 }));
    const trials = Array.from({ length: 20 }, (_, i) =>
      makeTrial(i, { x: (i + 0.5) / 20 }, Math.abs((i + 0.5) / 20 - 0.3)),
    );
    const oracle = new TpeOracle({ seed: 2 });
    const plain = oracle.ask({ space, objectives: MINIMIZE, trials });
    // a failed trial changes only the seed's trial count, not the model: compare with a padding trial that is RUNNING far away and no liar
    const withFailed = new TpeOracle({ seed: 2, constantLiar: false }).ask({
      space,
      objectives: MINIMIZE,
      trials: [...trials, makeTrial(20, { x: 0.95 }, undefined, 'FAILED')],
    });
    const withRunning = new TpeOracle({ seed: 2, constantLiar: false }).ask({
      space,
      objectives: MINIMIZE,
      trials: [...trials, makeTrial(20, { x: 0.95 }, undefined, 'RUNNING')],
    });
    expect(plain.kind).toBe('trial');
    expect(withFailed).toEqual(withRunning);
    expect(Math.abs(((plain as { params: ParamValues }).params.x as number) - 0.3)).toBeLessThan(
      0.15,
    );
  });

  it('spreads parallel suggestions away from RUNNING trials (constant liar)', () => {
    const space = spaceOf((hp) => hp.Float('x', { min: 0, max: 1 }));
    const done = Array.from({ length: 30 }, (_, i) =>
      makeTrial(i, { x: (i + 0.5) / 30 }, Math.abs((i + 0.5) / 30 - 0.3)),
    );
    const running = Array.from({ length: 6 }, (_, i) =>
      makeTrial(30 + i, { x: 0.27 + 0.012 * i }, undefined, 'RUNNING'),
    );
    const distance = (constantLiar: boolean): number => {
      let total = 0;
      for (let seed = 0; seed < 20; seed++) {
        const answer = new TpeOracle({ seed, constantLiar }).ask({
          space,
          objectives: MINIMIZE,
          trials: [...done, ...running],
        });
        total += Math.abs(((answer as { params: ParamValues }).params.x as number) - 0.3);
      }
      return total / 20;
    };
    expect(distance(true)).toBeGreaterThan(distance(false));
  });

  it('maximises when the objective says so', () => {
    const space = spaceOf((hp) => hp.Float('x', { min: 0, max: 1 }));
    const maximize = [{ name: 'acc', direction: 'maximize' as const }];
    const { trials } = runLoop(
      new TpeOracle({ seed: 4 }),
      space,
      (p) => -Math.abs((p.x as number) - 0.8),
      40,
      maximize,
    );
    const late = trials.slice(20).map((t) => t.params.x as number);
    const near = late.filter((x) => Math.abs(x - 0.8) < 0.15).length;
    expect(near).toBeGreaterThan(late.length / 2);
  });

  it('ranks a pruned trial whose last value is NaN last, also when maximising', () => {
    const pruned = (number: number, value: number): Trial => ({
      ...makeTrial(number, { x: number / 10 }, undefined, 'PRUNED'),
      intermediate: [{ step: 1, value, metrics: { acc: value } }],
    });
    const trials = [pruned(0, NaN), pruned(1, 0.2), pruned(2, 0.9)];
    for (const direction of ['maximize', 'minimize'] as const) {
      const split = splitTrials(trials, [{ name: 'acc', direction }], {
        gamma: () => 2,
        constantLiar: false,
      });
      // the two real values are the good ones, the diverged trial is not
      expect(split.below.map((t) => t.number)).toEqual([1, 2]);
      expect(split.above.map((t) => t.number)).toEqual([0]);
    }
  });

  it('supports several objectives (nondomination split)', () => {
    const space = spaceOf((hp) => {
      hp.Float('x', { min: 0, max: 1 });
      hp.Float('y', { min: 0, max: 1 });
    });
    const objectives = [
      { name: 'a', direction: 'minimize' as const },
      { name: 'b', direction: 'minimize' as const },
    ];
    const oracle = new TpeOracle({ seed: 1 });
    const trials = Array.from({ length: 30 }, (_, i) => {
      const x = ((i * 7) % 30) / 30;
      const y = ((i * 11) % 30) / 30;
      return { ...makeTrial(i, { x, y }, undefined), values: [x + y, 1 - x + y] };
    });
    const answer = oracle.ask({ space, objectives, trials });
    expect(answer.kind).toBe('trial');
  });

  it('rejects invalid options with a HypertunerError naming the option', () => {
    expect(() => new TpeOracle({ nEiCandidates: 0 })).toThrow(/nEiCandidates/);
    expect(() => new TpeOracle({ priorWeight: -1 })).toThrow(/priorWeight/);
    expect(() => new TpeOracle({ nStartupTrials: 1.5 })).toThrow(/nStartupTrials/);
  });

  it('suggests in well under 5 ms at 100 finished trials', () => {
    const hp = new HyperParameters();
    for (let i = 1; i <= 6; i++) hp.Float(`x${i}`, { min: 0, max: 1 });
    const space = hp.space;
    const f = (p: ParamValues): number =>
      Object.values(p).reduce<number>((s, v) => s + ((v as number) - 0.3) ** 2, 0);
    const oracle = new TpeOracle({ seed: 0 });
    const { trials } = runLoop(oracle, space, f, 100);
    const view = { space, objectives: MINIMIZE, trials };
    for (let i = 0; i < 5; i++) oracle.ask(view); // warm up
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      oracle.ask(view);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // generous bound for loaded CI machines; the bench reports the real figure
    expect(times[7]).toBeLessThan(15);
  });
});
