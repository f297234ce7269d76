/**
 * `HyperModel`: what a tuner searches over. As in Keras Tuner, either a `build(hp)` function
 * returning a compiled model, or an object (e.g. a subclass of {@link HyperModel}) with `build`
 * and an optional `fit(hp, model, x, y, fitArgs)` that may tune training itself — batch size,
 * epochs, the optimizer's learning rate (Keras Tuner issues #122, #613, #1042).
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { HyperParameters } from '../space/index.js';
import type { FitInput } from './training/index.js';

/** Features or labels as `tuner.search` takes them: a tensor, or a flat typed array. */
export type TunerInput = FitInput;

/**
 * What a tfjs callback's `setParams` receives before training (as `model.fit` gives it; a type,
 * not an interface, so that tfjs' own `Params` accepts it).
 */
export type TunerFitParams = {
  readonly epochs: number;
  readonly initialEpoch: number;
  /** Training examples. */
  readonly samples: number;
  /** Batches per epoch. */
  readonly steps: number;
  readonly batchSize: number;
  readonly verbose: number;
  readonly doValidation: boolean;
  /** Names of the logged metrics, `val_` ones included. */
  readonly metrics: string[];
};

/**
 * Per-epoch hooks the tuner passes to `fit`; they work with `fitModel` and with `model.fit`.
 * tfjs callbacks (`tf.callbacks.earlyStopping(...)`, subclasses of `tf.Callback`) are such
 * hooks too: `fitModel` calls their `setParams` and `setModel` before training, as `model.fit`
 * does, so EarlyStopping can stop a trial (which ends COMPLETED with its best epoch).
 */
export interface TunerFitCallback {
  /** Called by `fitModel` (and `model.fit`) before training with the model being trained. */
  setModel?(model: LayersModel): void;
  /** Called by `fitModel` (and `model.fit`) before training with the fit's parameters. */
  setParams?(params: TunerFitParams): void;
  onTrainBegin?(logs?: Readonly<Record<string, number>>): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Readonly<Record<string, number>>): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Readonly<Record<string, number>>): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Readonly<Record<string, number>>): void | Promise<void>;
  onTrainEnd?(logs?: Readonly<Record<string, number>>): void | Promise<void>;
}

/** What `fit` receives besides the model and data (Keras Tuner's `**kwargs` of `search`). */
export interface FitArgs {
  /** One past the last epoch to run. */
  readonly epochs: number;
  /** First epoch to run (Hyperband continues a parent trial's training). */
  readonly initialEpoch: number;
  readonly batchSize: number;
  /** Held-out data to evaluate after each epoch (logged as `val_*`). */
  readonly validationData: readonly [TunerInput, TunerInput] | undefined;
  /** The tuner's hooks first (reporting, pruning, checkpoints), then the user's. Pass them on. */
  readonly callbacks: readonly TunerFitCallback[];
  /** The trial's seed; `fitModel` shuffles with it. */
  readonly seed: number;
  /** Shuffle the examples every epoch. */
  readonly shuffle: boolean;
  /** `search`'s verbosity (0, 1 or 2). */
  readonly verbose: number;
}

/** What `fit` may return: a tfjs `History`, a fastFit history, a value, or final metrics. */
export type FitResult =
  | { readonly history: Readonly<Record<string, readonly (number | Tensor)[]>> }
  | number
  | Readonly<Record<string, number>>
  | void;

/** A build function: declares hyperparameters on `hp` and returns a compiled model. */
export type BuildFunction = (hp: HyperParameters) => LayersModel | Promise<LayersModel>;

/** An object with `build` and optionally `fit`. */
export interface HyperModelLike {
  build(hp: HyperParameters): LayersModel | Promise<LayersModel>;
  /**
   * Trains `model` (e.g. `fitModel(model, x, y, {...fitArgs, batchSize: hp.Choice(...)})`, or
   * `model.fit` with `callbacks: fitArgs.callbacks`). What it returns is the trial's result, as in
   * Keras Tuner: a number (the objective's value) or a metrics record containing the objective
   * wins over the epochs the tuner's callbacks saw; otherwise the trial's score is its best
   * epoch, from those callbacks or, when they saw no epoch, from the returned History.
   */
  fit?(
    hp: HyperParameters,
    model: LayersModel,
    x: TunerInput,
    y: TunerInput,
    fitArgs: FitArgs,
  ): Promise<FitResult> | FitResult;
}

/** Keras Tuner's `HyperModel` class: extend it and implement `build` (and `fit` if you like). */
export abstract class HyperModel implements HyperModelLike {
  abstract build(hp: HyperParameters): LayersModel | Promise<LayersModel>;
}

/** What the `hypermodel` option takes. */
export type HyperModelInput = BuildFunction | HyperModelLike;

/** The object form of a hypermodel given either way. */
export function toHyperModel(input: HyperModelInput): HyperModelLike {
  if (typeof input === 'function') return { build: input };
  return input;
}
