/**
 * Test fixtures written by hand from the format descriptions (independently of src/datasets):
 * IDX files, CIFAR-10 binary records, ustar archives, temporary directories.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An unsigned-byte IDX file: 0, 0, 0x08, rank, big-endian sizes, data. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((n, i) => header.writeUInt32BE(n, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([header, data]));
}

/** `count` 28x28 images whose pixel (y, x) of image i is (i * 7 + y * 3 + x) % 256. */
export function mnistLike(
  count: number,
  h = 28,
  w = 28,
): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(count * h * w);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 10;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) images[(i * h + y) * w + x] = (i * 7 + y * 3 + x) % 256;
    }
  }
  return { images, labels };
}

/** Value of CIFAR pixel (y, x), channel c of record `i` of batch `b` in the fixtures. */
export function cifarValue(b: number, i: number, y: number, x: number, c: number): number {
  return (b * 31 + i * 17 + y * 5 + x * 3 + c * 101) % 256;
}

/** A CIFAR-10 binary batch of `count` records: label byte, then R, G, B planes of 32x32. */
export function cifarBatch(b: number, count: number): Uint8Array {
  const out = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) {
    const r = i * 3073;
    out[r] = (b + i) % 10;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) out[r + 1 + c * 1024 + y * 32 + x] = cifarValue(b, i, y, x, c);
      }
    }
  }
  return out;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header block (type '0' file or '5' directory). */
function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\u000000', 257);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

/** A ustar archive of the given files, with a directory entry for each folder. */
export function tarArchive(files: { path: string; data: Uint8Array }[]): Uint8Array {
  const parts: Buffer[] = [];
  const dirs = new Set(files.map((f) => f.path.split('/').slice(0, -1).join('/')).filter((d) => d));
  for (const dir of dirs) parts.push(tarHeader(`${dir}/`, 0, '5'));
  for (const f of files) {
    parts.push(tarHeader(f.path, f.data.length, '0'), Buffer.from(f.data));
    parts.push(Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return new Uint8Array(Buffer.concat(parts));
}

/** A fresh temporary directory and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hypertuner-datasets-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
