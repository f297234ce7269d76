/**
 * The search's data, written once by the main process of the example into one file of the
 * project folder and read by its worker processes: each worker reads the few megabytes of the
 * training and validation subsets in one read, instead of decompressing and shuffling the
 * whole dataset again.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ImageSplit } from '../../datasets/index.js';
import { HypertunerError } from '../../index.js';

const MAGIC = 'hypertuner-search-data-1\n';

/** What the search processes share: the subsets and what the messages and the plan need. */
export interface SearchData {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly source: string;
  readonly dir: string;
  /** Images of the whole training and test splits. */
  readonly trainCount: number;
  readonly testCount: number;
  readonly fit: ImageSplit;
  readonly validation: ImageSplit;
  /** Identifies the options the subsets were drawn with (dataset, seed, sizes). */
  readonly key: string;
}

interface Header extends Omit<SearchData, 'fit' | 'validation'> {
  readonly shape: ImageSplit['shape'];
  readonly fitCount: number;
  readonly validationCount: number;
}

/** Writes `data` to `path` (through a temporary file, so a reader never sees half of it). */
export async function writeSearchData(path: string, data: SearchData): Promise<void> {
  const { fit, validation, ...rest } = data;
  const header: Header = {
    ...rest,
    shape: fit.shape,
    fitCount: fit.count,
    validationCount: validation.count,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(MAGIC.length + 4);
  head.set(new TextEncoder().encode(MAGIC));
  new DataView(head.buffer).setUint32(MAGIC.length, json.length, true);
  const parts = [head, json, fit.images, fit.labels, validation.images, validation.labels];
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, parts);
  await rename(temporary, path);
}

/** Reads what {@link writeSearchData} wrote, checking that it was drawn with `key`. */
export async function readSearchData(path: string, key: string): Promise<SearchData> {
  const bad = (why: string): HypertunerError =>
    new HypertunerError('EXAMPLE_DATA_INVALID', `The search data in ${path} ${why}.`, {
      field: 'data',
    });
  const bytes = await readFile(path).catch(() => {
    throw bad('cannot be read (the main process writes it before starting workers)');
  });
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC)
    throw bad('is not a hypertuner search-data file');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  let at = MAGIC.length + 4;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + length))) as Header;
  at += length;
  if (header.key !== key) throw bad(`was drawn for other options (${header.key}, not ${key})`);
  const size = header.shape.reduce((a, b) => a * b, 1);
  // plain views of the file's bytes (not Buffers), without a copy
  const take = (n: number): Uint8Array => {
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + at, n);
    at += n;
    return view;
  };
  const split = (count: number): ImageSplit => ({
    images: take(count * size),
    labels: take(count),
    count,
    shape: header.shape,
  });
  const fit = split(header.fitCount);
  const validation = split(header.validationCount);
  if (at !== bytes.length) throw bad(`has ${bytes.length} bytes, not ${at}`);
  const { shape: _shape, fitCount: _f, validationCount: _v, ...rest } = header;
  return { ...rest, fit, validation };
}
