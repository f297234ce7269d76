import { readFile, stat } from 'node:fs/promises';

/** Reads a file as a `Uint8Array` view of its buffer (no copy). */
export async function readBytes(path: string): Promise<Uint8Array> {
  const buffer = await readFile(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Whether `path` is an existing regular file (false on any error). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
