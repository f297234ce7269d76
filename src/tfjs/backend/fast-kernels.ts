/**
 * Installs (and removes) hypertuner's fast kernels on the TensorFlow.js WASM backend.
 *
 * Replaced: BatchMatMul and _FusedMatMul (transposed operands), Conv2DBackpropInput (naive
 * loop), MaxPoolGrad (slow), Sum (leading-axis reductions, i.e. bias gradients), Identity and
 * same-dtype Cast (copies; now shared buffers), GatherV2 (per-element loop; every batch
 * tfjs-layers evaluates or fits is gathered), Tanh (one element at a time; now through the
 * vectorised Sigmoid), Tile (per-element loop; batch norm's gradient tiles its statistics over
 * the whole activation; now block copies). Added: Conv2DBackpropFilter (missing, so Conv2D could not train), the
 * two depthwise gradients (missing, so depthwise and separable layers could not train; see
 * kernels/depthwise-conv2d.ts) and HypertunerAdamUpdate (one-pass Adam step, used by
 * `fuseAdam`). Corrected: Conv2D and FusedConv2D forward with 'same' padding and a stride
 * above 1, or numeric/explicit padding, and DepthwiseConv2dNative and FusedDepthwiseConv2D
 * forward with 'same' padding and a stride wider than the filter, or numeric padding, which the
 * stock kernels compute wrong (see kernels/conv2d.ts, kernels/depthwise-conv2d.ts). Every
 * replacement matches the stock CPU backend within 1e-4 relative (see
 * test/tfjs/kernels.test.ts).
 *
 * The matrix products and the Adam step run in hypertuner's own WebAssembly SIMD functions
 * (./simd), instantiated on the backend's memory, wherever that module loads; otherwise in the
 * JavaScript and stock-kernel paths they replace, which the tests also cover.
 */
import {
  _FusedMatMul,
  BatchMatMul,
  Cast,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  engine,
  FusedConv2D,
  FusedDepthwiseConv2D,
  GatherV2,
  Identity,
  getKernel,
  MaxPoolGrad,
  registerKernel,
  Sum,
  Tanh,
  Tile,
  unregisterKernel,
} from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig } from '@tensorflow/tfjs';
import { ADAM_UPDATE, adamUpdateConfig } from './kernels/adam-update.js';
import { makeBatchMatMulConfig } from './kernels/batch-mat-mul.js';
import { makeConv2DConfig, makeFusedConv2DConfig } from './kernels/conv2d.js';
import { conv2DBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './kernels/conv2d-backprop-input.js';
import {
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  makeDepthwiseConv2dConfig,
  makeFusedDepthwiseConv2DConfig,
} from './kernels/depthwise-conv2d.js';
import { makeFusedMatMulConfig } from './kernels/fused-mat-mul.js';
import { makeGatherConfig } from './kernels/gather.js';
import { makeCastConfig, makeIdentityConfig } from './kernels/identity.js';
import { maxPoolGradConfig } from './kernels/max-pool-grad.js';
import { makeSumConfig } from './kernels/sum.js';
import { makeTanhConfig } from './kernels/tanh.js';
import { makeTileConfig } from './kernels/tile.js';
import { WASM } from './kernels/wasm-kernel-utils.js';

/** Names of the kernels {@link installFastKernels} registers on the WASM backend. */
export const FAST_KERNEL_NAMES = [
  BatchMatMul,
  _FusedMatMul,
  Conv2D,
  FusedConv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNative,
  FusedDepthwiseConv2D,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  MaxPoolGrad,
  Sum,
  Identity,
  Cast,
  GatherV2,
  Tanh,
  Tile,
  ADAM_UPDATE,
] as const;

/** The stock configs we replaced (undefined where the stock backend had no kernel). */
let stock: Map<string, KernelConfig | undefined> | undefined;

/** Kernels that wrap the stock one of the same name (which must exist), by name. */
const WRAPPERS: Readonly<Record<string, (stock: KernelConfig) => KernelConfig>> = {
  [BatchMatMul]: makeBatchMatMulConfig,
  [_FusedMatMul]: makeFusedMatMulConfig,
  [Conv2D]: makeConv2DConfig,
  [FusedConv2D]: makeFusedConv2DConfig,
  [DepthwiseConv2dNative]: makeDepthwiseConv2dConfig,
  [FusedDepthwiseConv2D]: makeFusedDepthwiseConv2DConfig,
  [Sum]: makeSumConfig,
  [Identity]: makeIdentityConfig,
  [Cast]: makeCastConfig,
  [GatherV2]: makeGatherConfig,
  [Tanh]: makeTanhConfig,
  [Tile]: makeTileConfig,
};

/** Kernels that stand alone (missing on stock WASM, or ours), by name. */
const STANDALONE: Readonly<Record<string, KernelConfig>> = {
  [Conv2DBackpropFilter]: conv2DBackpropFilterConfig,
  [Conv2DBackpropInput]: conv2DBackpropInputConfig,
  [DepthwiseConv2dNativeBackpropFilter]: depthwiseConv2dBackpropFilterConfig,
  [DepthwiseConv2dNativeBackpropInput]: depthwiseConv2dBackpropInputConfig,
  [MaxPoolGrad]: maxPoolGradConfig,
  [ADAM_UPDATE]: adamUpdateConfig,
};

function fastConfig(name: string, original: KernelConfig | undefined): KernelConfig {
  const standalone = STANDALONE[name];
  if (standalone !== undefined) return standalone;
  const wrap = WRAPPERS[name];
  if (wrap === undefined) throw new Error(`No fast kernel named '${name}'.`);
  if (original === undefined) throw new Error(`The wasm backend has no ${name} kernel.`);
  return wrap(original);
}

/** Registers `config`, running its setup when the WASM backend is already initialised. */
function register(config: KernelConfig): void {
  registerKernel(config);
  // Look the backend up without initialising it (findBackend would start initialisation).
  const backend = engine().registry[WASM] as KernelBackend | undefined;
  if (backend !== undefined && config.setupFunc !== undefined) config.setupFunc(backend);
}

/**
 * Replaces the WASM backend's slow or missing training kernels with hypertuner's. Call it after
 * importing `@tensorflow/tfjs-backend-wasm` (before or after `tf.setBackend('wasm')`).
 * Idempotent: a second call changes nothing.
 */
export function installFastKernels(): void {
  if (stock !== undefined) return;
  const saved = new Map<string, KernelConfig | undefined>();
  for (const name of FAST_KERNEL_NAMES) saved.set(name, getKernel(name, WASM));
  for (const name of FAST_KERNEL_NAMES) {
    const original = saved.get(name);
    const config = fastConfig(name, original);
    if (original !== undefined) unregisterKernel(name, WASM);
    register(config);
  }
  stock = saved;
}

/** Puts the stock WASM kernels back (the baseline of the benchmark). Idempotent. */
export function uninstallFastKernels(): void {
  if (stock === undefined) return;
  for (const name of FAST_KERNEL_NAMES) {
    unregisterKernel(name, WASM);
    const original = stock.get(name);
    if (original !== undefined) register(original);
  }
  stock = undefined;
}

/** Whether {@link installFastKernels} is in effect. */
export function fastKernelsInstalled(): boolean {
  return stock !== undefined;
}
