import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DATASET_ERROR_CODES, DatasetError } from './errors.js';
import type { DownloadProgress } from './types.js';

/** What {@link downloadFile} fetches and where it puts it. */
export interface DownloadOptions {
  /** URLs of the same file, tried in order until one succeeds (mirrors). */
  readonly urls: readonly string[];
  /** The final path. It appears only once the whole file is there and verified. */
  readonly dest: string;
  /** Expected MD5 (hex). When given, a file with another digest is deleted, never kept. */
  readonly md5?: string;
  readonly onProgress?: DownloadProgress;
  /** Abort after this many milliseconds without data. Default 60 000. */
  readonly idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * Downloads a file atomically: into a temporary file next to `dest`, counting bytes against
 * Content-Length and hashing as it goes; only a complete file with the right MD5 is renamed to
 * `dest`. On any failure the temporary file is removed, so `dest` is either absent or whole.
 * Throws `DATASET_CHECKSUM_MISMATCH` when a mirror served a file with the wrong digest (and no
 * other mirror served the right one), else `DATASET_DOWNLOAD_FAILED`.
 */
export async function downloadFile(options: DownloadOptions): Promise<void> {
  if (options.urls.length === 0) {
    throw new DatasetError(DATASET_ERROR_CODES.invalidOption, 'urls must name at least one URL', {
      field: 'urls',
    });
  }
  await mkdir(dirname(options.dest), { recursive: true });
  const errors: DatasetError[] = [];
  for (const url of options.urls) {
    try {
      await downloadOnce(url, options);
      return;
    } catch (error) {
      errors.push(asDownloadError(error, url));
    }
  }
  const mismatch = errors.find((e) => e.code === DATASET_ERROR_CODES.checksumMismatch);
  if (mismatch) throw mismatch;
  if (errors.length === 1 && errors[0]) throw errors[0];
  throw new DatasetError(
    DATASET_ERROR_CODES.downloadFailed,
    `could not download ${basename(options.dest)}: ${errors.map((e) => e.message).join('; ')}`,
    { field: 'urls', cause: errors },
  );
}

async function downloadOnce(url: string, options: DownloadOptions): Promise<void> {
  const { dest, md5, onProgress } = options;
  const file = basename(dest);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const temp = join(
    dirname(dest),
    `.${file}.${process.pid}-${randomBytes(6).toString('hex')}.part`,
  );
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), idleMs);
  const handle = await open(temp, 'wx');
  let closed = false;
  let received = 0;
  let total: number | undefined;
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok || response.body === null) {
      throw new DatasetError(
        DATASET_ERROR_CODES.downloadFailed,
        `${url}: HTTP ${response.status} ${response.statusText}`.trim(),
        { field: 'url' },
      );
    }
    total = declaredLength(response.headers);
    const hash = createHash('md5');
    onProgress?.(0, total, file);
    for await (const chunk of response.body) {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), idleMs);
      hash.update(chunk);
      await handle.write(chunk);
      received += chunk.length;
      onProgress?.(received, total, file);
    }
    if (total !== undefined && received !== total) {
      throw truncated(url, received, total);
    }
    await handle.sync();
    await handle.close();
    closed = true;
    const digest = hash.digest('hex');
    if (md5 !== undefined && digest !== md5.toLowerCase()) {
      throw new DatasetError(
        DATASET_ERROR_CODES.checksumMismatch,
        `${url}: MD5 of ${file} is ${digest}, expected ${md5.toLowerCase()}; the file was not kept`,
        { field: 'md5' },
      );
    }
    await rename(temp, dest);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    if (controller.signal.aborted) {
      throw new DatasetError(
        DATASET_ERROR_CODES.downloadFailed,
        `${url}: no data for ${idleMs} ms after ${received} bytes (idle timeout)`,
        { field: 'url', cause: error },
      );
    }
    if (received > 0) throw truncated(url, received, total, error);
    throw error;
  } finally {
    clearTimeout(timer);
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
  }
}

/** Content-Length, when the body is not re-encoded on the way (else it counts other bytes). */
function declaredLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding');
  const length = headers.get('content-length');
  if (length === null || (encoding !== null && encoding !== 'identity')) return undefined;
  const n = Number(length);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function truncated(url: string, received: number, total: number | undefined, cause?: unknown) {
  const of = total === undefined ? '' : ` of ${total}`;
  return new DatasetError(
    DATASET_ERROR_CODES.downloadFailed,
    `${url}: download truncated, connection ended after ${received}${of} bytes`,
    { field: 'url', cause },
  );
}

function asDownloadError(error: unknown, url: string): DatasetError {
  if (error instanceof DatasetError) return error;
  // fetch says "fetch failed"; the reason (ENOTFOUND, ECONNREFUSED, ...) is in its cause.
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined;
  const reason = typeof cause?.code === 'string' ? cause.code : cause?.message;
  const detail = typeof reason === 'string' && reason !== '' ? ` (${reason})` : '';
  const message = error instanceof Error ? error.message : String(error);
  return new DatasetError(DATASET_ERROR_CODES.downloadFailed, `${url}: ${message}${detail}`, {
    field: 'url',
    cause: error,
  });
}
