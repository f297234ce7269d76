/**
 * A user's TypeScript program of both entry points. test/package/package.test.ts type-checks it
 * with `tsc --strict` (no skipLibCheck) in a new project where the packed hypertuner is
 * installed, under moduleResolution node16, nodenext and bundler; this repository's typecheck
 * compiles it against the sources.
 */
import { HypertunerError, MedianPruner, Study, TpeOracle, TrialPrunedError } from 'hypertuner';
import type { HyperParameters, ObjectiveFunction, Storage, Trial } from 'hypertuner';
import { BayesianOptimization, loadFashionMnist, tf } from 'hypertuner/tfjs';
import type { ImageDataset, TunerOptions } from 'hypertuner/tfjs';

export const objective: ObjectiveFunction = async ({ hp, report }) => {
  const x = hp.Float('x', { min: -5, max: 5 });
  const activation: 'relu' | 'tanh' = hp.Choice('activation', ['relu', 'tanh']);
  for (let step = 0; step < 3; step++) {
    if (await report(step, { loss: (x - 1) ** 2 + step })) throw new TrialPrunedError(step);
  }
  return (x - 1) ** 2 + (activation === 'relu' ? 0 : 0.5);
};

export async function search(storage: Storage | string): Promise<readonly Trial[]> {
  const study = await Study.open({
    storage,
    name: 'consumer',
    objective: 'loss',
    oracle: new TpeOracle({ seed: 1 }),
  });
  await study.optimize(objective, { maxTrials: 5, pruner: new MedianPruner() });
  const trials = await study.trials();
  await study.close();
  return trials;
}

export function isMissingPeer(error: unknown): boolean {
  return error instanceof HypertunerError && error.code === 'PEER_MISSING';
}

function build(hp: HyperParameters): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(tf.layers.dense({ units: hp.Int('units', { min: 16, max: 64, step: 16 }) }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function tune(options: Partial<TunerOptions> = {}): Promise<ImageDataset> {
  const data = await loadFashionMnist();
  const tuner = new BayesianOptimization({
    ...options,
    hypermodel: build,
    objective: 'val_accuracy',
    maxTrials: 2,
    directory: 'tuning',
    projectName: 'consumer',
  });
  await tuner.close();
  return data;
}
