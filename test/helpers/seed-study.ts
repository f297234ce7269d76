/** A study with finished trials, written straight into a storage (no oracle, no objective). */
import type { ParamValues } from '../../src/space/index.js';
import type { Storage, StudyRecord } from '../../src/storage/index.js';

/**
 * Creates study `name` (objective `value`, minimised) with `n` COMPLETED trials: trial `i` has
 * the parameters `params(i)` and the value `i`.
 */
export async function seedStudy(
  storage: Storage,
  name: string,
  n: number,
  params: (i: number) => ParamValues = (i) => ({ x: i }),
): Promise<StudyRecord> {
  const study = await storage.createStudy({
    name,
    objectives: [{ name: 'value', direction: 'minimize' }],
  });
  for (let i = 0; i < n; i++) {
    const outcome = await storage.startTrial(study.id, 'w', () => ({
      kind: 'create',
      params: params(i),
    }));
    if (outcome.kind !== 'started') throw new Error(`trial ${i} did not start: ${outcome.kind}`);
    await storage.finishTrial(outcome.trial.id, { status: 'COMPLETED', values: [i] });
  }
  return study;
}
