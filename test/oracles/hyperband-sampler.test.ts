import { describe, expect, it } from 'vitest';
import {
  HyperbandOracle,
  MemoryStorage,
  Study,
  TpeOracle,
  hyperbandPlan,
} from '../../src/index.js';
import { readHyperbandAttrs, samplerHistory } from '../../src/oracles/index.js';
import type { Oracle, Trial, TrialContext } from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';

const OPTIMUM = { x: 0.8, y: 0.3 } as const;

/** Squared distance of a configuration to the optimum: what training cannot remove. */
const gap = (params: Trial['params']): number =>
  ((params['x'] as number) - OPTIMUM.x) ** 2 + ((params['y'] as number) - OPTIMUM.y) ** 2;

/** A fake training: the loss after `epoch + 1` epochs is the configuration's gap + 1 / (epoch + 1). */
async function train(trial: TrialContext): Promise<number> {
  const x = trial.hp.Float('x', { min: 0, max: 1 });
  const y = trial.hp.Float('y', { min: 0, max: 1 });
  const attrs = readHyperbandAttrs(trial.oracleAttrs);
  if (attrs === undefined) throw new Error('not a Hyperband trial');
  let loss = NaN;
  for (let epoch = attrs.initialEpoch; epoch < attrs.epochs; epoch++) {
    loss = gap({ x, y }) + 1 / (epoch + 1);
    await trial.report(epoch, { loss });
  }
  return loss;
}

async function search(oracle: Oracle): Promise<Study> {
  const study = await Study.open({
    storage: new MemoryStorage(),
    name: 'hb',
    objective: 'loss',
    oracle,
  });
  await study.optimize(train);
  return study;
}

const hb = (attrs: Record<string, number | null>): Trial['oracleAttrs'] => ({
  iteration: 0,
  bracket: 1,
  round: 0,
  epochs: 3,
  initialEpoch: 0,
  parentTrial: null,
  ...attrs,
});

describe("Hyperband's sampler history", () => {
  it('shows one trial per configuration: its whole curve, COMPLETED only when fully trained', async () => {
    const plan = hyperbandPlan({ maxEpochs: 9, factor: 3 });
    const study = await search(new HyperbandOracle({ maxEpochs: 9, factor: 3, seed: 4 }));
    const trials = await study.trials();
    const history = samplerHistory(
      { space: study.space, objectives: study.objectives, trials },
      plan,
    );
    const roundZero = trials.filter((t) => readHyperbandAttrs(t.oracleAttrs)?.round === 0);
    expect(trials.length).toBeGreaterThan(roundZero.length);
    expect(history.trials.map((t) => t.number)).toEqual(roundZero.map((t) => t.number));
    for (const merged of history.trials) {
      const chain = trials.filter((t) => t.params['x'] === merged.params['x']);
      const furthest = Math.max(
        ...chain.map((t) => readHyperbandAttrs(t.oracleAttrs)?.epochs ?? 0),
      );
      expect(merged.intermediate.map((p) => p.step)).toEqual([...Array(furthest).keys()]);
      expect(merged.status).toBe(furthest === 9 ? 'COMPLETED' : 'PRUNED');
      expect(merged.values).toEqual([gap(merged.params) + 1 / furthest]);
    }
    const fullyTrained = trials.filter((t) => readHyperbandAttrs(t.oracleAttrs)?.epochs === 9);
    expect(history.trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(
      fullyTrained.length,
    );
  });

  it('keeps a configuration finished while its promotion runs, and running while its retry runs', () => {
    const plan = hyperbandPlan({ maxEpochs: 9, factor: 3 });
    const point = (step: number, value: number) => ({ step, value, at: 0, metrics: {} });
    const trials = [
      trialRecord(0, {
        params: { x: 0.1 },
        values: [0.7],
        intermediate: [point(0, 0.9), point(1, 0.8), point(2, 0.7)],
        oracleAttrs: hb({}),
      }),
      trialRecord(1, { params: { x: 0.2 }, status: 'FAILED', oracleAttrs: hb({}) }),
      trialRecord(2, { params: { x: 0.2 }, status: 'RUNNING', retryOf: 1, oracleAttrs: hb({}) }),
      trialRecord(3, {
        params: { x: 0.1 },
        status: 'RUNNING',
        intermediate: [point(3, 0.6)],
        oracleAttrs: hb({ round: 1, epochs: 9, initialEpoch: 3, parentTrial: 0 }),
      }),
      trialRecord(4, { params: { x: 0.3 }, values: [0.5] }),
    ];
    const history = samplerHistory({ space: undefined as never, objectives: [], trials }, plan);
    expect(history.trials.map((t) => [t.number, t.status, t.values])).toEqual([
      [0, 'PRUNED', [0.7]],
      [1, 'RUNNING', undefined],
      [4, 'COMPLETED', [0.5]],
    ]);
    expect(history.trials[0]?.intermediate.map((p) => p.step)).toEqual([0, 1, 2, 3]);
  });

  it('with a TPE sampler, draws later configurations near the best ones (model-based Hyperband)', async () => {
    const gaps = { random: [] as number[], tpe: [] as number[] };
    const bests = { random: [] as number[], tpe: [] as number[] };
    for (let seed = 0; seed < 10; seed++) {
      const options = { maxEpochs: 9, factor: 3, hyperbandIterations: 2, seed } as const;
      for (const kind of ['random', 'tpe'] as const) {
        const sampler =
          kind === 'tpe' ? { sampler: new TpeOracle({ seed, nStartupTrials: 5 }) } : {};
        const study = await search(new HyperbandOracle({ ...options, ...sampler }));
        const trials = await study.trials();
        const fresh = trials.filter((t) => readHyperbandAttrs(t.oracleAttrs)?.round === 0);
        const later = fresh.slice(9).map((t) => gap(t.params));
        gaps[kind].push(later.reduce((a, b) => a + b, 0) / later.length);
        bests[kind].push(Math.min(...fresh.map((t) => gap(t.params))));
      }
    }
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1] as number;
    // on every seed, the configurations drawn after the first bracket are closer to the optimum
    expect(Math.max(...gaps.tpe)).toBeLessThan(Math.min(...gaps.random));
    expect(median(gaps.tpe)).toBeLessThan(median(gaps.random) / 2);
    expect(
      bests.tpe.filter((g, i) => g <= (bests.random[i] as number)).length,
    ).toBeGreaterThanOrEqual(8);
  });
});
