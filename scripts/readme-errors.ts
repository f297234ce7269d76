/**
 * Writes README.md's table of error codes from `ERROR_CODES` (src/errors.ts), between the
 * markers `<!-- error-codes:start -->` and `<!-- error-codes:end -->`. Run it after adding a
 * code; test/docs/error-codes.test.ts fails while the README is stale.
 *
 * Usage: npx tsx scripts/readme-errors.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../src/errors.js';

export const START = '<!-- error-codes:start -->';
export const END = '<!-- error-codes:end -->';

/** The Markdown table of every code and its meaning, in the table's order. */
export function errorCodesTable(): string {
  const escape = (text: string): string => text.replaceAll('|', '\\|');
  const rows = Object.entries(ERROR_CODES).map(
    ([code, meaning]) => `| \`${code}\` | ${escape(meaning)} |`,
  );
  return ['| code | meaning |', '| --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the current table. */
export function withErrorCodes(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${errorCodesTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  writeFileSync(path, withErrorCodes(readFileSync(path, 'utf8')));
}
