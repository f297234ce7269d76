import { describe, expect, it } from 'vitest';
import { HypertunerError, MedianPruner } from '../../src/index.js';
import { MAXIMIZE, curveTrial, upTo, view } from './curves.js';

const good = (n: number, shift = 0): number[] =>
  Array.from({ length: 10 }, (_, i) => 1 / (i + 1) + shift + n * 0.001);

describe('MedianPruner', () => {
  it('prunes a trial whose curve is clearly worse than the median at the same step', () => {
    const finished = [0, 1, 2, 3, 4].map((n) => curveTrial(n, good(n)));
    const bad = curveTrial(5, good(0, 1), 'RUNNING');
    const pruner = new MedianPruner();
    expect(pruner.shouldPrune(view([...finished, upTo(bad, 1)]), upTo(bad, 1))).toBe(true);
    const fine = curveTrial(6, good(0, -0.01), 'RUNNING');
    for (let s = 1; s <= 10; s++)
      expect(pruner.shouldPrune(view([...finished, upTo(fine, s)]), upTo(fine, s))).toBe(false);
  });

  it('never prunes during the first nStartupTrials finished trials', () => {
    const finished = [0, 1, 2, 3].map((n) => curveTrial(n, good(n)));
    const bad = upTo(curveTrial(4, good(0, 5), 'RUNNING'), 3);
    expect(new MedianPruner().shouldPrune(view([...finished, bad]), bad)).toBe(false);
    // RUNNING and FAILED trials do not count as finished
    const others = [curveTrial(10, good(0), 'RUNNING'), curveTrial(11, good(0), 'FAILED')];
    expect(new MedianPruner().shouldPrune(view([...finished, ...others, bad]), bad)).toBe(false);
    // a PRUNED trial counts: the fifth finished trial makes the median usable
    const pruned = curveTrial(12, good(0).slice(0, 4), 'PRUNED');
    expect(new MedianPruner().shouldPrune(view([...finished, pruned, bad]), bad)).toBe(true);
    expect(
      new MedianPruner({ nStartupTrials: 0 }).shouldPrune(view([finished[0]!, bad]), bad),
    ).toBe(true);
  });

  it('respects nWarmupSteps and intervalSteps', () => {
    const finished = [0, 1, 2, 3, 4].map((n) => curveTrial(n, good(n)));
    const bad = curveTrial(5, good(0, 1), 'RUNNING');
    const at = (pruner: MedianPruner, steps: number): boolean =>
      pruner.shouldPrune(view([...finished, upTo(bad, steps)]), upTo(bad, steps));
    const warm = new MedianPruner({ nWarmupSteps: 3 });
    expect([1, 2, 3, 4, 5].map((s) => at(warm, s))).toEqual([false, false, false, true, true]);
    // steps 0..: decide at 2, 5, 8 only (warm-up 2, interval 3)
    const sparse = new MedianPruner({ nWarmupSteps: 2, intervalSteps: 3 });
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => at(sparse, s))).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('is direction-aware', () => {
    const accuracy = (n: number, shift: number): number[] =>
      Array.from({ length: 6 }, (_, i) => 0.5 + i * 0.05 + shift + n * 0.001);
    const finished = [0, 1, 2, 3, 4].map((n) => curveTrial(n, accuracy(n, 0)));
    const low = upTo(curveTrial(5, accuracy(0, -0.2), 'RUNNING'), 2);
    const high = upTo(curveTrial(6, accuracy(0, 0.2), 'RUNNING'), 2);
    expect(new MedianPruner().shouldPrune(view([...finished, low], MAXIMIZE), low)).toBe(true);
    expect(new MedianPruner().shouldPrune(view([...finished, high], MAXIMIZE), high)).toBe(false);
  });

  it('compares at the step only with trials that reported it (nMinTrials)', () => {
    const short = [0, 1, 2, 3, 4].map((n) => curveTrial(n, good(n).slice(0, 2), 'PRUNED'));
    const bad = upTo(curveTrial(5, good(0, 1), 'RUNNING'), 5);
    expect(new MedianPruner().shouldPrune(view([...short, bad]), bad)).toBe(false);
  });

  it('rejects bad options and multi-objective studies', () => {
    expect(() => new MedianPruner({ nStartupTrials: -1 })).toThrow(/nStartupTrials/);
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow(HypertunerError);
    const t = upTo(curveTrial(0, [1, 2]), 1);
    const two = [...MAXIMIZE, { name: 'loss', direction: 'minimize' as const }];
    try {
      new MedianPruner().shouldPrune(view([t], two), t);
      expect.unreachable();
    } catch (error) {
      expect((error as HypertunerError).code).toBe('PRUNING_MULTI_OBJECTIVE');
      expect((error as HypertunerError).field).toBe('pruner');
    }
  });
});
