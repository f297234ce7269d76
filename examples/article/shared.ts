/**
 * What the article's three experiments share (examples/article/experiment-*.ts): the data, split
 * the way a search should be, and the article's ending (the best model's layers, then its test
 * loss and accuracy).
 *
 * Options: --dataset fashion-mnist|mnist|cifar10 (default fashion-mnist; CIFAR-10, the
 * article's data, is downloaded into ~/.cache/hypertuner when missing), --trials (15),
 * --epochs (4), --train-size (12000), --directory (article-example).
 *
 * They import hypertuner as your own project would (this repository's tsconfig.json maps the
 * package names to its sources); the npm package ships them in
 * node_modules/hypertuner/examples/article/.
 */
import { parseArgs } from 'node:util';
import type { HyperParameters } from 'hypertuner';
import type { LayersModel } from 'hypertuner/tfjs';
import {
  BayesianOptimization,
  evaluateModel,
  imageSplitToArrays,
  loadCifar10,
  loadFashionMnist,
  loadMnist,
  modelSummary,
  sliceSplit,
} from 'hypertuner/tfjs';
import type { ExampleArrays, ImageDataset } from 'hypertuner/tfjs';

export interface ArticleSetup {
  readonly data: ImageDataset;
  /** Images the trials train on. */
  readonly train: ExampleArrays;
  /** Other training images the trials are scored on: never the test set. */
  readonly validation: ExampleArrays;
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly trials: number;
  readonly epochs: number;
  readonly directory: string;
}

export async function articleSetup(): Promise<ArticleSetup> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', default: 'fashion-mnist' },
      trials: { type: 'string', default: '15' },
      epochs: { type: 'string', default: '4' },
      'train-size': { type: 'string', default: '12000' },
      directory: { type: 'string', default: 'article-example' },
    },
  });
  const load = { 'fashion-mnist': loadFashionMnist, mnist: loadMnist, cifar10: loadCifar10 }[
    values.dataset as 'fashion-mnist' | 'mnist' | 'cifar10'
  ];
  if (load === undefined) throw new Error(`--dataset must be fashion-mnist, mnist or cifar10.`);
  const data = await load({ allowSubset: true });
  // The trials are validated on training images they do not train on. The article validated on
  // its test images: then the search picks the model that does best on those very images, and
  // their score of it is no longer an estimate of how it does on new data. The test set is
  // kept for the one score at the end.
  const trainSize = Math.min(Number(values['train-size']), Math.floor(data.train.count * 0.8));
  const valSize = Math.min(5000, data.train.count - trainSize);
  console.log(
    `${data.name} from ${data.source}: trials train on ${trainSize} training images, are validated on ${valSize} others, and the ${data.test.count} test images are scored once, at the end.`,
  );
  return {
    data,
    train: imageSplitToArrays(sliceSplit(data.train, 0, trainSize)),
    validation: imageSplitToArrays(sliceSplit(data.train, trainSize, trainSize + valSize)),
    inputShape: data.train.shape,
    classes: data.classNames.length,
    trials: Number(values.trials),
    epochs: Number(values.epochs),
    directory: values.directory as string,
  };
}

/**
 * Bayesian optimisation of `buildModel` (the study lives in <directory>/experiment-<n>-<data>/
 * study.db: run again to resume), then the article's ending: the best model's layers and its
 * test score. (The article's tuner used Keras Tuner's UCB acquisition: `acquisition: 'ucb'`.)
 */
export async function searchAndScore(
  buildModel: (hp: HyperParameters) => LayersModel,
  setup: ArticleSetup,
  experiment: 1 | 2 | 3,
): Promise<void> {
  const tuner = new BayesianOptimization({
    hypermodel: buildModel,
    objective: 'val_accuracy',
    maxTrials: setup.trials,
    directory: setup.directory,
    projectName: `experiment-${experiment}-${setup.data.name}`,
    seed: 1,
  });
  console.log(await tuner.searchSpaceSummary());
  await tuner.search(setup.train.x, setup.train.y, {
    epochs: setup.epochs,
    batchSize: 128,
    validationData: [setup.validation.x, setup.validation.y],
    verbose: 1,
  });
  console.log(await tuner.resultsSummary(3));
  // The best trial's model, with the weights of its best epoch (as Keras Tuner's get_best_models).
  const [best] = await tuner.getBestModels(1);
  if (best === undefined) throw new Error('No trial completed.');
  console.log(modelSummary(best));
  const test = imageSplitToArrays(setup.data.test);
  const scores = evaluateModel(best, test.x, test.y);
  console.log(
    `Test loss ${scores['loss']?.toFixed(4)}, test accuracy ${scores['accuracy']?.toFixed(4)}.`,
  );
  best.dispose();
  await tuner.close();
}
