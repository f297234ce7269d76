import { describe, expect, it } from 'vitest';
import {
  MedianPruner,
  MemoryStorage,
  PatientPruner,
  RandomSearchOracle,
  Study,
  SuccessiveHalvingPruner,
  TrialPrunedError,
} from '../../src/index.js';
import type { Pruner, TrialContext } from '../../src/index.js';

const EPOCHS = 10;

/** Accuracy curves: good configurations (quality near 1) learn faster and further. */
async function objective(trial: TrialContext): Promise<Record<string, number>> {
  const quality = trial.hp.Float('quality', { min: 0, max: 1 });
  let accuracy = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    accuracy = quality * (1 - Math.exp(-(epoch + 1) / 3));
    if (await trial.report(epoch, { accuracy })) throw new TrialPrunedError(epoch);
  }
  return { accuracy };
}

async function run(pruner: Pruner, trials = 30): Promise<Awaited<ReturnType<Study['trials']>>> {
  const study = await Study.open({
    storage: new MemoryStorage(),
    name: 'p',
    objective: 'accuracy',
    oracle: new RandomSearchOracle({ seed: 4 }),
  });
  await study.optimize(objective, { maxTrials: trials, pruner });
  return study.trials();
}

describe('pruners in Study.optimize', () => {
  it('MedianPruner: nothing pruned among the startup trials, bad curves pruned with their last value', async () => {
    const trials = await run(new MedianPruner({ nStartupTrials: 5 }));
    expect(trials.slice(0, 5).every((t) => t.status === 'COMPLETED')).toBe(true);
    const pruned = trials.filter((t) => t.status === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(5);
    for (const t of pruned) {
      expect(t.intermediate.length).toBeLessThan(EPOCHS);
      expect(t.values).toEqual([t.intermediate[t.intermediate.length - 1]?.value]);
      expect(t.metrics['accuracy']).toBe(t.values?.[0]);
    }
    // a maximised metric whose curves keep their order: a trial stops at the first step where
    // its quality is below the median quality of the earlier trials that reached that step
    const median = (xs: number[]): number => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    };
    for (const t of trials.slice(5)) {
      const quality = t.params['quality'] as number;
      let prunedAt: number | undefined;
      for (let step = 0; step < EPOCHS && prunedAt === undefined; step++) {
        const reached = trials.filter(
          (o) => o.number < t.number && o.intermediate.some((iv) => iv.step === step),
        );
        if (quality < median(reached.map((o) => o.params['quality'] as number))) prunedAt = step;
      }
      expect(t.status).toBe(prunedAt === undefined ? 'COMPLETED' : 'PRUNED');
      expect(t.intermediate).toHaveLength(prunedAt === undefined ? EPOCHS : prunedAt + 1);
    }
  });

  it('SuccessiveHalvingPruner and PatientPruner work through the same interface', async () => {
    const asha = await run(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }));
    expect(asha.filter((t) => t.status === 'PRUNED').length).toBeGreaterThan(0);
    // these curves keep improving: patience never lets the wrapped pruner act
    const patient = await run(
      new PatientPruner({ wrapped: new MedianPruner({ nStartupTrials: 0 }), patience: 2 }),
      10,
    );
    expect(patient.every((t) => t.status === 'COMPLETED')).toBe(true);
  });
});
