import { describe, expect, it } from 'vitest';
import { hypervolume } from '../../src/math/hypervolume.js';
import { deriveSeed } from '../../src/math/random.js';
import { NsgaIIOracle, RandomSearchOracle } from '../../src/oracles/index.js';
import { crowdingDistances, selectElite } from '../../src/oracles/nsga-ii/index.js';
import type { Oracle } from '../../src/oracles/index.js';
import type { ParamValues } from '../../src/space/index.js';
import { HyperParameters, HypertunerError } from '../../src/space/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';
import { describeOracleContract, expectValid } from './oracle-contract.js';

const TWO: readonly Objective[] = [
  { name: 'f1', direction: 'minimize' },
  { name: 'f2', direction: 'minimize' },
];

function zdt1Space() {
  const hp = new HyperParameters();
  for (let i = 1; i <= 6; i++) hp.Float(`x${i}`, { min: 0, max: 1 });
  return hp.space;
}

function zdt1(p: ParamValues): number[] {
  const x = [1, 2, 3, 4, 5, 6].map((i) => p[`x${i}`] as number);
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / 5;
  return [x[0] as number, g * (1 - Math.sqrt((x[0] as number) / g))];
}

function run(oracle: Oracle, count: number, constraints?: (p: ParamValues) => number[]): Trial[] {
  const space = zdt1Space();
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) {
    const answer = oracle.ask({ space, objectives: TWO, trials });
    if (answer.kind !== 'trial') throw new Error(answer.kind);
    trials.push(
      trialRecord(i, {
        params: answer.params,
        values: zdt1(answer.params),
        userAttrs: constraints === undefined ? {} : { constraints: constraints(answer.params) },
      }),
    );
  }
  return trials;
}

const individual = (number: number, losses: number[], violation = 0) => ({
  trial: trialRecord(number),
  losses,
  violation,
});

describe('NsgaIIOracle', () => {
  it('computes crowding distances as worked out by hand', () => {
    // objective 1 (range 3): B gets (4 − 1)/3; objective 2 (range 4): B gets (5 − 1)/4; the ends are infinite
    expect([
      ...crowdingDistances([
        [1, 5],
        [2, 3],
        [4, 1],
      ]),
    ]).toEqual([Infinity, 2, Infinity]);
    // (0,5) (1,2) (3,1) (5,0), ranges 5: P1 = 3/5 + 4/5, P2 = 4/5 + 2/5
    const d = crowdingDistances([
      [0, 5],
      [1, 2],
      [3, 1],
      [5, 0],
    ]);
    expect(d[0]).toBe(Infinity);
    expect(d[1]).toBeCloseTo(1.4, 12);
    expect(d[2]).toBeCloseTo(1.2, 12);
    expect(d[3]).toBe(Infinity);
    // an objective where all are equal adds nothing
    expect([
      ...crowdingDistances([
        [1, 7],
        [2, 7],
        [3, 7],
      ]),
    ]).toEqual([Infinity, 1, Infinity]);
  });

  it('selects whole fronts, then the most crowding-distant of the front that overflows', () => {
    const pool = [
      individual(0, [0, 5]),
      individual(1, [1, 2]),
      individual(2, [3, 1]),
      individual(3, [5, 0]),
      individual(4, [6, 6]), // dominated
      individual(5, [0, 0], 0.5), // best losses, infeasible
    ];
    // front 0 holds 0..3; with room for 3, the ends (infinite) and (1,2) (1.4 > 1.2) stay
    expect(selectElite(pool, 3).map((p) => p.trial.number)).toEqual([0, 3, 1]);
    // the feasible dominated trial comes before the infeasible one
    expect(
      selectElite(pool, 5)
        .map((p) => p.trial.number)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(selectElite(pool, 6)).toHaveLength(6);
  });

  it('draws the first population at random, then children of the elite that beat random search', () => {
    const ours = run(new NsgaIIOracle({ seed: 1 }), 200);
    const random = run(new RandomSearchOracle({ seed: 1 }), 200);
    // the first 50 are a random search (of a seed derived from the oracle's), the rest are not
    const startup = run(new RandomSearchOracle({ seed: deriveSeed(1, 0x45a3) }), 51);
    expect(ours.slice(0, 50).map((t) => t.params)).toEqual(
      startup.slice(0, 50).map((t) => t.params),
    );
    expect(ours[50]?.params).not.toEqual(startup[50]?.params);
    const hv = (trials: Trial[]) =>
      hypervolume(
        trials.map((t) => t.values as number[]),
        [11, 11],
      );
    expect(hv(ours)).toBeGreaterThan(hv(random) + 2);
    // children stay in the box
    const space = zdt1Space();
    for (const t of ours) expectValid(space, t.params);
  });

  it('with constraints, moves the population into the feasible region and keeps its best there', () => {
    // feasible only where x1 >= 0.5: most of the random start is infeasible
    const constraint = (p: ParamValues) => [0.5 - (p.x1 as number)];
    const trials = run(new NsgaIIOracle({ seed: 2 }), 150, constraint);
    const late = trials.slice(100);
    const feasibleShare = late.filter((t) => (t.userAttrs.constraints as number[])[0]! <= 0).length;
    expect(feasibleShare / late.length).toBeGreaterThan(0.8);
  });

  it('crosses numeric parameters by SBX when asked, and handles conditional ones', () => {
    const hp = new HyperParameters();
    hp.Choice('kind', ['a', 'b']);
    hp.Float('x', { min: -1, max: 1 });
    hp.Int('k', { min: 1, max: 9, parentName: 'kind', parentValues: ['b'] });
    const space = hp.space;
    for (const crossover of ['uniform', 'sbx'] as const) {
      const oracle = new NsgaIIOracle({ seed: 3, populationSize: 8, crossover });
      const trials: Trial[] = [];
      for (let i = 0; i < 40; i++) {
        const answer = oracle.ask({ space, objectives: TWO, trials });
        if (answer.kind !== 'trial') throw new Error(answer.kind);
        expectValid(space, answer.params);
        const x = answer.params.x as number;
        const k = (answer.params.k as number | undefined) ?? 5;
        trials.push(
          trialRecord(i, { params: answer.params, values: [x * x + k, (x - 1) ** 2 - k] }),
        );
      }
    }
  });

  it('rejects invalid options with ORACLE_INVALID_OPTION naming the option', () => {
    const bad = [
      [{ populationSize: 1 }, 'populationSize'],
      [{ mutationProb: 1.5 }, 'mutationProb'],
      [{ crossoverProb: -0.1 }, 'crossoverProb'],
      [{ swappingProb: Number.NaN }, 'swappingProb'],
      [{ crossover: 'blx' }, 'crossover'],
      [{ sbxEta: 0 }, 'sbxEta'],
      [{ seed: Infinity }, 'seed'],
    ] as const;
    for (const [options, field] of bad) {
      let error: unknown;
      try {
        new NsgaIIOracle(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(HypertunerError);
      expect((error as HypertunerError).code).toBe('ORACLE_INVALID_OPTION');
      expect((error as HypertunerError).field).toBe(field);
      expect((error as HypertunerError).message).toContain(field);
    }
  });
});

describeOracleContract(
  'NsgaIIOracle (population 10)',
  (seed) => new NsgaIIOracle({ seed, populationSize: 10 }),
  {
    objectives: TWO,
    warmup: 20,
  },
);
describeOracleContract(
  'NsgaIIOracle with constraints',
  (seed) => new NsgaIIOracle({ seed, populationSize: 10 }),
  {
    objectives: TWO,
    warmup: 20,
    constraints: (p) => [0.1 - ((p.units as number | undefined) ?? 0) / 256],
  },
);
