import { describe, expect, it } from 'vitest';
import { ModeChooser } from '../../src/tfjs/training/dense/mode-chooser.js';

/** Runs `steps` steps where mode m takes `msPerUnit(m, step)` per unit; returns the modes used. */
function run(chooser: ModeChooser, steps: number, msPerUnit: (m: 0 | 1, step: number) => number) {
  const used: (0 | 1)[] = [];
  for (let s = 0; s < steps; s++) {
    const m = chooser.next();
    used.push(m);
    chooser.record(m, 100, 100 * msPerUnit(m, s));
  }
  return used;
}

describe('ModeChooser', () => {
  it('measures both modes in alternating blocks, then keeps to the faster', () => {
    const chooser = new ModeChooser({ block: 4, probes: 2, reprobeEvery: 1000 });
    const used = run(chooser, 60, (m) => (m === 0 ? 2 : 1)); // mode 1 twice as fast
    expect(used.slice(0, 16)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(used.slice(16).every((m) => m === 1)).toBe(true);
    expect(chooser.best).toBe(1);
    expect(chooser.rate(1) / chooser.rate(0)).toBeCloseTo(2, 5);
  });

  it('measures the other mode again now and then, and follows a change of speed', () => {
    const chooser = new ModeChooser({ block: 4, probes: 1, reprobeEvery: 20 });
    // mode 0 is faster for 100 steps, then mode 1 becomes four times faster
    const used = run(chooser, 400, (m, s) => (s < 100 ? (m === 0 ? 1 : 2) : m === 0 ? 4 : 1));
    expect(used.slice(20, 100).filter((m) => m === 0).length).toBeGreaterThan(60);
    expect(used.slice(300).filter((m) => m === 1).length).toBeGreaterThanOrEqual(75);
  });
});
