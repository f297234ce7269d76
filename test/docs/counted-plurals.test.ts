/**
 * Messages count in words (DESIGN.md's conventions; src/plural.ts): `1 trial`, `3 trials`, never
 * `3 trial(s)`. Every source file under src/ (the dashboard's browser code too) is searched for a
 * counted `(s)` plural: an interpolated number followed by a noun with `(s)`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/plural.js';
import { repoRoot } from '../helpers/run-cli.js';

/** `${count} noun(s)` or `${count} adjective noun(s)` in a template literal. */
const COUNTED_PLURAL = /\}\s+(?:[a-z-]+\s+)?[a-z-]+\((?:s|es)\)/i;

describe('counted plurals in messages', () => {
  it('plural() says 1 trial, 0 trials and 2 trials', () => {
    expect([0, 1, 2].map((n) => plural(n, 'trial'))).toEqual(['0 trials', '1 trial', '2 trials']);
    expect(plural(1, 'study', 'studies')).toBe('1 study');
    expect(plural(3, 'study', 'studies')).toBe('3 studies');
  });

  it('no message in src/ counts with a "(s)" plural', () => {
    const src = join(repoRoot, 'src');
    const offenders = readdirSync(src, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !e.parentPath.includes('vendor'))
      .flatMap((e) => {
        const file = join(e.parentPath, e.name);
        return readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            COUNTED_PLURAL.test(line)
              ? [`${relative(repoRoot, file)}:${i + 1}: ${line.trim()}`]
              : [],
          );
      });
    expect(offenders).toEqual([]);
  });
});
