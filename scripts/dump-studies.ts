/**
 * Writes the studies of a storage, with all their trials, as one JSON file: the dashboard
 * tests' real example studies (test/dashboard/fixtures/example-studies.json) were made so.
 *
 * Usage: npx tsx scripts/dump-studies.ts <storage-url> <out.json> [study ...]
 */
import { writeFile } from 'node:fs/promises';
import { openStorage } from '../src/storage/index.js';

async function main(): Promise<void> {
  const [url, out, ...names] = process.argv.slice(2);
  if (url === undefined || out === undefined)
    throw new Error('usage: npx tsx scripts/dump-studies.ts <storage-url> <out.json> [study ...]');
  const storage = await openStorage(url);
  try {
    const all = (await storage.listStudies()).map((s) => s.name);
    const studies = [];
    for (const name of names.length > 0 ? names : all) {
      const study = await storage.loadStudy(name);
      if (study === undefined) throw new Error(`no study '${name}' in ${url}`);
      const trials = await storage.getTrials(study.id);
      studies.push({
        study: {
          name: study.name,
          objectives: study.objectives,
          space: study.space.toJSON(),
          createdAt: study.createdAt,
          userAttrs: study.userAttrs,
        },
        trials,
      });
    }
    await writeFile(out, `${JSON.stringify({ studies })}\n`);
  } finally {
    await storage.close();
  }
}

await main();
