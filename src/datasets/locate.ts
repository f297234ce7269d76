import { join } from 'node:path';
import { resolveCacheRoot } from './cache-dir.js';
import { downloadFile } from './download.js';
import { DATASET_ERROR_CODES, DatasetError, ensureOption } from './errors.js';
import { isFile } from './files.js';
import type { DatasetName, DatasetSource, LocateOptions } from './types.js';

/** A file that a download fetches. */
export interface DatasetFile {
  readonly name: string;
  /** MD5 (hex) of the published file. */
  readonly md5: string;
  /** Official URLs, tried in order. */
  readonly urls: readonly string[];
}

/**
 * What {@link locateDataset} needs to know about a dataset. `find` recognizes a usable copy in a
 * directory and returns whatever the reader needs (file paths, layout), else `undefined`.
 */
export interface DatasetSpec<T> {
  readonly name: DatasetName;
  /** Human name for messages, e.g. `Fashion-MNIST`. */
  readonly title: string;
  /** Files to download into the cache. */
  readonly files: readonly DatasetFile[];
  /** Human list of the files a directory must hold, for the not-found message. */
  readonly expected: string;
  /** System directories (a Debian package's) looked in after the cache. */
  readonly systemDirs: readonly string[];
  /** How to get the system copy, e.g. `apt-get install dataset-fashion-mnist`. */
  readonly systemHint?: string;
  /** Directory of a subset shipped with the package, used only with `allowSubset`. */
  readonly bundledSubsetDir?: string;
  readonly find: (dir: string) => Promise<T | undefined>;
}

/** Where a dataset was found. */
export interface Located<T> {
  readonly source: DatasetSource;
  readonly dir: string;
  readonly found: T;
  readonly fallbackReason?: string;
}

/**
 * Finds a dataset, in this order: the explicit `dataDir` (when given, the only place looked in);
 * the cache `<root>/<name>/` (see `resolveCacheRoot`); the system directories (Debian's); a
 * download into the cache (unless `download: false`); the bundled subset (with `allowSubset`).
 * Throws `DATASET_NOT_FOUND` naming the files and where to put them, `DATASET_CHECKSUM_MISMATCH`
 * when a download had the wrong digest.
 */
export async function locateDataset<T>(
  spec: DatasetSpec<T>,
  options: LocateOptions = {},
): Promise<Located<T>> {
  if (options.dataDir !== undefined) return locateExplicit(spec, options.dataDir);
  const cacheDir = join(resolveCacheRoot(options), spec.name);
  const cached = await spec.find(cacheDir);
  if (cached !== undefined) return { source: 'cache', dir: cacheDir, found: cached };
  const systemDirs = options.systemDirs ?? spec.systemDirs;
  for (const dir of systemDirs) {
    const found = await spec.find(dir);
    if (found !== undefined) return { source: 'debian', dir, found };
  }
  let why = 'downloads are off (download: false)';
  let downloadError: DatasetError | undefined;
  if (options.download !== false) {
    try {
      await downloadInto(spec, cacheDir, options);
      const found = await spec.find(cacheDir);
      if (found !== undefined) return { source: 'download', dir: cacheDir, found };
      why = `the downloaded files in ${cacheDir} were not recognized`;
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      if (error.code !== DATASET_ERROR_CODES.downloadFailed) throw error;
      downloadError = error;
      why = `the download failed: ${error.message}`;
    }
  }
  if (options.allowSubset === true && spec.bundledSubsetDir !== undefined) {
    const found = await spec.find(spec.bundledSubsetDir);
    if (found !== undefined) {
      const fallbackReason = `no full copy found and ${why}`;
      return { source: 'bundled-subset', dir: spec.bundledSubsetDir, found, fallbackReason };
    }
  }
  throw notFound(spec, cacheDir, systemDirs, why, downloadError);
}

async function locateExplicit<T>(spec: DatasetSpec<T>, dataDir: string): Promise<Located<T>> {
  ensureOption(dataDir !== '', 'dataDir', 'a non-empty directory path');
  for (const dir of [dataDir, join(dataDir, spec.name)]) {
    const found = await spec.find(dir);
    if (found !== undefined) return { source: 'explicit', dir, found };
  }
  throw new DatasetError(
    DATASET_ERROR_CODES.notFound,
    `${spec.title} not found in dataDir ${dataDir} (nor in ${join(dataDir, spec.name)}): ` +
      `put ${spec.expected} there, or leave dataDir unset to use the cache or a download`,
    { field: 'dataDir' },
  );
}

async function downloadInto<T>(spec: DatasetSpec<T>, dir: string, options: LocateOptions) {
  if (options.mirror !== undefined) {
    ensureOption(URL.canParse(options.mirror), 'mirror', `a base URL, got "${options.mirror}"`);
  }
  const mirror = options.mirror?.replace(/\/*$/, '/');
  for (const file of spec.files) {
    const dest = join(dir, file.name);
    if (await isFile(dest)) continue;
    await downloadFile({
      urls: mirror === undefined ? file.urls : [mirror + file.name],
      dest,
      md5: file.md5,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    });
  }
}

function notFound<T>(
  spec: DatasetSpec<T>,
  cacheDir: string,
  systemDirs: readonly string[],
  why: string,
  cause: unknown,
): DatasetError {
  const looked = [cacheDir, ...systemDirs].join(', ');
  const hints = [
    `put ${spec.expected} in ${cacheDir} (or pass dataDir, or set HYPERTUNER_DATA_DIR to a folder holding ${spec.name}/)`,
    ...(spec.systemHint === undefined ? [] : [`run \`${spec.systemHint}\``]),
    ...(spec.bundledSubsetDir === undefined
      ? []
      : ['allow the bundled subset (allowSubset: true)']),
  ];
  return new DatasetError(
    DATASET_ERROR_CODES.notFound,
    `${spec.title} not found (looked in ${looked}) and ${why}. To fix: ${hints.join('; or ')}.`,
    { field: 'dataDir', cause },
  );
}
