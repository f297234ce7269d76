/**
 * Where the dashboard tests write their screenshots: docs/screenshots/ (the README's images)
 * when run with HYPERTUNER_UPDATE_SCREENSHOTS=1 (`npm run screenshots`), else a temporary
 * directory (removed at exit), so that `npm test` takes every screenshot (a page that cannot
 * render fails) but leaves the working tree as it was. Screenshots that are not the README's
 * (`readme: false`: views of the test fixtures) always go to a temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function screenshotDirectory(options: { readonly readme?: boolean } = {}): string {
  if (options.readme !== false && process.env['HYPERTUNER_UPDATE_SCREENSHOTS'] === '1') {
    const docs = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
    mkdirSync(docs, { recursive: true });
    return docs;
  }
  const temporary = mkdtempSync(join(tmpdir(), 'hypertuner-screenshots-'));
  process.once('exit', () => rmSync(temporary, { recursive: true, force: true }));
  return temporary;
}
