/** The installed package's version, for `hypertuner --version`. */
import { readFileSync } from 'node:fs';

/** `version` of hypertuner's package.json (two folders up from src/cli/ and dist/cli/ alike). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
