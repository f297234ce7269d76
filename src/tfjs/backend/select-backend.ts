/**
 * Chooses the TensorFlow.js backend to train on: tfjs-node when it is installed, otherwise the
 * WASM backend with hypertuner's fast kernels, otherwise the pure-JS CPU backend (with a
 * one-time warning saying how much faster the WASM backend is and how to get it).
 */
import { findBackend, getBackend, setBackend } from '@tensorflow/tfjs';
import { importPeer, PEER_MISSING } from '../../peers.js';
import { installFastKernels, uninstallFastKernels } from './fast-kernels.js';
import { loadWasmBackend } from './wasm-backend.js';

/** Backends {@link selectBackend} can be asked for. */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'wasm-stock', 'cpu'] as const;

/**
 * `auto`: tfjs-node if importable, else `wasm`, else `cpu`. `tensorflow`: tfjs-node or fail.
 * `wasm`: WASM with fast kernels. `wasm-stock`: WASM without them (benchmark baseline).
 * `cpu`: the pure-JS backend.
 */
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  readonly prefer?: BackendPreference;
  /** Directory of the `.wasm` files; default: the installed package's `dist/`. */
  readonly wasmDir?: string;
  /** Threads for a threaded WASM build where one loads (not in Node). */
  readonly threads?: number;
}

/** The backend in use, for callers to print. */
export interface BackendChoice {
  /** `tf.getBackend()` after the choice: 'tensorflow', 'wasm' or 'cpu'. */
  readonly name: string;
  /** Whether hypertuner's fast WASM kernels are installed. */
  readonly fastKernels: boolean;
  /** WASM only: whether the SIMD build is running. */
  readonly simd: boolean;
  /** Threads one training process uses inside the backend (1 unless threaded WASM). */
  readonly threads: number;
  /** One line such as `wasm (SIMD, 1 thread, fast kernels)`. */
  readonly description: string;
}

/** Loads tfjs-node and makes it the backend; `PEER_MISSING` when it is not installed. */
async function useTfjsNode(): Promise<boolean> {
  // a specifier in a variable: tfjs-node is not a dependency, and bundlers must not look for it
  const name = '@tensorflow/tfjs-node';
  await importPeer(name, () => import(name));
  return setBackend('tensorflow');
}

async function tryTfjsNode(): Promise<boolean> {
  try {
    return await useTfjsNode();
  } catch {
    return false;
  }
}

/**
 * How many times faster hypertuner's WASM kernels trained than the `cpu` backend in
 * `npm run bench:training -- --only cpu` (bench/README.md: the article's MLP, median of
 * alternating rounds, 49.6x), rounded.
 */
export const WASM_SPEEDUP_OVER_CPU = 50;

let warnedCpuFallback = false;

/** The one-time warning of training on the `cpu` backend because WASM is missing or broken. */
function warnCpuFallback(error: unknown): void {
  if (warnedCpuFallback) return;
  warnedCpuFallback = true;
  const faster = `the WASM backend with hypertuner's kernels trained an MLP about ${WASM_SPEEDUP_OVER_CPU}x faster in bench:training`;
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const missing = (error as { code?: unknown } | null)?.code === PEER_MISSING;
  // a PEER_MISSING message already names the package and the command that installs it
  process.emitWarning(
    missing
      ? `Training on the slow 'cpu' backend (${faster}): ${reason}`
      : `Training on the slow 'cpu' backend (${faster}): the WASM backend failed to start: ${reason}`,
    { type: 'HypertunerWarning', code: missing ? PEER_MISSING : 'BACKEND_FALLBACK' },
  );
}

function describe(choice: Omit<BackendChoice, 'description'>): BackendChoice {
  if (choice.name !== 'wasm') return { ...choice, description: choice.name };
  const parts = [
    choice.simd ? 'SIMD' : 'no SIMD',
    `${choice.threads} thread${choice.threads === 1 ? '' : 's'}`,
    choice.fastKernels ? 'fast kernels' : 'stock kernels',
  ];
  return { ...choice, description: `wasm (${parts.join(', ')})` };
}

async function useWasm(options: SelectBackendOptions, fast: boolean): Promise<BackendChoice> {
  const info = await loadWasmBackend({
    ...(options.wasmDir === undefined ? {} : { wasmDir: options.wasmDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  if (fast) installFastKernels();
  else uninstallFastKernels();
  return describe({ name: 'wasm', fastKernels: fast, ...info });
}

/**
 * Keeps tfjs' cpu backend from printing its own banner ("install our node backend") on its first
 * tensor in Node: the library prints nothing of its own accord, and the fallback's warning above
 * already says what trains faster and how to get it.
 */
function silenceCpuBanner(): void {
  const backend = findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (backend !== null && backend.firstUse === true) backend.firstUse = false;
}

async function useCpu(): Promise<BackendChoice> {
  // @tensorflow/tfjs registers the cpu backend itself
  if (!(await setBackend('cpu'))) throw new Error('The TensorFlow.js cpu backend failed.');
  silenceCpuBanner();
  return describe({ name: 'cpu', fastKernels: false, simd: false, threads: 1 });
}

/**
 * Makes the best available backend active and reports which one it is. Safe to call again:
 * installing the fast kernels is idempotent, and `wasm-stock` removes them.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const prefer = options.prefer ?? 'auto';
  switch (prefer) {
    case 'tensorflow':
      if (!(await useTfjsNode()))
        throw new Error('The TensorFlow.js tensorflow backend (tfjs-node) failed to initialise.');
      return describe({ name: getBackend(), fastKernels: false, simd: false, threads: 1 });
    case 'wasm':
      return useWasm(options, true);
    case 'wasm-stock':
      return useWasm(options, false);
    case 'cpu':
      return useCpu();
    case 'auto':
      if (await tryTfjsNode()) {
        return describe({ name: getBackend(), fastKernels: false, simd: false, threads: 1 });
      }
      try {
        return await useWasm(options, true);
      } catch (error) {
        warnCpuFallback(error);
        return useCpu();
      }
    default: {
      const never: never = prefer;
      throw new Error(
        `prefer must be one of ${BACKEND_PREFERENCES.join(', ')}; got '${String(never)}'.`,
      );
    }
  }
}
