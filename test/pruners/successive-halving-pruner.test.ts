import { describe, expect, it } from 'vitest';
import { SuccessiveHalvingPruner } from '../../src/index.js';
import type { Trial } from '../../src/index.js';
import { MAXIMIZE, curveTrial, upTo, view } from './curves.js';

/** A flat curve at `level` for `steps` steps (steps 0 .. steps - 1). */
const flat = (level: number, steps: number): number[] => Array.from({ length: steps }, () => level);

describe('SuccessiveHalvingPruner', () => {
  it('puts rungs at minResource * reductionFactor^(minEarlyStoppingRate + k)', () => {
    const pruner = new SuccessiveHalvingPruner({
      minResource: 2,
      reductionFactor: 3,
      minEarlyStoppingRate: 1,
    });
    expect([0, 1, 2].map((k) => pruner.rungStep(k))).toEqual([6, 18, 54]);
    const defaults = new SuccessiveHalvingPruner();
    expect([defaults.minResource, defaults.reductionFactor, defaults.minEarlyStoppingRate]).toEqual(
      [1, 4, 0],
    );
  });

  it('with firstStep 0, counts a 0-based step as one more unit of resource (epoch s is epoch s + 1 trained)', () => {
    const epochs = new SuccessiveHalvingPruner({
      minResource: 1,
      reductionFactor: 3,
      firstStep: 0,
    });
    expect([0, 1, 2].map((k) => epochs.rungStep(k))).toEqual([0, 2, 8]);
    expect(new SuccessiveHalvingPruner({ minResource: 2, firstStep: 0 }).rungStep(1)).toBe(7);
    expect(new SuccessiveHalvingPruner().firstStep).toBe(1);
    // the first rung is decided at the first report (step 0): the worse of two trials stops there
    const first = curveTrial(0, [5, 5, 5], 'COMPLETED');
    const worse = upTo(curveTrial(1, [6, 6, 6], 'RUNNING'), 1);
    expect(epochs.shouldPrune(view([first, worse]), worse)).toBe(true);
    const optunaStyle = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
    expect(optunaStyle.shouldPrune(view([first, worse]), worse)).toBe(false);
  });

  it('lets a trial past a rung only in the top 1/reductionFactor of the trials that reached it', () => {
    // rungs at steps 1, 2, 4, 8 (minResource 1, reductionFactor 2)
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const others: Trial[] = [1, 2, 3, 4, 5, 6, 7].map((level, i) =>
      curveTrial(i, flat(level, 2), 'PRUNED'),
    );
    // at rung 0 (step 1): 8 values with itself, top 4 go on
    const decide = (level: number): boolean => {
      const t = upTo(curveTrial(99, flat(level, 3), 'RUNNING'), 2);
      return pruner.shouldPrune(view([...others, t]), t);
    };
    expect(decide(3.5)).toBe(false); // 4th best of 8
    expect(decide(4.5)).toBe(true); // 5th
    // below the first rung, nothing is decided; between rungs nothing is re-decided
    const early = upTo(curveTrial(99, flat(100, 4), 'RUNNING'), 1);
    expect(pruner.shouldPrune(view([...others, early]), early)).toBe(false);
    const between = curveTrial(99, [100, 0.5, 100], 'RUNNING'); // passed rung 1 at step 1 with 0.5, now at step 2
    expect(pruner.shouldPrune(view([...others, upTo(between, 3)]), upTo(between, 3))).toBe(false);
  });

  it('promotes by rung: a trial passing rung 0 can stop at rung 1', () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    // four trials reached step 2 (rung 1) with values 1..4, eight reached step 1 (rung 0)
    const deep = [1, 2, 3, 4].map((level, i) => curveTrial(i, [level, level, level], 'COMPLETED'));
    const shallow = [5, 6, 7, 8].map((level, i) => curveTrial(10 + i, [level, level], 'PRUNED'));
    const t = curveTrial(99, [1.5, 3.5, 3.5], 'RUNNING');
    // step 1 (rung 0): 1.5 among {1,2,3,4,5,6,7,8} -> 2nd of 9, top 4: go on
    expect(pruner.shouldPrune(view([...deep, ...shallow, upTo(t, 2)]), upTo(t, 2))).toBe(false);
    // step 2 (rung 1): 3.5 among the values at rung 1 {1,2,3,4} -> 4th of 5, top 2: stop
    expect(pruner.shouldPrune(view([...deep, ...shallow, upTo(t, 3)]), upTo(t, 3))).toBe(true);
  });

  it('with fewer than reductionFactor trials at a rung, only the best goes on', () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
    const first = curveTrial(0, [5, 5], 'COMPLETED');
    const better = upTo(curveTrial(1, [4, 4], 'RUNNING'), 2);
    const worse = upTo(curveTrial(2, [6, 6], 'RUNNING'), 2);
    expect(pruner.shouldPrune(view([first, better]), better)).toBe(false);
    expect(pruner.shouldPrune(view([first, worse]), worse)).toBe(true);
  });

  it('is direction-aware', () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const others = [0.9, 0.8, 0.7].map((acc, i) => curveTrial(i, [acc, acc], 'COMPLETED'));
    const high = upTo(curveTrial(9, [0.95, 0.95], 'RUNNING'), 2);
    const low = upTo(curveTrial(9, [0.1, 0.1], 'RUNNING'), 2);
    expect(pruner.shouldPrune(view([...others, high], MAXIMIZE), high)).toBe(false);
    expect(pruner.shouldPrune(view([...others, low], MAXIMIZE), low)).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => new SuccessiveHalvingPruner({ reductionFactor: 1 })).toThrow(/reductionFactor/);
    expect(() => new SuccessiveHalvingPruner({ minResource: 0 })).toThrow(/minResource/);
    expect(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 })).toThrow(
      /minEarlyStoppingRate/,
    );
    expect(() => new SuccessiveHalvingPruner({ firstStep: 2 as 0 })).toThrow(
      /option 'firstStep' must be one of 0, 1; got 2/,
    );
  });
});
