import { homedir } from 'node:os';
import { join } from 'node:path';

/** Environment variables read by {@link resolveCacheRoot}. */
export type DatasetEnv = Readonly<Record<string, string | undefined>>;

/**
 * The cache root where datasets live (each in `<root>/<name>/`), first that is set of:
 * the `cacheDir` option, `$HYPERTUNER_DATA_DIR`, `$XDG_CACHE_HOME/hypertuner`,
 * `%LOCALAPPDATA%\hypertuner\cache` (Windows), `~/.cache/hypertuner`.
 */
export function resolveCacheRoot(
  options: { readonly cacheDir?: string; readonly env?: DatasetEnv } = {},
): string {
  const env = options.env ?? process.env;
  const set = (value: string | undefined): value is string => value !== undefined && value !== '';
  if (set(options.cacheDir)) return options.cacheDir;
  if (set(env.HYPERTUNER_DATA_DIR)) return env.HYPERTUNER_DATA_DIR;
  if (set(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'hypertuner');
  if (process.platform === 'win32' && set(env.LOCALAPPDATA)) {
    return join(env.LOCALAPPDATA, 'hypertuner', 'cache');
  }
  const home = set(env.HOME) ? env.HOME : homedir();
  return join(home, '.cache', 'hypertuner');
}
