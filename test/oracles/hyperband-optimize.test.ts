import { describe, expect, it } from 'vitest';
import {
  HyperbandOracle,
  MedianPruner,
  MemoryStorage,
  Study,
  TrialPrunedError,
  hyperbandPlan,
} from '../../src/index.js';
import { readHyperbandAttrs } from '../../src/oracles/index.js';
import type { Pruner, Trial, TrialContext } from '../../src/index.js';

/** A fake model: its loss after `epoch` epochs depends on `quality` (best near 1). */
const lossAt = (quality: number, epoch: number): number => 1 - 0.8 * quality + 1 / (epoch + 1);

/**
 * A training objective as the tfjs layer will run it under Hyperband: it continues its
 * parent's checkpoint from `initialEpoch`, trains up to `epochs`, reports each epoch, and
 * saves a checkpoint.
 */
function trainer() {
  const checkpoints = new Map<number, { epoch: number; quality: number }>();
  const log = {
    epochsTrained: 0,
    resumed: [] as { trial: number; parent: number; initialEpoch: number }[],
  };
  const objective = async (trial: TrialContext): Promise<number> => {
    const quality = trial.hp.Float('quality', { min: 0, max: 1 });
    const attrs = readHyperbandAttrs(trial.oracleAttrs);
    if (attrs === undefined) throw new Error('not a Hyperband trial');
    if (attrs.parentTrial !== null) {
      const checkpoint = checkpoints.get(attrs.parentTrial);
      if (
        checkpoint === undefined ||
        checkpoint.epoch !== attrs.initialEpoch ||
        checkpoint.quality !== quality
      ) {
        throw new Error(
          `trial ${trial.number}: no checkpoint of trial ${attrs.parentTrial} at epoch ${attrs.initialEpoch}`,
        );
      }
      log.resumed.push({
        trial: trial.number,
        parent: attrs.parentTrial,
        initialEpoch: attrs.initialEpoch,
      });
    }
    let loss = NaN;
    for (let epoch = attrs.initialEpoch; epoch < attrs.epochs; epoch++) {
      log.epochsTrained++;
      loss = lossAt(quality, epoch);
      checkpoints.set(trial.number, { epoch: epoch + 1, quality });
      if (await trial.report(epoch, { loss })) throw new TrialPrunedError(epoch);
    }
    return loss;
  };
  return { objective, log };
}

async function hyperbandStudy(): Promise<Study> {
  return Study.open({
    storage: new MemoryStorage(),
    name: 'hb',
    objective: 'loss',
    oracle: new HyperbandOracle({ maxEpochs: 9, factor: 3, seed: 11 }),
    seed: 11,
  });
}

describe('Hyperband in Study.optimize', () => {
  it('runs the whole plan, promoted trials continuing their parent from initialEpoch', async () => {
    const study = await hyperbandStudy();
    const { objective, log } = trainer();
    const result = await study.optimize(objective);
    const plan = hyperbandPlan({ maxEpochs: 9, factor: 3 });
    expect(result.reason).toMatch(/Hyperband finished its 3 bracket/);
    const trials = await study.trials();
    expect(trials).toHaveLength(plan.totalTrials);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    // only new epochs are trained: the planned total
    expect(log.epochsTrained).toBe(plan.totalEpochs);
    expect(log.resumed).toHaveLength(
      trials.filter((t) => readHyperbandAttrs(t.oracleAttrs)?.parentTrial !== null).length,
    );
    // a promoted trial's curve starts at its initial epoch
    const promoted = trials.find((t) => readHyperbandAttrs(t.oracleAttrs)?.round === 2) as Trial;
    expect(promoted.intermediate.map((iv) => iv.step)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(result.best?.values?.[0]).toBe(
      Math.min(...trials.map((t) => t.values?.[0] ?? Infinity)),
    );
  });

  it('with a MedianPruner, prunes the bad curves (PRUNED, value = last reported) and never promotes them', async () => {
    const study = await hyperbandStudy();
    const { objective } = trainer();
    const pruner = new MedianPruner({ nStartupTrials: 5 });
    await study.optimize(objective, { pruner });
    const trials = await study.trials();
    const pruned = trials.filter((t) => t.status === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) {
      const last = t.intermediate[t.intermediate.length - 1];
      expect(t.values).toEqual([last?.value]);
      expect(t.number).toBeGreaterThanOrEqual(5);
    }
    const parents = new Set(trials.map((t) => readHyperbandAttrs(t.oracleAttrs)?.parentTrial));
    expect(pruned.some((t) => parents.has(t.number))).toBe(false);
    const quality = (list: readonly Trial[]): number =>
      list.reduce((s, t) => s + (t.params['quality'] as number), 0) / list.length;
    const completed = trials.filter((t) => t.status === 'COMPLETED');
    expect(quality(pruned)).toBeLessThan(quality(completed));
  });

  it('rejects pruning a multi-objective study, naming the pruner field', async () => {
    const study = await Study.open({
      storage: new MemoryStorage(),
      name: 'mo',
      objective: ['loss', { name: 'latency', direction: 'minimize' }],
      oracle: new HyperbandOracle({ maxEpochs: 3 }),
    });
    const pruner: Pruner = new MedianPruner();
    await expect(study.optimize(() => [1, 2], { pruner })).rejects.toMatchObject({
      code: 'PRUNING_MULTI_OBJECTIVE',
      field: 'pruner',
    });
    await expect(study.optimize(() => [1, 2], { pruner })).rejects.toThrow(
      /pruner: the median pruner .* 2 objectives/,
    );
  });
});
