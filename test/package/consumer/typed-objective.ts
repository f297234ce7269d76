// A user's program in TypeScript, for `hypertuner search typed-objective.ts` with nothing but
// hypertuner installed: types, an interface, `satisfies`, imports of hypertuner's values and
// types and of another .ts file (test/package and test/cli/search-programs.test.ts run it).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { MedianPruner, TrialPrunedError } from 'hypertuner';
import type { TrialContext } from 'hypertuner';
import { curve } from './curve.js';

interface Settings {
  readonly steps: number;
  readonly delayMs: number;
}
const settings = { steps: 4, delayMs: 30 } satisfies Settings;

// For the test: with RENDEZVOUS_DIR, each process's first trial waits (up to 60 s) until two
// processes have started one, so both work however slowly a loaded machine starts the second.
const rendezvousDir = process.env['RENDEZVOUS_DIR'];
let met = rendezvousDir === undefined;
async function rendezvous(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${process.pid}`, '');
  const until = Date.now() + 60_000;
  while (readdirSync(dir).length < 2 && Date.now() < until)
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  met = true;
}

export const pruner = new MedianPruner({ nStartupTrials: 2 });

export default {
  objective: 'loss',
  async run({ hp, report }: TrialContext): Promise<number> {
    const x: number = hp.Float('x', { min: 0, max: 1 });
    if (!met && rendezvousDir !== undefined) await rendezvous(rendezvousDir);
    let loss = Infinity;
    for (let step = 0; step < settings.steps; step++) {
      await new Promise<void>((resolve) => setTimeout(resolve, settings.delayMs));
      loss = curve(x, step);
      if (await report(step, loss)) throw new TrialPrunedError(step);
    }
    return loss;
  },
};
