import { basename } from 'node:path';
import { ensureFormat } from './errors.js';
import { readMaybeGzipped } from './gzip.js';
import { plural } from '../plural.js';

/**
 * An IDX array of unsigned bytes (the MNIST file format): `dims` sizes, row-major `data`.
 * The format: two zero bytes, a type byte (0x08 = unsigned byte, the only type read here), the
 * number of dimensions, each size as a big-endian 32-bit integer, then the data.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses IDX bytes. `what` names the file in errors. With `expectedRank`, the number of
 * dimensions must be that (3 for images, 1 for labels).
 */
export function parseIdx(bytes: Uint8Array, what: string, expectedRank?: number): IdxArray {
  ensureFormat(bytes.length >= 4, what, `too short for an IDX header (${bytes.length} bytes)`);
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  ensureFormat(
    bytes[0] === 0 && bytes[1] === 0,
    what,
    `bad IDX magic number 0x${magic}: the first two bytes must be 0 (is it an IDX file?)`,
  );
  ensureFormat(
    bytes[2] === UNSIGNED_BYTE,
    what,
    `IDX data type 0x${magic.slice(4, 6)} is not supported: only unsigned bytes (0x08)`,
  );
  const rank = bytes[3] ?? 0;
  ensureFormat(rank >= 1, what, 'IDX header declares 0 dimensions');
  if (expectedRank !== undefined) {
    ensureFormat(
      rank === expectedRank,
      what,
      `expected ${plural(expectedRank, 'dimension')} (magic 0x0000080${expectedRank}), found ${rank} (magic 0x${magic})`,
    );
  }
  const headerLength = 4 + 4 * rank;
  ensureFormat(bytes.length >= headerLength, what, `truncated IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    size *= n;
  }
  const actual = bytes.length - headerLength;
  ensureFormat(
    actual === size,
    what,
    `IDX header declares dimensions [${dims.join(', ')}] = ${size} bytes of data, file has ${actual}`,
  );
  return { dims, data: bytes.subarray(headerLength) };
}

/** Encodes an unsigned-byte IDX array (used to write the bundled subset). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  ensureFormat(
    size === data.length,
    'encodeIdx',
    `dims give ${size} values, data has ${data.length}`,
  );
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Reads an IDX file, gzipped or not. */
export async function readIdxFile(path: string, expectedRank?: number): Promise<IdxArray> {
  return parseIdx(await readMaybeGzipped(path), basename(path), expectedRank);
}
