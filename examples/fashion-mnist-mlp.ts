/**
 * The article's experiment, as a program you can copy: tune a multilayer perceptron on
 * Fashion-MNIST with Bayesian optimisation, retrain the best one on the whole training set,
 * and score it on the test set. `npm start` runs the same experiment with flags, progress
 * bars and one trial per core at once (src/cli/example/).
 *
 *   npx tsx examples/fashion-mnist-mlp.ts
 *
 * It imports hypertuner as your own project would (this repository's tsconfig.json maps the
 * package names to its sources); the npm package ships it in node_modules/hypertuner/examples/.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParameters } from 'hypertuner';
import {
  BayesianOptimization,
  evaluateModel,
  fitModel,
  imageSplitToArrays,
  loadFashionMnist,
  sliceSplit,
} from 'hypertuner/tfjs';

// 1. The search space, define-by-run: 2-4 Dense layers, 64-512 units and an activation each,
//    and Adam's learning rate on a log scale.
function buildModel(hp: HyperParameters): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  hp.Int('num_layers', { min: 2, max: 4 });
  const dense = (i: number): void => {
    const units = hp.Int(`units_${i}`, { min: 64, max: 512, step: 64 });
    const activation = hp.Choice(`activation_${i}`, ['relu', 'tanh', 'elu', 'swish', 'selu']);
    model.add(tf.layers.dense({ units, activation }));
  };
  dense(0);
  dense(1);
  hp.conditionalScope('num_layers', [3, 4], () => dense(2)); // only when there is a third layer
  hp.conditionalScope('num_layers', [4], () => dense(3));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  const learningRate = hp.Float('learning_rate', {
    min: 1e-4,
    max: 1e-2,
    sampling: 'log',
    default: 1e-3,
  });
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

// 2. The data: Debian's dataset-fashion-mnist, the cache, a download, or the bundled subset.
const data = await loadFashionMnist({ allowSubset: true });
console.log(
  `Fashion-MNIST from ${data.source} (${data.dir}): ${data.train.count} training, ${data.test.count} test images.`,
);
// Trials train on 12,000 images and are validated on 5,000 others, to keep the search short.
const searchTrain = imageSplitToArrays(sliceSplit(data.train, 0, 12_000));
const searchVal = imageSplitToArrays(sliceSplit(data.train, 12_000, 17_000));

// 3. The tuner: the study lives in fashion-mnist-example/mlp/study.db; running again resumes it.
//    Processes sharing that file share the study: start this program in two terminals and
//    each runs its own trials, on its own backend (`npm start` does that with --workers).
const tuner = new BayesianOptimization({
  hypermodel: buildModel,
  objective: 'val_accuracy',
  maxTrials: 15,
  directory: 'fashion-mnist-example',
  projectName: 'mlp',
  seed: 1,
});
console.log(await tuner.searchSpaceSummary());
await tuner.search(searchTrain.x, searchTrain.y, {
  epochs: 4,
  batchSize: 128,
  validationData: [searchVal.x, searchVal.y],
  verbose: 1, // a line per trial on stderr, and the backend used (tfjs-node, else WASM)
});
console.log(await tuner.resultsSummary(3));

// 4. Retrain the best hyperparameters on all training images, then score on the test set.
const [bestHp] = await tuner.getBestHyperparameters(1);
if (bestHp === undefined) throw new Error('No trial completed.');
const model = buildModel(bestHp);
const all = imageSplitToArrays(data.train);
await fitModel(model, all.x, all.y, {
  epochs: 10,
  batchSize: 128,
  callbacks: [
    {
      onEpochEnd: (epoch, logs) =>
        console.log(`final epoch ${epoch + 1}: loss ${logs?.['loss']?.toFixed(4)}`),
    },
  ],
});
const test = imageSplitToArrays(data.test);
const scores = evaluateModel(model, test.x, test.y);
console.log(
  `Test loss ${scores['loss']?.toFixed(4)}, test accuracy ${scores['accuracy']?.toFixed(4)}.`,
);

// (The best trial's own model, with the weights of its best epoch, is `await tuner.getBestModels(1)`.)
model.dispose();
await tuner.close();
