import { describe, expect, it } from 'vitest';
import { BayesianOptimizationOracle } from '../../src/oracles/bayesian/index.js';
import { FeasibilityFitter, withFeasibility } from '../../src/oracles/bayesian/feasibility.js';
import { SpaceEncoding } from '../../src/oracles/bayesian/space-encoding.js';
import { Random } from '../../src/math/random.js';
import type { ParamValues } from '../../src/space/index.js';
import { HyperParameters } from '../../src/space/index.js';
import type { Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';
import { MINIMIZE, surrogateSettings } from './bayesian-fixtures.js';
import { describeOracleContract } from './oracle-contract.js';

function square() {
  const hp = new HyperParameters();
  hp.Float('x', { min: -1.25, max: 1.25 });
  hp.Float('y', { min: -1.25, max: 1.25 });
  return hp.space;
}

/** Simionescu: minimise 0.1·x·y inside a star, x² + y² ≤ (1 + 0.2·cos(8·atan(x/y)))²; minimum −0.072. */
const simionescu = (p: ParamValues): number => 0.1 * (p.x as number) * (p.y as number);
const star = (p: ParamValues): number[] => {
  const x = p.x as number;
  const y = p.y as number;
  const r = 1 + 0.2 * Math.cos(8 * Math.atan(x / y));
  return [x * x + y * y - r * r];
};

function runConstrained(
  oracle: BayesianOptimizationOracle,
  count: number,
  f: (p: ParamValues) => number,
  constraints: (p: ParamValues) => number[],
): Trial[] {
  const space = square();
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) {
    const answer = oracle.ask({ space, objectives: MINIMIZE, trials });
    if (answer.kind !== 'trial') throw new Error(answer.kind);
    trials.push(
      trialRecord(i, {
        params: answer.params,
        values: [f(answer.params)],
        userAttrs: { constraints: constraints(answer.params) },
      }),
    );
  }
  return trials;
}

const bestFeasible = (trials: readonly Trial[]): number =>
  Math.min(
    ...trials
      .filter((t) => (t.userAttrs.constraints as number[]).every((c) => c <= 0))
      .map((t) => t.values![0]!),
  );

describe('BayesianOptimizationOracle with constraints', () => {
  it('log P(feasible) has the gradient finite differences give', () => {
    const space = square();
    const encoding = new SpaceEncoding(space);
    const random = new Random(5);
    const trials = Array.from({ length: 15 }, (_, i) => {
      const params = { x: random.next() * 2.5 - 1.25, y: random.next() * 2.5 - 1.25 };
      return trialRecord(i, {
        params,
        values: [simionescu(params)],
        userAttrs: { constraints: [...star(params), (params.x as number) - 0.5] },
      });
    });
    const observations = trials.map((t) => ({
      number: t.number,
      params: t.params,
      loss: t.values![0]!,
      losses: t.values!,
    }));
    const feasibility = new FeasibilityFitter(surrogateSettings(1, 1e-4)).fit(
      trials,
      observations,
      encoding,
    )!;
    expect(feasibility.models).toHaveLength(2);
    // the objective's part is checked elsewhere: a zero acquisition isolates the probability
    const zero = {
      score: (_f: Float64Array, m: number, out: Float64Array) => out.fill(0, 0, m),
      scoreWithGradient: (_f: Float64Array, g: Float64Array) => (g.fill(0), 0),
    };
    const { score, scoreWithGradient } = withFeasibility(zero, { ...feasibility, incumbent: 0 }, 2);
    const one = (p: Float64Array): number => {
      const out = new Float64Array(1);
      score(p, 1, out);
      return out[0]!;
    };
    for (const point of [
      [0.1, 0.2],
      [0.7, -0.8],
      [-0.95, 0.3],
    ]) {
      const p = Float64Array.from(point.map((v) => (v + 1.25) / 2.5));
      const gradient = new Float64Array(2);
      const value = scoreWithGradient(p, gradient);
      expect(value).toBeCloseTo(one(p), 10);
      for (let k = 0; k < 2; k++) {
        const h = 1e-6;
        const up = Float64Array.from(p);
        const down = Float64Array.from(p);
        up[k]! += h;
        down[k]! -= h;
        expect(gradient[k]).toBeCloseTo((one(up) - one(down)) / (2 * h), 4);
      }
    }
  });

  it('finds the feasible region first, then the best feasible point (Simionescu)', () => {
    const trials = runConstrained(
      new BayesianOptimizationOracle({ seed: 3 }),
      40,
      simionescu,
      star,
    );
    expect(bestFeasible(trials)).toBeLessThan(-0.07);
    // trials 20-39 within 0.05 of the feasible star: 10 to 15 of 20 (seeds 0-7); without the
    // constraint model 2 to 4, the others in the infeasible corners (0.1·1.25·−1.25 = −0.156)
    const late = trials.slice(20);
    expect(late.filter((t) => star(t.params)[0]! <= 0.05).length).toBeGreaterThanOrEqual(8);
  });

  it('while no trial is feasible, heads for where feasibility is likely', () => {
    // feasible only in the corner x, y > 0.9; the objective pulls the other way
    const corner = (p: ParamValues) => [0.9 - (p.x as number), 0.9 - (p.y as number)];
    const trials = runConstrained(
      new BayesianOptimizationOracle({ seed: 4, numInitialPoints: 5 }),
      25,
      (p) => (p.x as number) + (p.y as number),
      corner,
    );
    const feasible = trials.filter((t) => corner(t.params).every((c) => c <= 0));
    // right after the 5 initial points, and again and again (unconstrained it would go to (−1.25, −1.25))
    expect(feasible[0]?.number).toBeLessThan(10);
    expect(feasible.length).toBeGreaterThanOrEqual(5);
  });
});

describeOracleContract(
  'BayesianOptimizationOracle with constraints',
  (seed) => new BayesianOptimizationOracle({ seed }),
  { constraints: (p) => [0.3 - ((p.units as number | undefined) ?? 0) / 256] },
);
