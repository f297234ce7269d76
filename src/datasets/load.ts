import { ensureOption } from './errors.js';
import { locateDataset } from './locate.js';
import type { DatasetSpec } from './locate.js';
import type { ImageDataset, ImageSplit, LoadDatasetOptions } from './types.js';

/** Reads train and test splits from what a spec's `find` returned, within the limits. */
export type SplitReader<T> = (
  found: T,
  limitTrain: number,
  limitTest: number,
) => Promise<{ train: ImageSplit; test: ImageSplit }>;

function checkLimit(value: number | undefined, field: string): number {
  if (value === undefined) return Infinity;
  ensureOption(Number.isInteger(value) && value >= 0, field, `an integer >= 0, got ${value}`);
  return value;
}

/** Locates a dataset (see `locateDataset`) and reads it: the body of every `load*` function. */
export async function loadImageDataset<T>(
  spec: DatasetSpec<T>,
  classNames: readonly string[],
  read: SplitReader<T>,
  options: LoadDatasetOptions,
): Promise<ImageDataset> {
  const limitTrain = checkLimit(options.limitTrain, 'limitTrain');
  const limitTest = checkLimit(options.limitTest, 'limitTest');
  const located = await locateDataset(spec, options);
  const { train, test } = await read(located.found, limitTrain, limitTest);
  return {
    name: spec.name,
    train,
    test,
    classNames,
    source: located.source,
    dir: located.dir,
    ...(located.fallbackReason === undefined ? {} : { fallbackReason: located.fallbackReason }),
  };
}
