/**
 * The optional peer dependencies: packages hypertuner loads only for the feature that needs
 * them, and the one error (`PEER_MISSING`) that says, on one line, which one is missing, what
 * it is for and the command that installs it. A package that is installed but fails to load
 * for another reason keeps its own error.
 */
import { HypertunerError } from './space/index.js';

/** Each optional peer and what it is for (the end of "needed for ..."). */
export const OPTIONAL_PEERS = {
  '@tensorflow/tfjs': 'TensorFlow.js models and the tuners of hypertuner/tfjs',
  '@tensorflow/tfjs-backend-wasm':
    "fast training on the WebAssembly backend with hypertuner's kernels",
  '@tensorflow/tfjs-node': "training on TensorFlow's native library (backend 'tensorflow')",
  pg: 'PostgreSQL storage (postgres:// URLs)',
  'playwright-core': 'PNG plots (rendered by headless Chromium)',
} as const;

/** The name of an optional peer dependency. */
export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/** The code of the error thrown when an optional peer is needed and not installed. */
export const PEER_MISSING = 'PEER_MISSING';

/** The command that installs `name`. */
export function installCommand(name: OptionalPeer): string {
  return `npm i ${name}`;
}

/** The one-line `PEER_MISSING` error for `name`. */
export function peerMissingError(name: OptionalPeer, cause?: unknown): HypertunerError {
  return new HypertunerError(
    PEER_MISSING,
    `${name} is not installed; it is needed for ${OPTIONAL_PEERS[name]}: run \`${installCommand(name)}\`.`,
    { field: name, ...(cause === undefined ? {} : { cause }) },
  );
}

/**
 * Whether `error` says that the package `name` itself could not be found (an import or require
 * of it), not one of its own files or dependencies.
 */
export function isPackageNotFound(error: unknown, name: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object' || typeof e.message !== 'string') return false;
  if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'MODULE_NOT_FOUND') return false;
  return (
    e.message.includes(`Cannot find package '${name}'`) ||
    e.message.includes(`Cannot find module '${name}'`)
  );
}

/** The optional peer whose absence `error` reports, if it reports one. */
export function missingPeerOf(error: unknown): OptionalPeer | undefined {
  return (Object.keys(OPTIONAL_PEERS) as OptionalPeer[]).find((name) =>
    isPackageNotFound(error, name),
  );
}

/**
 * `load()` (an `import()` of the optional peer `name`), or `PEER_MISSING` when `name` is not
 * installed. `load` is a function so that the import keeps its literal specifier and types.
 */
export async function importPeer<T>(name: OptionalPeer, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isPackageNotFound(error, name)) throw peerMissingError(name, error);
    throw error;
  }
}
