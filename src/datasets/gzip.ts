import { basename } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DATASET_ERROR_CODES, DatasetError } from './errors.js';
import { readBytes } from './files.js';

const gunzipAsync = promisify(gunzip);

/** Whether `bytes` start with the gzip magic number (0x1f 0x8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses `bytes` when they are gzip data, else returns them as they are. */
export async function maybeGunzip(bytes: Uint8Array, what: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (cause) {
    throw new DatasetError(
      DATASET_ERROR_CODES.format,
      `${what}: not valid gzip data (${cause instanceof Error ? cause.message : String(cause)})`,
      { field: what, cause },
    );
  }
}

/** Reads a file, decompressing it when it is gzip data (whatever its name). */
export async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  return maybeGunzip(await readBytes(path), basename(path));
}
