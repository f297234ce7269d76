import { basename, join } from 'node:path';
import { ensureFormat } from './errors.js';
import { isFile, readBytes } from './files.js';
import { maybeGunzip } from './gzip.js';
import { readTar } from './tar.js';
import type { ImageSplit } from './types.js';

/** Side of a CIFAR-10 image, in pixels. */
export const CIFAR10_SIDE = 32;
/** Bytes of one record: 1 label byte, then 1024 red, 1024 green and 1024 blue bytes. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * CIFAR10_SIDE * CIFAR10_SIDE;
/** The training batch files, in order. */
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
/** The test batch file. */
export const CIFAR10_TEST_FILE = 'test_batch.bin';
/** The folder of the batch files inside the official archive. */
export const CIFAR10_FOLDER = 'cifar-10-batches-bin';
/** The official archive's file name. */
export const CIFAR10_ARCHIVE = 'cifar-10-binary.tar.gz';

/**
 * Parses CIFAR-10 binary records into an NHWC split, reading at most `limit` records.
 * `what` names the file in errors; an empty file is a `DATASET_FORMAT` error.
 */
export function parseCifar10Batch(bytes: Uint8Array, what: string, limit = Infinity): ImageSplit {
  ensureFormat(
    bytes.length > 0,
    what,
    `is empty (0 bytes); a CIFAR-10 batch holds ${CIFAR10_RECORD_BYTES}-byte records`,
  );
  ensureFormat(
    bytes.length % CIFAR10_RECORD_BYTES === 0,
    what,
    `${bytes.length} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 records`,
  );
  const plane = CIFAR10_SIDE * CIFAR10_SIDE;
  const count = Math.min(bytes.length / CIFAR10_RECORD_BYTES, limit);
  const images = new Uint8Array(count * 3 * plane);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const record = i * CIFAR10_RECORD_BYTES;
    const label = bytes[record] ?? 0;
    ensureFormat(label < 10, what, `record ${i} has label ${label}; labels must be 0..9`);
    labels[i] = label;
    const out = i * 3 * plane;
    for (let p = 0; p < plane; p++) {
      const o = out + 3 * p;
      const src = record + 1 + p;
      images[o] = bytes[src] ?? 0;
      images[o + 1] = bytes[src + plane] ?? 0;
      images[o + 2] = bytes[src + 2 * plane] ?? 0;
    }
  }
  return { images, labels, count, shape: [CIFAR10_SIDE, CIFAR10_SIDE, 3] };
}

/** Joins splits of the same shape into one. */
export function concatSplits(
  splits: readonly ImageSplit[],
  shape: ImageSplit['shape'],
): ImageSplit {
  const count = splits.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(splits.reduce((n, s) => n + s.images.length, 0));
  const labels = new Uint8Array(count);
  let i = 0;
  let l = 0;
  for (const s of splits) {
    images.set(s.images, i);
    labels.set(s.labels, l);
    i += s.images.length;
    l += s.count;
  }
  return { images, labels, count, shape };
}

/** Where CIFAR-10 lies in a directory: loose batch files, or the official archive. */
export type Cifar10Layout =
  | { readonly kind: 'batches'; readonly dir: string }
  | { readonly kind: 'archive'; readonly path: string };

/**
 * Finds CIFAR-10 in `dir`: the six `.bin` files in `dir` itself or in `dir/cifar-10-batches-bin/`,
 * or `dir/cifar-10-binary.tar.gz`.
 */
export async function findCifar10(dir: string): Promise<Cifar10Layout | undefined> {
  const names = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  for (const candidate of [dir, join(dir, CIFAR10_FOLDER)]) {
    const present = await Promise.all(names.map((n) => isFile(join(candidate, n))));
    if (present.every(Boolean)) return { kind: 'batches', dir: candidate };
  }
  const archive = join(dir, CIFAR10_ARCHIVE);
  return (await isFile(archive)) ? { kind: 'archive', path: archive } : undefined;
}

/** Reads the train and test splits from a layout found by {@link findCifar10}. */
export async function readCifar10(
  layout: Cifar10Layout,
  limitTrain = Infinity,
  limitTest = Infinity,
): Promise<{ train: ImageSplit; test: ImageSplit }> {
  const getFile = await fileReader(layout);
  const shape = [CIFAR10_SIDE, CIFAR10_SIDE, 3] as const;
  const parts: ImageSplit[] = [];
  let left = limitTrain;
  for (const name of CIFAR10_TRAIN_FILES) {
    if (left <= 0) break;
    const part = parseCifar10Batch(await getFile(name), name, left);
    parts.push(part);
    left -= part.count;
  }
  const train = concatSplits(parts, shape);
  const test = parseCifar10Batch(await getFile(CIFAR10_TEST_FILE), CIFAR10_TEST_FILE, limitTest);
  return { train, test };
}

/** A function giving a batch file's bytes by its base name. */
async function fileReader(layout: Cifar10Layout): Promise<(name: string) => Promise<Uint8Array>> {
  if (layout.kind === 'batches') {
    return async (name) => readBytes(join(layout.dir, name));
  }
  const what = basename(layout.path);
  const bytes = await readBytes(layout.path);
  ensureFormat(bytes.length > 0, what, 'is empty (0 bytes); is the download incomplete?');
  const entries = readTar(await maybeGunzip(bytes, what), what);
  ensureFormat(entries.length > 0, what, 'holds no files; is the archive empty or truncated?');
  const byName = new Map(entries.map((e) => [basename(e.path), e.data]));
  return async (name) => {
    const data = byName.get(name);
    ensureFormat(data !== undefined, what, `archive has no ${CIFAR10_FOLDER}/${name}`);
    return data;
  };
}
