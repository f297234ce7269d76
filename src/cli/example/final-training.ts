/**
 * After the search: the model to score on the test set. The best hyperparameters retrained
 * from scratch on every training image but a held-out slice (the search's validation images),
 * on two threads where that measures faster, for the planned epochs and on while time is left
 * (at most twice as many; the epoch running when the time is up ends there and is scored as
 * the others), stopping when the held-out accuracy has not improved for `patience` epochs, and
 * keeping the best epoch's weights; or, with --final-epochs 0, the best
 * trial's own checkpoint. A retrained model is saved, and reused by a rerun with the same
 * settings.
 */
import { availableParallelism } from 'node:os';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { ImageDataset } from '../../datasets/index.js';
import type { HyperParameters, Trial } from '../../index.js';
import type * as Tfjs from '../../tfjs/index.js';
import type { LayersModel, Tuner } from '../../tfjs/index.js';
import { EVAL_SHARE } from './budget-plan.js';
import { finalSplit } from './data.js';
import { metricText, seconds } from './text.js';
import { plural } from '../../plural.js';

/** Name of the file saying which training the saved best model had (so a rerun can reuse it). */
const STAMP_FILE = 'hypertuner-final.json';
/** Scoring is given this much more time than the training's speed says it needs. */
const RESERVE_SAFETY = 1.5;
/** Batches after the first before the measured speed replaces the plan's. */
const RATE_AFTER_BATCHES = 20;

export interface FinalModelInput {
  readonly tfjs: typeof Tfjs;
  readonly tuner: Tuner;
  readonly hypermodel: (hp: HyperParameters) => LayersModel;
  readonly best: Trial;
  readonly hp: HyperParameters;
  readonly data: ImageDataset;
  /** Size of the held-out slice (the search's --val-size) and the seed that drew it. */
  readonly heldOutSize: number;
  readonly finalEpochs: number;
  /** Why the best trial's checkpoint is used instead of retraining (with finalEpochs 0). */
  readonly noRetrain?: string;
  readonly patience: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly live: boolean;
  readonly say: (text: string) => void;
  /**
   * When the time budget ends (ms since 1970). Training stops early enough to score the held-out
   * slice and the test set (`evalExamples` examples, forward only) by then, at the speed it
   * measures as it trains, and at least `minReserveMs` before it.
   */
  readonly budgetEnd: number;
  readonly evalExamples: number;
  readonly minReserveMs: number;
}

export interface FinalModel {
  /** The caller disposes it. */
  readonly model: LayersModel;
  /** Where the model came from, as a sentence part. */
  readonly how: string;
  /** The folder holding its files. */
  readonly folder: string;
  /** How the retraining went (undefined when the model was not retrained now). */
  readonly retrained?: Retrained;
  /** How long it took (ms). */
  readonly ms: number;
}

/** Why the final training ended. */
export type Ending = 'epochs' | 'patience' | 'deadline';

export interface Retrained {
  readonly epochs: number;
  /** The last epoch was cut short by the deadline. */
  readonly partial: boolean;
  readonly bestEpoch: number;
  readonly bestAccuracy: number;
  readonly ending: Ending;
  /** How fastFit trained (e.g. the dense trainer on 2 threads). */
  readonly trainedWith: string;
}

/** Trains the final model (with a bar, or lines); leaves it with its best epoch's weights. */
async function retrain(
  tfjs: typeof Tfjs,
  model: LayersModel,
  fit: Tfjs.ExampleArrays,
  heldOut: Tfjs.ExampleArrays,
  options: Pick<
    FinalModelInput,
    | 'batchSize'
    | 'seed'
    | 'live'
    | 'say'
    | 'budgetEnd'
    | 'evalExamples'
    | 'minReserveMs'
    | 'finalEpochs'
    | 'patience'
  >,
): Promise<Retrained> {
  const { finalEpochs, patience, batchSize, seed, live, say, budgetEnd } = options;
  // the speed is measured from the end of the first batch (not the start-up: threads, caches)
  let first: { at: number; samples: number } | undefined;
  let samples = 0;
  // kept for scoring, at the speed measured so far (a forward pass: a third of a training step)
  const reserveMs = (): number => {
    const measured = first === undefined ? 0 : samples - first.samples;
    if (first === undefined || measured < RATE_AFTER_BATCHES * batchSize)
      return options.minReserveMs;
    const msPerSample = (Date.now() - first.at) / measured;
    return Math.max(
      options.minReserveMs,
      RESERVE_SAFETY * EVAL_SHARE * options.evalExamples * msPerSample,
    );
  };
  const most = 2 * finalEpochs;
  const bar = live
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'final epoch {epoch} |{bar}| {value}/{total} {text}',
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const batches = Math.ceil(fit.count / batchSize);
  let trained = 0;
  let partial = false;
  let ending: Ending = 'epochs';
  let best = { epoch: -1, accuracy: -Infinity, weights: [] as Tfjs.tf.Tensor[] };
  let trainedWith = '';
  try {
    const history = await tfjs.fastFit(model, fit.x, fit.y, {
      epochs: most,
      batchSize,
      seed,
      threads: Math.min(2, availableParallelism()),
      validationData: [heldOut.x, heldOut.y],
      callbacks: {
        onEpochBegin: (e) => {
          bar?.start(batches, 0, { epoch: `${e + 1}/${finalEpochs}`, text: '' });
        },
        onBatchEnd: (b, logs) => {
          bar?.update(b + 1, { text: `loss ${(logs['loss'] ?? NaN).toFixed(4)}` });
          // time is up: the epoch ends here, and is scored on the held-out slice as a whole one
          samples += logs['size'] ?? 0;
          first ??= { at: Date.now(), samples };
          if (Date.now() > budgetEnd - reserveMs() && ending !== 'deadline') {
            ending = 'deadline';
            partial = b + 1 < batches;
            model.stopTraining = true;
          }
        },
        onEpochEnd: (e, logs) => {
          bar?.stop();
          const accuracy = logs['val_acc'] ?? logs['val_accuracy'] ?? NaN;
          const improved = accuracy > best.accuracy;
          const part = partial ? ' (part of it: time is up)' : '';
          say(
            `  final epoch ${e + 1}/${finalEpochs}${part}: ${metricText(tfjs.withMetricAliases(logs))}${improved ? ' *' : ''}`,
          );
          trained = e + 1;
          if (improved) {
            tfjs.tf.dispose(best.weights);
            // variables get new data when trained, never in place: clones keep this epoch's
            best = { epoch: e, accuracy, weights: model.getWeights().map((w) => w.clone()) };
          }
          if (ending !== 'deadline' && e - best.epoch >= patience) {
            ending = 'patience';
            model.stopTraining = true;
          }
        },
      },
    });
    trainedWith = history.trainedWith;
    if (best.epoch >= 0) model.setWeights(best.weights);
  } finally {
    bar?.stop();
    tfjs.tf.dispose(best.weights);
  }
  return {
    epochs: trained,
    partial,
    bestEpoch: best.epoch,
    bestAccuracy: best.accuracy,
    ending,
    trainedWith,
  };
}

function endingText(r: Retrained, planned: number): string {
  switch (r.ending) {
    case 'patience':
      return `stopped after ${plural(r.epochs, 'epoch')}: no better held-out accuracy for the last ones`;
    case 'deadline':
      return r.partial
        ? `${plural(r.epochs - 1, 'epoch')} and part of one (${planned} planned), stopped when the time was up`
        : `${plural(r.epochs, 'epoch')} (${planned} planned), stopped when the time was up`;
    case 'epochs':
      return `${plural(r.epochs, 'epoch')} (${planned} planned${r.epochs > planned ? ', more while time was left' : ''})`;
    default: {
      const never: never = r.ending;
      return String(never);
    }
  }
}

export async function finalModel(input: FinalModelInput): Promise<FinalModel> {
  const { tfjs, tuner, hypermodel, best, hp, data, finalEpochs, batchSize, seed, say } = input;
  const saved = join(resolve(tuner.directory), tuner.projectName, 'best-model');
  const started = Date.now();
  if (finalEpochs === 0) {
    return {
      ms: Date.now() - started,
      model: await tuner.loadModel(best),
      how: `the best trial's (#${best.number}) checkpoint of its best epoch, not retrained (${input.noRetrain ?? '--final-epochs 0'})`,
      folder: tuner.checkpointDir(best.number),
    };
  }
  const { fit, heldOut } = finalSplit(data.train, input.heldOutSize, seed);
  const stamp = JSON.stringify({
    params: hp.values,
    finalEpochs,
    patience: input.patience,
    trainImages: fit.count,
    heldOut: heldOut.count,
    batchSize,
    seed,
  });
  if ((await readFile(join(saved, STAMP_FILE), 'utf8').catch(() => '')) === stamp) {
    const model = hypermodel(hp);
    await tfjs.loadWeightsInto(model, saved);
    return {
      ms: Date.now() - started,
      model,
      how: `retrained earlier with the best hyperparameters (trial #${best.number}) on ${fit.count} training images, reloaded from ${saved}/ (delete it to retrain)`,
      folder: saved,
    };
  }
  say(
    `Retraining the best hyperparameters (trial #${best.number}) from scratch on ${fit.count} training images (${heldOut.count} held out to stop when they stop improving), ${plural(finalEpochs, 'epoch')} planned...`,
  );
  const model = hypermodel(hp);
  const result = await retrain(
    tfjs,
    model,
    tfjs.imageSplitToArrays(fit),
    tfjs.imageSplitToArrays(heldOut),
    input,
  );
  await rm(join(saved, STAMP_FILE), { force: true });
  await tfjs.saveModel(model, saved);
  // a training cut by the deadline depends on the machine's speed: not reused
  if (result.ending !== 'deadline') await writeFile(join(saved, STAMP_FILE), stamp);
  return {
    model,
    retrained: result,
    ms: Date.now() - started,
    how:
      `retrained from scratch with the best hyperparameters (trial #${best.number}) on ${fit.count} training images, ` +
      `${endingText(result, finalEpochs)}, kept epoch ${result.bestEpoch + 1} (held-out accuracy ${result.bestAccuracy.toFixed(4)}), ` +
      `${result.trainedWith}, in ${seconds(Date.now() - started)}`,
    folder: saved,
  };
}
