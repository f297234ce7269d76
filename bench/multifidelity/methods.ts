/**
 * The searches of the benchmark, each with the same budget of training epochs: plain
 * RandomSearch (every trial trains maxEpochs), Hyperband with random and with TPE sampling of
 * new configurations, and BayesianOptimization with ASHA (SuccessiveHalvingPruner). Each run
 * records the validation accuracy of every epoch trained, in order: the curve "best accuracy
 * after e epochs" is then comparable across methods.
 */
import { rmSync } from 'node:fs';
import type { LayersModel } from '@tensorflow/tfjs';
import type { HyperParameters, SuccessiveHalvingPrunerOptions } from '../../src/index.js';
import { SuccessiveHalvingPruner, TpeOracle } from '../../src/index.js';
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

export const METHODS = ['random', 'hyperband', 'bo-asha', 'hyperband-tpe'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_LABEL: Readonly<Record<Method, string>> = {
  random: 'RandomSearch, full training',
  hyperband: 'Hyperband',
  'bo-asha': 'BayesianOptimization + ASHA',
  'hyperband-tpe': 'Hyperband + TPE sampler',
};

/** The round-0 sampler of Hyperband + TPE (model-based Hyperband, as BOHB). */
export const HYPERBAND_TPE = { nStartupTrials: 5, multivariate: true } as const;

/** The pruner of BayesianOptimization + ASHA in the default run. */
export const ASHA_DEFAULTS = { minResource: 1, reductionFactor: 3, firstStep: 1 } as const;

/**
 * The pruner's settings and where its rungs fall: the tuner reports step = epoch index
 * (0-based, as Keras), so the rung at step s is decided after s + 1 epochs.
 */
export function ashaText(asha: SuccessiveHalvingPrunerOptions, maxEpochs = 9): string {
  const pruner = new SuccessiveHalvingPruner(asha);
  const rungs: number[] = [];
  for (let k = 0; pruner.rungStep(k) < maxEpochs - 1; k++) rungs.push(pruner.rungStep(k) + 1);
  return (
    `(SuccessiveHalvingPruner minResource ${pruner.minResource}, reductionFactor ${pruner.reductionFactor}, firstStep ${pruner.firstStep}: ` +
    `rungs after epoch ${rungs.join(', ')} of ${maxEpochs})`
  );
}

/** Each method's stream of search seeds; the two Hyperbands share one (see `searchSeed`). */
const SEED_STREAM: Readonly<Record<Method, number>> = {
  random: 0,
  hyperband: 1,
  'bo-asha': 2,
  'hyperband-tpe': 1,
};

/**
 * The seed of a method's search for benchmark seed `seed`: 3 * seed + its stream, so random
 * search, Hyperband and BayesianOptimization see none of each other's configurations. With
 * one shared seed, Hyperband's round-0 sampler (seeded random search) would draw random
 * search's very configurations: its first bracket would re-rank random search's own nine
 * candidates, and the runs compared would not be independent (see README.md). The two
 * Hyperbands share a stream on purpose: the TPE sampler's random start-up trials are plain
 * Hyperband's first ones, so what differs between them is what the model chose.
 * What all methods share per seed is the data.
 */
export function searchSeed(seed: number, method: Method): number {
  return 3 * seed + SEED_STREAM[method];
}

export interface RunSettings {
  readonly seed: number;
  readonly maxEpochs: number;
  readonly factor: number;
  /** Epochs every method may train. */
  readonly budget: number;
  readonly batchSize: number;
  /** The pruner of BayesianOptimization + ASHA. */
  readonly asha: SuccessiveHalvingPrunerOptions;
  /** BayesianOptimization's space-filling trials before the Gaussian process (default: the library's). */
  readonly boInitialPoints?: number;
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
    seed: searchSeed(s.seed, method),
    callbacks,
  } as const;
  let tuner: Tuner;
  switch (method) {
    case 'random':
      tuner = new RandomSearch({ ...common, maxTrials: Math.ceil(s.budget / s.maxEpochs) });
      break;
    case 'hyperband':
    case 'hyperband-tpe':
      tuner = new Hyperband({
        ...common,
        maxEpochs: s.maxEpochs,
        factor: s.factor,
        hyperbandIterations: 10,
        maxEpochsTotal: s.budget,
        ...(method === 'hyperband-tpe'
          ? { sampler: new TpeOracle({ ...HYPERBAND_TPE, seed: common.seed }) }
          : {}),
      });
      break;
    case 'bo-asha':
      tuner = new BayesianOptimization({
        ...common,
        maxTrials: 1000,
        pruner: new SuccessiveHalvingPruner(s.asha),
        ...(s.boInitialPoints === undefined ? {} : { numInitialPoints: s.boInitialPoints }),
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
