/** Reading a study's trials from a storage URL, as a test checks what a CLI run left. */
import { openStorage } from '../../src/index.js';
import type { Trial } from '../../src/index.js';

/** The trials of study `name` in the storage at `url` ([] while the study does not exist). */
export async function storedTrials(url: string, name: string): Promise<Trial[]> {
  const storage = await openStorage(url);
  try {
    const record = await storage.loadStudy(name);
    return record === undefined ? [] : await storage.getTrials(record.id);
  } finally {
    await storage.close();
  }
}
