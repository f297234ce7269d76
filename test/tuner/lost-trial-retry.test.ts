import { describe, expect, it } from 'vitest';
import { MemoryStorage, Study } from '../../src/index.js';
import type { TrialContext } from '../../src/index.js';
import { createOracle } from '../../src/oracles/index.js';
import { runTrial } from '../../src/tuner/index.js';

describe('retry of a lost trial', () => {
  it('runs the configuration the lost run had, also where its proposal lacked parameters (define-by-run)', async () => {
    const storage = new MemoryStorage();
    const seen: Record<string, unknown>[] = [];
    let release: () => void = () => undefined;
    const hang = new Promise<void>((resolve) => (release = resolve));
    const objective = async ({ hp }: TrialContext): Promise<number> => {
      const values = {
        x: hp.Float('x', { min: 0, max: 1 }),
        n: hp.Int('n', { min: 1, max: 1000 }),
      };
      seen.push(values);
      if (seen.length === 1) await hang; // the first run's worker gets lost here
      return values.x;
    };
    const lost = await Study.open({
      storage,
      name: 's',
      objective: 'loss',
      oracle: createOracle('random'),
      workerId: 'far-away-host:1:lost',
    });
    const first = await lost.ask();
    if (first.kind !== 'trial') throw new Error('no trial');
    expect(first.trial.params).toEqual({}); // nothing declared yet: the run draws the values
    const running = runTrial(lost, first.trial, objective).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const other = await Study.open({
      storage,
      name: 's',
      oracle: createOracle('random'),
      staleAfterMs: 5,
      workerId: 'here:2:other',
    });
    await other.optimize(objective, { nTrials: 1 });
    const trials = await other.trials();
    expect(trials.map((t) => [t.status, t.retryOf])).toEqual([
      ['FAILED', undefined],
      ['COMPLETED', 0],
    ]);
    expect(seen[1]).toEqual(seen[0]);
    expect(trials[1]?.params).toEqual(seen[0]);
    release();
    await running;
  });
});
