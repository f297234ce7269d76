/** Backend choice (tfjs-node, else WASM with fast kernels, else CPU) and the fast kernels. */
export { selectBackend, BACKEND_PREFERENCES } from './select-backend.js';
export type { BackendChoice, BackendPreference, SelectBackendOptions } from './select-backend.js';
export {
  installFastKernels,
  uninstallFastKernels,
  fastKernelsInstalled,
  FAST_KERNEL_NAMES,
} from './fast-kernels.js';
export { loadWasmBackend, defaultWasmDir } from './wasm-backend.js';
export type { LoadWasmOptions, WasmInfo } from './wasm-backend.js';
