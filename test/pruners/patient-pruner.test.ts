import { describe, expect, it } from 'vitest';
import { HypertunerError, PatientPruner } from '../../src/index.js';
import type { Pruner } from '../../src/index.js';
import { MAXIMIZE, curveTrial, upTo, view } from './curves.js';

const always: Pruner = { name: 'always', shouldPrune: () => true };
const never: Pruner = { name: 'never', shouldPrune: () => false };

describe('PatientPruner', () => {
  it('prunes only after `patience` steps without improvement, and only when the wrapped pruner agrees', () => {
    // improves until step 2, then flat
    const t = curveTrial(0, [5, 4, 3, 3.5, 3.2, 3.1, 3.0], 'RUNNING');
    const patient = new PatientPruner({ wrapped: always, patience: 3 });
    const at = (pruner: Pruner, steps: number): boolean =>
      pruner.shouldPrune(view([upTo(t, steps)]), upTo(t, steps));
    // best at step 2; steps 3, 4, 5 do not beat it: stalled from step 5 (6 values) on
    expect([3, 4, 5, 6, 7].map((s) => at(patient, s))).toEqual([false, false, false, true, true]);
    expect(at(new PatientPruner({ wrapped: never, patience: 3 }), 7)).toBe(false);
    expect(at(new PatientPruner({ patience: 3 }), 6)).toBe(true);
    expect(at(new PatientPruner({ patience: 1 }), 3)).toBe(false);
    expect(at(new PatientPruner({ patience: 1 }), 4)).toBe(true);
    // patience 0: the wrapped pruner alone decides
    expect(at(new PatientPruner({ wrapped: always, patience: 0 }), 2)).toBe(true);
    expect(at(new PatientPruner({ wrapped: never, patience: 0 }), 2)).toBe(false);
  });

  it('counts only improvements larger than minDelta', () => {
    const slow = curveTrial(0, [1, 0.99, 0.98, 0.97, 0.96], 'RUNNING');
    expect(new PatientPruner({ patience: 2 }).shouldPrune(view([slow]), slow)).toBe(false);
    expect(new PatientPruner({ patience: 2, minDelta: 0.05 }).shouldPrune(view([slow]), slow)).toBe(
      true,
    );
  });

  it('is direction-aware', () => {
    const rising = curveTrial(0, [0.5, 0.6, 0.7, 0.8], 'RUNNING');
    const falling = curveTrial(1, [0.8, 0.7, 0.6, 0.5], 'RUNNING');
    const pruner = new PatientPruner({ patience: 2 });
    expect(pruner.shouldPrune(view([rising], MAXIMIZE), rising)).toBe(false);
    expect(pruner.shouldPrune(view([falling], MAXIMIZE), falling)).toBe(true);
    expect(pruner.shouldPrune(view([falling]), falling)).toBe(false);
  });

  it('needs a patience', () => {
    expect(() => new PatientPruner({} as { patience: number })).toThrow(HypertunerError);
    expect(() => new PatientPruner({ patience: 1.5 })).toThrow(/patience/);
    expect(() => new PatientPruner({ patience: 1, minDelta: -1 })).toThrow(/minDelta/);
    expect(new PatientPruner({ wrapped: never, patience: 1 }).name).toBe('patient(never)');
  });

  it("rejects a 'wrapped' value that is not a pruner, naming the option", () => {
    for (const wrapped of [{}, null, 'median', { name: 'x', shouldPrune: true }]) {
      let caught: unknown;
      try {
        new PatientPruner({ wrapped: wrapped as unknown as Pruner, patience: 1 });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HypertunerError);
      expect((caught as HypertunerError).code).toBe('PRUNER_INVALID_OPTION');
      expect((caught as HypertunerError).field).toBe('wrapped');
      expect((caught as HypertunerError).message).toMatch(/'wrapped' must be a pruner/);
    }
    expect(new PatientPruner({ wrapped: undefined, patience: 1 }).name).toBe('patient');
  });
});
