/**
 * The three searches of the benchmark, each with the same budget of training epochs:
 * plain RandomSearch (every trial trains maxEpochs), Hyperband, and BayesianOptimization with
 * ASHA (SuccessiveHalvingPruner). Each run records the validation accuracy of every epoch
 * trained, in order: the curve "best accuracy after e epochs" is then comparable across methods.
 */
import { rmSync } from 'node:fs';
import type { LayersModel } from '@tensorflow/tfjs';
import type { HyperParameters } from '../../src/index.js';
import { SuccessiveHalvingPruner } from '../../src/index.js';
import {
  BayesianOptimization,
  HyperModel,
  Hyperband,
  RandomSearch,
  fitModel,
} from '../../src/tfjs/index.js';
import type {
  ExampleArrays,
  FitArgs,
  Tuner,
  TunerCallbacks,
  TunerInput,
} from '../../src/tfjs/index.js';
import { mlp } from './space.js';

export const METHODS = ['random', 'hyperband', 'bo-asha'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_LABEL: Readonly<Record<Method, string>> = {
  random: 'RandomSearch, full training',
  hyperband: 'Hyperband',
  'bo-asha': 'BayesianOptimization + ASHA',
};

export interface RunSettings {
  readonly seed: number;
  readonly maxEpochs: number;
  readonly factor: number;
  /** Epochs every method may train. */
  readonly budget: number;
  readonly batchSize: number;
  readonly train: ExampleArrays;
  readonly validation: ExampleArrays;
  readonly directory: string;
}

export interface MethodRun {
  readonly method: Method;
  readonly seed: number;
  /** Validation accuracy of each epoch trained, in the order they were trained. */
  readonly curve: readonly number[];
  readonly trials: number;
  readonly pruned: number;
  readonly seconds: number;
}

/** Trains as the tuner does, and stops any training once the budget is spent. */
class BudgetedMlp extends HyperModel {
  constructor(private readonly spent: () => boolean) {
    super();
  }
  build(hp: HyperParameters): LayersModel {
    return mlp(hp);
  }
  fit(_hp: HyperParameters, model: LayersModel, x: TunerInput, y: TunerInput, args: FitArgs) {
    const stop = {
      onEpochEnd: () => {
        if (this.spent()) model.stopTraining = true;
      },
    };
    return fitModel(model, x, y, { ...args, callbacks: [...args.callbacks, stop] });
  }
}

export async function runMethod(method: Method, s: RunSettings): Promise<MethodRun> {
  const curve: number[] = [];
  const stop = new AbortController();
  const callbacks: TunerCallbacks = {
    onEpochEnd: (info) => {
      curve.push(info.logs['val_accuracy'] ?? Number.NaN);
      if (curve.length >= s.budget) stop.abort();
    },
  };
  const hypermodel = new BudgetedMlp(() => curve.length >= s.budget);
  const common = {
    hypermodel,
    objective: 'val_accuracy',
    directory: s.directory,
    projectName: `${method}-${s.seed}`,
    storage: 'memory:',
    seed: s.seed,
    callbacks,
  } as const;
  let tuner: Tuner;
  switch (method) {
    case 'random':
      tuner = new RandomSearch({ ...common, maxTrials: Math.ceil(s.budget / s.maxEpochs) });
      break;
    case 'hyperband':
      tuner = new Hyperband({
        ...common,
        maxEpochs: s.maxEpochs,
        factor: s.factor,
        hyperbandIterations: 10,
        maxEpochsTotal: s.budget,
      });
      break;
    case 'bo-asha':
      tuner = new BayesianOptimization({
        ...common,
        maxTrials: 1000,
        pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: s.factor }),
      });
      break;
  }
  const started = performance.now();
  try {
    await tuner.search(s.train.x, s.train.y, {
      epochs: s.maxEpochs,
      batchSize: s.batchSize,
      validationData: [s.validation.x, s.validation.y],
      signal: stop.signal,
    });
    const trials = await (await tuner.study()).trials();
    return {
      method,
      seed: s.seed,
      curve: curve.slice(0, s.budget),
      trials: trials.length,
      pruned: trials.filter((t) => t.status === 'PRUNED').length,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await tuner.close();
    rmSync(s.directory, { recursive: true, force: true });
  }
}
