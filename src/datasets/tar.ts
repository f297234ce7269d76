import { ensureFormat } from './errors.js';

/** A regular file of a tar archive; `data` is a view into the archive's bytes. */
export interface TarEntry {
  readonly path: string;
  readonly data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

/** A NUL-terminated string field of a header. */
function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return decoder.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function numberField(block: Uint8Array, offset: number, length: number, what: string): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (block[offset + i] ?? 0);
    return value;
  }
  const text = field(block, offset, length).trim();
  if (text === '') return 0;
  ensureFormat(/^[0-7]+$/.test(text), what, `bad tar header number "${text}"`);
  return parseInt(text, 8);
}

/** Checks a header's checksum (the byte sum with the checksum field read as spaces). */
function checksumOk(block: Uint8Array, what: string): boolean {
  const stored = numberField(block, 148, 8, what);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === stored;
}

/** The `path=` record of a pax extended header, if any. */
function paxPath(data: Uint8Array): string | undefined {
  for (const line of decoder.decode(data).split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Lists the regular files of an (uncompressed) tar archive: ustar, with GNU long names and pax
 * paths. Other entries (directories, links) are skipped. `what` names the archive in errors.
 */
export function readTar(bytes: Uint8Array, what: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    ensureFormat(checksumOk(header, what), what, `bad tar header checksum at byte ${offset}`);
    const size = numberField(header, 124, 12, what);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    ensureFormat(
      dataStart + size <= bytes.length,
      what,
      `tar entry at byte ${offset} declares ${size} bytes, archive ends first (truncated?)`,
    );
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    const prefix = decoder.decode(header.subarray(257, 263)).startsWith('ustar')
      ? field(header, 345, 155)
      : '';
    const name = field(header, 0, 100);
    const path = longName ?? (prefix === '' ? name : `${prefix}/${name}`);
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') entries.push({ path, data });
  }
  return entries;
}
