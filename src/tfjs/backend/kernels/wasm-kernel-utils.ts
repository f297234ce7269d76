/**
 * Small helpers shared by the fast WASM kernels: typed access to the backend internals we use,
 * calls into other registered kernels, and freeing of intermediate results.
 */
import { getKernel } from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The name TensorFlow.js registers the WASM backend under. */
export const WASM = 'wasm';

/** Arguments a WASM kernel function receives. */
export interface WasmKernelArgs {
  readonly inputs: Readonly<Record<string, TensorInfo | undefined>>;
  readonly backend: BackendWasm;
  readonly attrs?: NamedAttrMap;
}

/** A kernel function as we call it directly (single output). */
export type WasmKernelFunc = (args: WasmKernelArgs) => TensorInfo;

/**
 * The WASM kernel config of `kernelFunc`, keeping the setup function of the `stock` kernel it
 * wraps, if any.
 */
export function wasmKernelConfig(
  kernelName: string,
  kernelFunc: (args: WasmKernelArgs) => TensorInfo | TensorInfo[],
  stock?: KernelConfig,
): KernelConfig {
  return {
    kernelName,
    backendName: WASM,
    kernelFunc: kernelFunc as unknown as KernelConfig['kernelFunc'],
    ...(stock?.setupFunc === undefined ? {} : { setupFunc: stock.setupFunc }),
  };
}

/** Calls the kernel currently registered for `name` on the WASM backend. */
export function callKernel(
  name: string,
  backend: BackendWasm,
  inputs: Readonly<Record<string, TensorInfo | undefined>>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = getKernel(name, WASM);
  if (config === undefined) {
    throw new Error(`The wasm backend has no '${name}' kernel registered.`);
  }
  const out = config.kernelFunc({ inputs, backend, attrs } as never);
  return (Array.isArray(out) ? out[0] : out) as TensorInfo;
}

/** Frees an intermediate result created inside a kernel. */
export function release(backend: BackendWasm, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** A view of `info` with another shape of the same size (no copy, no reference count). */
export function viewAs(info: TensorInfo, shape: readonly number[]): TensorInfo {
  return { dataId: info.dataId, shape: [...shape], dtype: info.dtype };
}

/** Swaps the last two axes of `x` with the WASM Transpose kernel; the caller frees the result. */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = x.shape.map((_, i) => (i < rank - 2 ? i : i === rank - 2 ? rank - 1 : rank - 2));
  return callKernel('Transpose', backend, { x }, { perm });
}

/** Element offset of a float32 tensor inside the WASM heap, and the heap as one Float32Array. */
export function heapOf(backend: BackendWasm, info: TensorInfo): { heap: Float32Array; at: number } {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new Error(`Expected a float32 tensor, got dtype '${info.dtype}'.`);
  }
  return { heap: new Float32Array(view.buffer), at: view.byteOffset / 4 };
}

/** Throws unless every one of `inputs` is float32, naming `kernel` (which reads them as float32). */
export function checkFloat32(kernel: string, ...inputs: TensorInfo[]): void {
  for (const t of inputs) {
    if (t.dtype !== 'float32') {
      throw new Error(`${kernel} on wasm takes float32 inputs; got ${t.dtype}.`);
    }
  }
}

/** Product of the dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
