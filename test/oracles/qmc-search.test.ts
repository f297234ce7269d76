import { describe, expect, it } from 'vitest';
import { QmcSearchOracle, createOracle } from '../../src/oracles/index.js';
import type { AskResult, StudyView } from '../../src/oracles/index.js';
import type { ParamValues, SearchSpace } from '../../src/space/index.js';
import { HyperParameters, configurationKey } from '../../src/space/index.js';
import type { Trial } from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';
import { MINIMIZE, runLoop } from './tpe-helpers.js';

function spaceOf(build: (hp: HyperParameters) => void): SearchSpace {
  const hp = new HyperParameters();
  build(hp);
  return hp.space;
}

const unitSquare = spaceOf((hp) => {
  hp.Float('x', { min: 0, max: 1 });
  hp.Float('y', { min: 0, max: 1 });
});

function record(
  number: number,
  answer: AskResult,
  status: 'COMPLETED' | 'RUNNING' = 'COMPLETED',
): Trial {
  if (answer.kind !== 'trial') throw new Error(`expected a trial, got ${answer.kind}`);
  return trialRecord(number, {
    status,
    params: answer.params,
    values: status === 'COMPLETED' ? [0] : undefined,
    oracleAttrs: answer.oracleAttrs ?? {},
  });
}

const zero = (): number => 0;
const xy = (t: Trial): [number, number] => [t.params.x as number, t.params.y as number];

describe('QmcSearchOracle', () => {
  it('proposes the Sobol points in order, unscrambled as Optuna QMCSampler(scramble=False)', () => {
    const trials = runLoop(new QmcSearchOracle({ scramble: false }), unitSquare, zero, 4).trials;
    expect(trials.map(xy)).toEqual([
      [0, 0],
      [0.5, 0.5],
      [0.75, 0.25],
      [0.25, 0.75],
    ]);
    expect(trials.map((t) => t.oracleAttrs.qmc)).toEqual([0, 1, 2, 3]);
    const halton = runLoop(
      new QmcSearchOracle({ qmcType: 'halton', scramble: false }),
      unitSquare,
      zero,
      4,
    ).trials;
    expect(halton.slice(1).map(xy)).toEqual([
      [0.5, 1 / 3],
      [0.25, 2 / 3],
      [0.75, 1 / 9],
    ]);
  });

  it('covers the square evenly: 64 scrambled Sobol points put one in each 8x8 cell; Halton and random fill fewer', () => {
    const cells = (trials: Trial[]): number =>
      new Set(
        trials.map((t) =>
          xy(t)
            .map((v) => Math.floor(v * 8))
            .join(','),
        ),
      ).size;
    for (const seed of [1, 2, 3]) {
      expect(cells(runLoop(new QmcSearchOracle({ seed }), unitSquare, zero, 64).trials)).toBe(64);
      expect(
        cells(
          runLoop(new QmcSearchOracle({ seed, qmcType: 'halton' }), unitSquare, zero, 64).trials,
        ),
      ).toBeGreaterThan(44);
    }
    const random = createOracle('random', { seed: 1 });
    const trials: Trial[] = [];
    for (let i = 0; i < 64; i++)
      trials.push(record(i, random.ask({ space: unitSquare, objectives: MINIMIZE, trials })));
    expect(cells(trials)).toBeLessThan(50); // about 64·(1 − e⁻¹) = 40 cells
  });

  it('decodes logs, steps and choices, and fills conditional parameters only when active', () => {
    const space = spaceOf((hp) => {
      hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
      hp.Int('units', { min: 32, max: 512, step: 32 });
      hp.Choice('kind', ['a', 'b', 'c']);
      hp.Float('dropout', { min: 0, max: 0.5, parentName: 'kind', parentValues: ['b'] });
    });
    const trials = runLoop(new QmcSearchOracle({ seed: 4 }), space, zero, 96).trials;
    for (const t of trials) {
      expect(space.complete(t.params, () => 0.5)).toEqual(t.params);
      expect((t.params.units as number) % 32).toBe(0);
      expect('dropout' in t.params).toBe(t.params.kind === 'b');
    }
    // the log scale is covered evenly: about as many trials below 1e-2 as above
    const low = trials.filter((t) => (t.params.lr as number) < 1e-2).length;
    expect(low).toBeGreaterThanOrEqual(44);
    expect(low).toBeLessThanOrEqual(52);
  });

  it('never repeats a configuration, skips to unseen points, and says exhausted when a finite space is used up', () => {
    const space = spaceOf((hp) => {
      hp.Choice('opt', ['sgd', 'adam', 'rmsprop']);
      hp.Int('layers', { min: 1, max: 4 });
    });
    const oracle = new QmcSearchOracle({ seed: 5 });
    const trials = runLoop(oracle, space, zero, 20).trials;
    expect(trials).toHaveLength(12);
    expect(new Set(trials.map((t) => configurationKey(t.params))).size).toBe(12);
    expect(oracle.ask({ space, objectives: MINIMIZE, trials }).kind).toBe('exhausted');
  });

  it('resumes from the history and gives running trials of other workers distinct points', () => {
    const oracle = new QmcSearchOracle({ seed: 6 });
    const trials = runLoop(oracle, unitSquare, zero, 10).trials;
    const view: StudyView = { space: unitSquare, objectives: MINIMIZE, trials };
    expect(new QmcSearchOracle({ seed: 6 }).ask(view)).toEqual(oracle.ask(view));
    const running = [...trials];
    for (let i = 0; i < 3; i++)
      running.push(record(running.length, oracle.ask({ ...view, trials: running }), 'RUNNING'));
    expect(running.slice(10).map((t) => t.oracleAttrs.qmc)).toEqual([10, 11, 12]);
  });

  it('rejects bad options naming them, and more parameters than Sobol has direction numbers for', () => {
    expect(() => new QmcSearchOracle({ qmcType: 'lattice' as 'sobol' })).toThrow(
      /'qmcType' must be/,
    );
    const wide = spaceOf((hp) => {
      for (let i = 0; i < 257; i++) hp.Float(`x${i}`, { min: 0, max: 1 });
    });
    expect(() =>
      new QmcSearchOracle().ask({ space: wide, objectives: MINIMIZE, trials: [] }),
    ).toThrow(/up to 256 parameters.*halton/);
    const halton = new QmcSearchOracle({ qmcType: 'halton' }).ask({
      space: wide,
      objectives: MINIMIZE,
      trials: [],
    });
    expect(halton.kind).toBe('trial');
    const params = (halton as { params: ParamValues }).params;
    expect(Object.keys(params)).toHaveLength(257);
  });

  it('is made by createOracle for the CLI names cmaes and qmc', () => {
    expect(createOracle('qmc').name).toBe('qmc');
    expect(createOracle('cmaes').name).toBe('cmaes');
  });
});
