/**
 * hypertuner's own WebAssembly SIMD functions, instantiated on the memory of the TensorFlow.js
 * WASM backend so they read and write tensors in place (addresses are the tensors' heap
 * offsets). Built once per memory; unavailable (undefined) where the memory is not reachable
 * or shared, or the engine lacks SIMD, and callers then use their JavaScript path.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activationFunctionDefs } from './activation-code.js';
import type { SimdActivation } from './activation-code.js';
import { adamFunctionDef } from './adam-code.js';
import { gemmRowFunctionDef } from './gemm-code.js';
import { packFunctionDef } from './pack-code.js';
import { assemble } from './wasm-assembler.js';
import type { MemoryImport } from './wasm-assembler.js';

/** act_<name>(z, bias, a, rows, n, hasBias): see activation-code.ts. */
type ActivationForward = {
  readonly [K in `act_${SimdActivation}`]: (
    z: number,
    bias: number,
    a: number,
    rows: number,
    n: number,
    hasBias: number,
  ) => void;
};
/** dact_<name>(g, a, z, count): see activation-code.ts. */
type ActivationBackward = {
  readonly [K in `dact_${Exclude<SimdActivation, 'linear'>}`]: (
    g: number,
    a: number,
    z: number,
    count: number,
  ) => void;
};

/** The functions of the module; every address is a byte offset into the backend's memory. */
export interface SimdFunctions extends ActivationForward, ActivationBackward {
  /** colSum(d, out, rows, n): see activation-code.ts. */
  readonly colSum: (d: number, out: number, rows: number, n: number) => void;
  readonly adam: (
    x: number,
    g: number,
    m: number,
    v: number,
    xOut: number,
    mOut: number,
    vOut: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    epsilon: number,
    step: number,
    k1: number,
    k2: number,
  ) => void;
  /** See gemm-code.ts. */
  readonly pack: (
    src: number,
    sW: number,
    sK: number,
    width: number,
    valid: number,
    kc: number,
    kcPad: number,
    dst: number,
  ) => void;
  /** See gemm-code.ts. */
  readonly gemmRow: (
    ap: number,
    bp: number,
    c: number,
    ldc: number,
    kcPad: number,
    panels: number,
    accumulate: number,
  ) => void;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs omit it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
export interface WasmApi {
  readonly Memory: new (descriptor: {
    readonly initial: number;
    readonly maximum?: number;
    readonly shared?: boolean;
  }) => WasmMemory & { grow(pages: number): number };
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const built = new WeakMap<WasmMemory, SimdFunctions | null>();
let disabled = false;

/** Turns the SIMD functions off (or back on), e.g. to test the JavaScript fallbacks. */
export function setSimdEnabled(enabled: boolean): void {
  disabled = !enabled;
}

function memoryOf(backend: BackendWasm): WasmMemory | undefined {
  const asm = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm;
  const memory = asm?.memory;
  if (wasmApi === undefined || !(memory instanceof wasmApi.Memory)) return undefined;
  // A shared (threaded build) memory would need a shared import; not worth it here.
  return memory.buffer instanceof ArrayBuffer ? memory : undefined;
}

const FUNCTIONS = [adamFunctionDef, packFunctionDef, gemmRowFunctionDef, ...activationFunctionDefs];

function instantiate(
  api: WasmApi,
  memory: WasmMemory,
  declared: MemoryImport = { shared: false },
): SimdFunctions | null {
  try {
    const module = new api.Module(assemble(FUNCTIONS, declared));
    const instance = new api.Instance(module, { env: { memory } });
    return instance.exports as unknown as SimdFunctions;
  } catch {
    return null;
  }
}

/**
 * The SIMD functions on a memory of one's own (not a backend's), e.g. the dense trainer's; a
 * shared memory needs its page limits. Undefined where the engine lacks WebAssembly SIMD (or
 * shared memory), or when turned off by {@link setSimdEnabled}.
 */
export function simdFunctionsOn(
  memory: WasmMemory,
  declared: MemoryImport = { shared: false },
): SimdFunctions | undefined {
  if (disabled || wasmApi === undefined) return undefined;
  return instantiate(wasmApi, memory, declared) ?? undefined;
}

/** The SIMD functions on `backend`'s memory, or undefined when they cannot run there. */
export function simdFunctions(backend: BackendWasm): SimdFunctions | undefined {
  if (disabled) return undefined;
  const memory = memoryOf(backend);
  if (memory === undefined || wasmApi === undefined) return undefined;
  let functions = built.get(memory);
  if (functions === undefined) {
    functions = instantiate(wasmApi, memory);
    built.set(memory, functions);
  }
  return functions ?? undefined;
}

/** The backend's heap as floats (take it after allocating: a growing heap replaces it). */
export function heapF32(backend: BackendWasm): Float32Array {
  return (backend.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;
}

/** Byte address of a tensor's data in the backend's memory. */
export function addressOf(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('Tensor data is not on the wasm backend.');
  return data.memoryOffset;
}
