/**
 * After the search: the model to score on the test set. The best hyperparameters retrained
 * from scratch on the whole training set (saved, and reused by a rerun with the same
 * settings), or with --final-epochs 0 the best trial's own checkpoint.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { ImageDataset } from '../../datasets/index.js';
import type { HyperParameters, Trial } from '../../index.js';
import type * as Tfjs from '../../tfjs/index.js';
import type { LayersModel, Tuner } from '../../tfjs/index.js';
import { metricText, seconds } from './text.js';

/** Name of the file saying which training the saved best model had (so a rerun can reuse it). */
const STAMP_FILE = 'hypertuner-final.json';

export interface FinalModelInput {
  readonly tfjs: typeof Tfjs;
  readonly tuner: Tuner;
  readonly hypermodel: (hp: HyperParameters) => LayersModel;
  readonly best: Trial;
  readonly hp: HyperParameters;
  readonly data: ImageDataset;
  readonly finalEpochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly live: boolean;
  readonly say: (text: string) => void;
  /** Stop training rather than run past this time (ms since 1970). */
  readonly deadline: number;
}

export interface FinalModel {
  /** The caller disposes it. */
  readonly model: LayersModel;
  /** Where the model came from, as a sentence part. */
  readonly how: string;
  /** The folder holding its files. */
  readonly folder: string;
}

/** Trains the final model on all training images, with a bar (or lines); returns the epochs run. */
async function retrain(
  tfjs: typeof Tfjs,
  model: LayersModel,
  all: Tfjs.ExampleArrays,
  options: Pick<FinalModelInput, 'batchSize' | 'seed' | 'live' | 'say' | 'deadline'> & {
    readonly epochs: number;
  },
): Promise<number> {
  const { epochs, batchSize, seed, live, say, deadline } = options;
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
  const batches = Math.ceil(all.count / batchSize);
  let epochStart = Date.now();
  let trained = 0;
  await tfjs.fitModel(model, all.x, all.y, {
    epochs,
    batchSize,
    seed,
    callbacks: [
      {
        onEpochBegin: (e) => {
          epochStart = Date.now();
          bar?.start(batches, 0, { epoch: `${e + 1}/${epochs}`, text: '' });
        },
        onBatchEnd: (b, logs) =>
          bar?.update(b + 1, { text: `loss ${(logs?.['loss'] ?? NaN).toFixed(4)}` }),
        onEpochEnd: (e, logs) => {
          bar?.stop();
          say(`  final epoch ${e + 1}/${epochs}: ${metricText(tfjs.withMetricAliases(logs))}`);
          trained = e + 1;
          if (e + 1 < epochs && Date.now() + (Date.now() - epochStart) * 1.2 > deadline)
            model.stopTraining = true;
        },
      },
    ],
  });
  return trained;
}

export async function finalModel(input: FinalModelInput): Promise<FinalModel> {
  const { tfjs, tuner, hypermodel, best, hp, data, finalEpochs, batchSize, seed, say } = input;
  const saved = join(resolve(tuner.directory), tuner.projectName, 'best-model');
  if (finalEpochs === 0) {
    return {
      model: await tuner.loadModel(best),
      how: `the best trial's (#${best.number}) checkpoint of its best epoch, not retrained (--final-epochs 0)`,
      folder: tuner.checkpointDir(best.number),
    };
  }
  const stamp = JSON.stringify({
    params: hp.values,
    finalEpochs,
    trainImages: data.train.count,
    batchSize,
    seed,
  });
  if ((await readFile(join(saved, STAMP_FILE), 'utf8').catch(() => '')) === stamp) {
    const model = hypermodel(hp);
    await tfjs.loadWeightsInto(model, saved);
    return {
      model,
      how: `retrained earlier with the best hyperparameters (trial #${best.number}) on all ${data.train.count} training images for ${finalEpochs} epochs, reloaded from ${saved}/ (delete it to retrain)`,
      folder: saved,
    };
  }
  say(
    `Retraining the best hyperparameters (trial #${best.number}) from scratch on all ${data.train.count} training images for ${finalEpochs} epoch(s)...`,
  );
  const started = Date.now();
  const model = hypermodel(hp);
  const trained = await retrain(tfjs, model, tfjs.imageSplitToArrays(data.train), {
    ...input,
    epochs: finalEpochs,
  });
  const cut =
    trained < finalEpochs
      ? ` (stopped after ${trained} of ${finalEpochs} epochs to stay within --time-budget)`
      : '';
  await rm(join(saved, STAMP_FILE), { force: true });
  await tfjs.saveModel(model, saved);
  if (trained === finalEpochs) await writeFile(join(saved, STAMP_FILE), stamp);
  return {
    model,
    how: `retrained from scratch with the best hyperparameters (trial #${best.number}) on all ${data.train.count} training images for ${trained} epochs${cut} in ${seconds(Date.now() - started)}`,
    folder: saved,
  };
}
