/**
 * A study with a bit of everything, for the tests of copies, exports and imports: every kind
 * of parameter (Int with a step, Int on a log scale, Float with a step and on a log scale,
 * Choice, Boolean), a conditional one, a name and choice values with commas, quotes and a
 * newline, intermediate values with metrics, user attributes, COMPLETED, PRUNED and FAILED
 * trials, a WAITING and a RUNNING one, study attributes and, where the storage keeps them, an
 * artifact.
 */
import {
  MemoryStorage,
  PostgresStorage,
  SqliteStorage,
  Study,
  TpeOracle,
} from '../../src/index.js';
import { openArtifactStore } from '../../src/storage/index.js';
import type { RunningTrial, Storage, Trial } from '../../src/index.js';

/** The parameter whose name and values need quoting in a CSV file. */
export const AWKWARD_NAME = 'style, "quoted"\nname';
export const AWKWARD_VALUES = ['a,b', 'say "hi"', 'two\nlines'] as const;

/** Declares the rich study's parameters on a trial and returns its loss. */
export function richObjective(trial: RunningTrial): number {
  const { hp } = trial;
  const optimizer = hp.Choice('optimizer', ['adam', 'sgd']);
  const lr = hp.Float('lr', { min: 1e-4, max: 1e-1, sampling: 'log' });
  const units = hp.Int('units', { min: 16, max: 128, step: 16 });
  const layers = hp.Int('layers', { min: 1, max: 64, sampling: 'log' });
  const dropout = hp.Float('dropout', { min: 0, max: 0.5, step: 0.1 });
  const bias = hp.Boolean('use_bias');
  const style = hp.Choice(AWKWARD_NAME, AWKWARD_VALUES);
  const momentum = hp.conditionalScope('optimizer', ['sgd'], () =>
    hp.Float('momentum', { min: 0, max: 0.99 }),
  );
  return (
    (Math.log10(lr) + 2.5) ** 2 +
    units / 128 +
    layers / 64 +
    dropout +
    (bias ? 0 : 0.1) +
    AWKWARD_VALUES.indexOf(style) * 0.05 +
    (optimizer === 'sgd' && momentum !== undefined ? 1 - momentum : 0)
  );
}

/**
 * Fills study `name` of `storage`: 10 trials asked and told (trial 3 FAILED, trial 5 PRUNED),
 * one asked but not told (RUNNING) and one queued (WAITING). Returns the study's trials.
 */
export async function fillRichStudy(storage: Storage, name = 'rich'): Promise<Trial[]> {
  const study = await Study.open({
    storage,
    name,
    objective: 'loss',
    oracle: new TpeOracle({ seed: 7, nStartupTrials: 4 }),
    seed: 7,
    userAttrs: { owner: 'tests', tags: ['a', 'b'] },
  });
  for (let i = 0; i < 10; i++) {
    const next = await study.ask();
    if (next.kind !== 'trial') throw new Error(`expected a trial, got ${next.kind}`);
    const { trial } = next;
    const loss = richObjective(trial);
    for (let step = 0; step < 3; step++) {
      await trial.report(step, { loss: loss + (3 - step) * 0.1, acc: 0.5 + step / 10 });
    }
    await trial.setUserAttr('note', i % 2 === 0 ? 'even, "quoted"\nline' : 'odd');
    await trial.setUserAttr('epochs', { done: 3, best: 2 });
    if (i === 3) {
      await study.tell(trial, { status: 'FAILED', error: 'diverged: "nan" at step 2\nat line 1' });
    } else if (i === 5) {
      await study.tell(trial, { status: 'PRUNED' });
    } else {
      await study.tell(trial, { loss, acc: 0.9 - loss / 10 });
    }
  }
  const running = await study.ask();
  if (running.kind !== 'trial') throw new Error('expected a running trial');
  richObjective(running.trial);
  await running.trial.report(0, { loss: 1.5, acc: 0.4 });
  await study.enqueue({ optimizer: 'adam', lr: 0.01, units: 32 }, { queued: true });
  const keepsArtifacts = [MemoryStorage, SqliteStorage, PostgresStorage].some(
    (c) => storage instanceof c,
  );
  if (keepsArtifacts) {
    const store = await openArtifactStore(storage);
    await store.put(name, 0, 'checkpoint.model.json', new TextEncoder().encode('{"model":0}'));
    await store.put(name, 2, 'checkpoint.weights.bin', new Uint8Array([1, 2, 3, 255]));
  }
  await study.close();
  return study.trials();
}
