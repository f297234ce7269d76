/**
 * Loading the TensorFlow.js WASM backend in Node.
 *
 * In Node 20 the SIMD build loads; the threaded-SIMD build does not (its pthread workers are
 * started from `blob:` URLs, which `node:worker_threads` rejects), so the backend runs one
 * thread per process and parallelism comes from worker threads each with their own backend.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { engine, env, setBackend } from '@tensorflow/tfjs';
import type * as WasmModuleNamespace from '@tensorflow/tfjs-backend-wasm';
import { importPeer } from '../../peers.js';

/** What the loaded WASM backend runs with. */
export interface WasmInfo {
  readonly simd: boolean;
  readonly threads: number;
}

/** Options of {@link loadWasmBackend}. */
export interface LoadWasmOptions {
  /** Directory holding the `.wasm` files; default: the installed package's `dist/`. */
  readonly wasmDir?: string;
  /** Threads for the threaded build, where it loads (browsers); ignored in Node. */
  readonly threads?: number;
}

type WasmModule = typeof WasmModuleNamespace;

let wasmModule: WasmModule | undefined;

/** Directory of the `.wasm` files of the installed `@tensorflow/tfjs-backend-wasm`. */
export function defaultWasmDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

/**
 * Imports `@tensorflow/tfjs-backend-wasm` once; it registers the backend and its kernels.
 * `PEER_MISSING` when it is not installed.
 */
async function importWasmModule(): Promise<WasmModule> {
  wasmModule ??= await importPeer(
    '@tensorflow/tfjs-backend-wasm',
    () => import('@tensorflow/tfjs-backend-wasm'),
  );
  return wasmModule;
}

/**
 * Imports the WASM backend, points it at its `.wasm` files and makes it the active backend.
 * Throws when it cannot be initialised.
 */
export async function loadWasmBackend(options: LoadWasmOptions = {}): Promise<WasmInfo> {
  const wasm = await importWasmModule();
  const initialised = engine().registry['wasm'] !== undefined;
  if (!initialised) {
    wasm.setWasmPaths(join(options.wasmDir ?? defaultWasmDir(), '/'));
    if (options.threads !== undefined) wasm.setThreadsCount(options.threads);
  }
  if (!(await setBackend('wasm'))) {
    throw new Error('The TensorFlow.js wasm backend failed to initialise.');
  }
  const simd = (await env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return { simd, threads: wasm.getThreadsCount() };
}
