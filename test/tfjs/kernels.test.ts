import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fastKernelsInstalled,
  installFastKernels,
  selectBackend,
  uninstallFastKernels,
} from '../../src/tfjs/backend/index.js';
import { SERIES_BELOW } from '../../src/tfjs/backend/kernels/tanh.js';
import { setSimdEnabled } from '../../src/tfjs/backend/simd/simd-module.js';
import '@tensorflow/tfjs-backend-cpu';
import { randomValues, relativeError } from './numeric-helpers.js';

/** Runs `fn` on `backend` and returns its result's values (tensors made inside are freed). */
async function runOn(
  backend: 'cpu' | 'wasm',
  fn: () => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const out = tf.tidy(fn);
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  return { values: Float32Array.from(values), shape };
}

/** Runs `fn` on the CPU and the WASM backend and returns the relative error and shapes. */
async function compareBackends(
  fn: () => tf.Tensor,
): Promise<{ error: number; wasmShape: number[]; cpuShape: number[] }> {
  const cpu = await runOn('cpu', fn);
  const wasm = await runOn('wasm', fn);
  return {
    error: relativeError(wasm.values, cpu.values),
    wasmShape: wasm.shape,
    cpuShape: cpu.shape,
  };
}

/** How many buffers the current backend holds and how many tensors tfjs tracks. */
interface LiveCounts {
  readonly dataIds: number;
  readonly tensors: number;
}

/** The live buffer and tensor counts now (of the current backend). */
function liveCounts(): LiveCounts {
  const backend = tf.backend() as unknown as { numDataIds(): number };
  return { dataIds: backend.numDataIds(), tensors: tf.memory().numTensors };
}

/** Expects the live counts to be back at `before`: nothing created since is left behind. */
function expectNothingLeft(before: LiveCounts, label?: string): void {
  const now = liveCounts();
  expect(now.dataIds, label).toBe(before.dataIds);
  expect(now.tensors, label).toBe(before.tensors);
}

/** Runs `step` three times, disposing what it returns, and expects nothing left behind. */
function expectEveryRunFreed(step: () => tf.Tensor[]): void {
  const before = liveCounts();
  for (let i = 0; i < 3; i++) tf.dispose(step());
  expectNothingLeft(before);
}

const TOLERANCE = 1e-4;
let seed = 1;
const t = (shape: number[]): tf.Tensor =>
  tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed++,
    ),
    shape,
  );

beforeAll(async () => {
  const choice = await selectBackend({ prefer: 'wasm' });
  expect(choice.name).toBe('wasm');
  expect(choice.fastKernels).toBe(true);
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('kernel installation', () => {
  it('is idempotent and reversible', () => {
    installFastKernels();
    installFastKernels();
    expect(fastKernelsInstalled()).toBe(true);
    uninstallFastKernels();
    uninstallFastKernels();
    expect(fastKernelsInstalled()).toBe(false);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeUndefined();
    installFastKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeDefined();
  });
});

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Operand shapes for an m×k by k×n product with optional batch dims and transposes. */
function operands(
  batchA: number[],
  batchB: number[],
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): [number[], number[]] {
  return [
    [...batchA, ...(ta ? [k, m] : [m, k])],
    [...batchB, ...(tb ? [n, k] : [k, n])],
  ];
}

const SIZES: readonly (readonly [number[], number[], number, number, number])[] = [
  [[], [], 7, 13, 5],
  [[], [], 1, 33, 17],
  [[], [], 64, 300, 50],
  [[3], [3], 9, 4, 11],
  [[1], [4], 6, 10, 3],
  [[2, 3], [2, 3], 5, 8, 7],
  // Across the SIMD product's blocks: k > 256 (accumulated blocks), partial 4×8 tiles.
  [[], [], 130, 520, 67],
  [[2], [1], 9, 257, 16],
  [[], [], 4, 3, 8],
];

/** The fast kernels with hypertuner's SIMD module (default) and with the JavaScript fallbacks. */
const SIMD_MODES = [true, false] as const;
const simdLabel = (simd: boolean) => (simd ? 'SIMD module' : 'without SIMD module');

function withSimd(simd: boolean): void {
  beforeAll(() => setSimdEnabled(simd));
  afterAll(() => setSimdEnabled(true));
}

for (const simd of SIMD_MODES) {
  describe(`BatchMatMul equals the CPU backend (${simdLabel(simd)})`, () => {
    withSimd(simd);
    for (const [batchA, batchB, m, k, n] of SIZES) {
      for (const [ta, tb] of TRANSPOSES) {
        it(`[${batchA}]×[${batchB}] ${m}x${k}x${n} transposeA=${ta} transposeB=${tb}`, async () => {
          const [sa, sb] = operands(batchA, batchB, m, k, n, ta, tb);
          const s = seed++;
          const r = await compareBackends(() => {
            seed = s;
            return tf.matMul(t(sa), t(sb), ta, tb);
          });
          expect(r.wasmShape).toEqual(r.cpuShape);
          expect(r.error).toBeLessThan(TOLERANCE);
        });
      }
    }
  });
}

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
const BIASES = ['none', 'vector', 'matrix'] as const;

for (const simd of SIMD_MODES) {
  describe(`_FusedMatMul equals the CPU backend (${simdLabel(simd)})`, () => {
    withSimd(simd);
    const cases: [number[], number, number, number][] = [
      [[], 6, 9, 5],
      [[2], 4, 7, 3],
    ];
    for (const [batch, m, k, n] of cases) {
      for (const activation of ACTIVATIONS) {
        for (const biasKind of BIASES) {
          it(`[${batch}] ${m}x${k}x${n} ${activation} bias=${biasKind}, all transposes`, async () => {
            for (const [ta, tb] of TRANSPOSES) {
              const [sa, sb] = operands(batch, batch, m, k, n, ta, tb);
              const s = seed++;
              const r = await compareBackends(() => {
                seed = s;
                const a = t(sa);
                const b = t(sb);
                const bias =
                  biasKind === 'none' ? undefined : biasKind === 'vector' ? t([n]) : t([m, n]);
                const preluActivationWeights = activation === 'prelu' ? t([n]) : undefined;
                return tf.fused.matMul({
                  a: a as tf.Tensor3D,
                  b: b as tf.Tensor3D,
                  transposeA: ta,
                  transposeB: tb,
                  activation,
                  leakyreluAlpha: 0.3,
                  ...(bias === undefined ? {} : { bias }),
                  ...(preluActivationWeights === undefined ? {} : { preluActivationWeights }),
                });
              });
              expect(r.wasmShape).toEqual(r.cpuShape);
              expect(r.error, `transposeA=${ta} transposeB=${tb}`).toBeLessThan(TOLERANCE);
            }
          });
        }
      }
    }
  });
}

/** The message `fn` throws on `backend`. */
async function errorOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor): Promise<string> {
  await tf.setBackend(backend);
  try {
    tf.tidy(fn).dispose();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('matMul shape errors on wasm', () => {
  for (const simd of SIMD_MODES) {
    describe(simdLabel(simd), () => {
      withSimd(simd);
      it('name the operands and flags as given, as the CPU backend does, and leak nothing', async () => {
        const calls: [string, () => tf.Tensor][] = [];
        for (const [ta, tb] of TRANSPOSES) {
          // Inner sizes 2 (op(a) is 4×2) and 5 (op(b) is 5×7) whatever the flags.
          const a: [number, number, number] = ta ? [3, 2, 4] : [3, 4, 2];
          const b: [number, number, number] = tb ? [3, 7, 5] : [3, 5, 7];
          calls.push([`matMul ${ta} ${tb}`, () => tf.matMul(tf.ones(a), tf.ones(b), ta, tb)]);
          calls.push([
            `fused.matMul ${ta} ${tb}`,
            () =>
              tf.fused.matMul({
                a: tf.ones(a) as tf.Tensor3D,
                b: tf.ones(b) as tf.Tensor3D,
                transposeA: ta,
                transposeB: tb,
                bias: tf.ones([7]),
                activation: 'relu',
              }),
          ]);
        }
        calls.push(['batch', () => tf.matMul(tf.ones([2, 4, 5]), tf.ones([3, 7, 5]), false, true)]);
        for (const [label, fn] of calls) {
          const cpu = await errorOn('cpu', fn);
          expect(cpu, label).not.toBe('no error');
          await tf.setBackend('wasm');
          const before = liveCounts();
          expect(await errorOn('wasm', fn), label).toBe(cpu);
          expectNothingLeft(before, label);
        }
      });
    });
  }
});

interface ConvCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number;
}

const CONV_CASES: readonly ConvCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [1, 9, 7, 2], filter: [3, 2, 2, 5], strides: [2, 1], pad: 'same' },
  { x: [3, 10, 10, 4], filter: [5, 5, 4, 2], strides: 2, pad: 'valid' },
  { x: [2, 6, 6, 3], filter: [3, 3, 3, 6], strides: 1, pad: 1 },
  { x: [2, 5, 5, 8], filter: [1, 1, 8, 3], strides: 1, pad: 'valid' },
  { x: [1, 7, 7, 3], filter: [4, 4, 3, 3], strides: 3, pad: 'same' },
  { x: [4, 12, 12, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'valid' },
];

/**
 * Expects kernel `kernelName` on `inputs` (seeded random tensors of the given shapes, made in
 * key order) and `attrs` to give `expectedShape` on wasm and the CPU backend's values within
 * TOLERANCE.
 */
async function expectKernelEqualsCpu(
  kernelName: string,
  inputs: Readonly<Record<string, number[]>>,
  attrs: object,
  expectedShape: number[],
): Promise<void> {
  const s = seed++;
  const r = await compareBackends(() => {
    seed = s;
    const tensors = Object.fromEntries(Object.entries(inputs).map(([k, shape]) => [k, t(shape)]));
    return tf.engine().runKernel(kernelName, tensors, attrs as never) as tf.Tensor;
  });
  expect(r.wasmShape).toEqual(expectedShape);
  expect(r.error).toBeLessThan(TOLERANCE);
}

function convOutShape(c: ConvCase): number[] {
  const y = tf.tidy(() =>
    tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad),
  );
  const shape = y.shape;
  y.dispose();
  return shape;
}

describe('Conv2D gradient kernels equal the CPU backend', () => {
  for (const c of CONV_CASES) {
    const label = `x=[${c.x}] filter=[${c.filter}] strides=${c.strides} pad=${c.pad}`;
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
    it(`Conv2DBackpropFilter ${label}`, async () => {
      const inputs = { x: c.x, dy: convOutShape(c) };
      await expectKernelEqualsCpu(
        'Conv2DBackpropFilter',
        inputs,
        { ...attrs, filterShape: c.filter },
        c.filter,
      );
    });
    it(`Conv2DBackpropInput ${label}`, async () => {
      const inputs = { dy: convOutShape(c), filter: c.filter };
      await expectKernelEqualsCpu(
        'Conv2DBackpropInput',
        inputs,
        { ...attrs, inputShape: c.x },
        c.x,
      );
    });
  }
});

interface ConvForwardCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
  readonly dilations?: [number, number];
}

/** Explicit NHWC pads: 1 above and 2 below, 0 left and 1 right (none on batch and channels). */
const ASYMMETRIC_EXPLICIT_PAD: ConvForwardCase['pad'] = [
  [0, 0],
  [1, 2],
  [0, 1],
  [0, 0],
];

/** A forward case's test name: its shapes and geometry arguments. */
const convCaseLabel = (c: ConvForwardCase): string =>
  `x=[${c.x}] filter=[${c.filter}] strides=${c.strides} pad=${JSON.stringify(c.pad)} dilations=${c.dilations ?? 1}`;

/** The activations each fused forward case is checked with. */
const FUSED_ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'prelu'] as const;

/** The tensors a fused forward convolution takes besides its geometry. */
interface FusedConvInputs {
  readonly x: tf.Tensor4D;
  readonly filter: tf.Tensor4D;
  readonly bias: tf.Tensor;
  readonly activation: (typeof FUSED_ACTIVATIONS)[number];
  readonly leakyreluAlpha: number;
  readonly preluActivationWeights?: tf.Tensor;
}

/** A forward convolution op (plain or depthwise) in its plain and fused forms. */
interface ForwardConvOp {
  /** Output channels, i.e. the bias length, for a filter shape. */
  outChannels(filter: ConvForwardCase['filter']): number;
  plain(c: ConvForwardCase, x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor;
  fused(c: ConvForwardCase, inputs: FusedConvInputs): tf.Tensor;
}

/**
 * Expects `op` on case `c` to equal the CPU backend in shape and within TOLERANCE: plain, then
 * fused with a bias and each of FUSED_ACTIVATIONS (x and filter the same seeded values in all).
 */
async function expectForwardEqualsCpu(op: ForwardConvOp, c: ConvForwardCase): Promise<void> {
  const s = seed++;
  const conv = await compareBackends(() => {
    seed = s;
    return op.plain(c, t(c.x) as tf.Tensor4D, t(c.filter) as tf.Tensor4D);
  });
  expect(conv.wasmShape).toEqual(conv.cpuShape);
  expect(conv.error).toBeLessThan(TOLERANCE);
  const outC = op.outChannels(c.filter);
  for (const activation of FUSED_ACTIVATIONS) {
    const fused = await compareBackends(() => {
      seed = s;
      return op.fused(c, {
        x: t(c.x) as tf.Tensor4D,
        filter: t(c.filter) as tf.Tensor4D,
        bias: t([outC]),
        activation,
        leakyreluAlpha: 0.3,
        ...(activation === 'prelu' ? { preluActivationWeights: t([outC]) } : {}),
      });
    });
    expect(fused.wasmShape, activation).toEqual(fused.cpuShape);
    expect(fused.error, activation).toBeLessThan(TOLERANCE);
  }
}

/** tf.conv2d and tf.fused.conv2d. */
const CONV2D_OP: ForwardConvOp = {
  outChannels: (filter) => filter[3],
  plain: (c, x, filter) => tf.conv2d(x, filter, c.strides, c.pad, 'NHWC', c.dilations ?? 1),
  fused: (c, inputs) =>
    tf.fused.conv2d({ ...inputs, strides: c.strides, pad: c.pad, dilations: c.dilations ?? 1 }),
};

/** tf.depthwiseConv2d and tf.fused.depthwiseConv2d (filter [fh, fw, inC, chMul]). */
const DEPTHWISE_OP: ForwardConvOp = {
  outChannels: (filter) => filter[2] * filter[3],
  plain: (c, x, filter) =>
    tf.depthwiseConv2d(x, filter, c.strides, c.pad, 'NHWC', c.dilations ?? 1),
  fused: (c, inputs) =>
    tf.fused.depthwiseConv2d({
      ...inputs,
      strides: c.strides,
      // Typed without explicit pads, which the op passes through to the kernel.
      pad: c.pad as 'valid' | 'same' | number,
      dilations: c.dilations ?? 1,
    }),
};

/** Stock wasm gets these wrong ('same' with a stride above 1, numeric/explicit pads); plus two it gets right. */
const CONV_FORWARD_CASES: readonly ConvForwardCase[] = [
  { x: [2, 6, 6, 3], filter: [2, 2, 3, 4], strides: [2, 3], pad: 'same' },
  { x: [3, 7, 9, 2], filter: [3, 2, 2, 3], strides: [1, 2], pad: 'same' },
  { x: [2, 3, 4, 2], filter: [2, 1, 2, 2], strides: 2, pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 5], strides: 3, pad: 'same' },
  { x: [2, 5, 4, 3], filter: [2, 3, 3, 2], strides: 1, pad: 1 },
  { x: [2, 6, 7, 2], filter: [3, 3, 2, 4], strides: 2, pad: 2 },
  { x: [2, 6, 6, 1], filter: [1, 1, 1, 2], strides: [2, 1], pad: 0 },
  { x: [2, 8, 7, 3], filter: [3, 2, 3, 2], strides: 1, pad: 2, dilations: [2, 2] },
  { x: [2, 8, 7, 2], filter: [2, 3, 2, 3], strides: 1, pad: 'same', dilations: [1, 2] },
  {
    x: [2, 6, 5, 2],
    filter: [3, 3, 2, 3],
    strides: [1, 2],
    pad: ASYMMETRIC_EXPLICIT_PAD,
  },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: [2, 3], pad: 'valid' },
];

describe('Conv2D and FusedConv2D forward equal the CPU backend', () => {
  for (const simd of SIMD_MODES) {
    describe(simdLabel(simd), () => {
      withSimd(simd);
      for (const c of CONV_FORWARD_CASES) {
        it(convCaseLabel(c), async () => {
          await expectForwardEqualsCpu(CONV2D_OP, c);
        });
      }
    });
  }

  it('frees every intermediate buffer', async () => {
    await tf.setBackend('wasm');
    const x = t([2, 6, 6, 3]) as tf.Tensor4D;
    const f = t([2, 2, 3, 4]) as tf.Tensor4D;
    const bias = t([4]);
    expectEveryRunFreed(() => [
      tf.conv2d(x, f, [2, 3], 'same'),
      tf.conv2d(x, f, 1, 1),
      tf.fused.conv2d({ x, filter: f, strides: [2, 3], pad: 'same', bias, activation: 'relu' }),
    ]);
    tf.dispose([x, f, bias]);
  });
});

/** A depthwise case: a forward case whose filter is [fh, fw, inC, channel multiplier]. */
type DepthwiseCase = ConvForwardCase;

/**
 * Stock wasm gets the first six wrong ('same' with a stride wider than the filter; numeric pads
 * with a non-square filter, stride or dilation: wrong values or an out-of-bounds access); the
 * seventh (numeric, all square) it gets right, but it runs through hypertuner's kernel too; the
 * rest are stock paths: 'same' with a stride no wider than the filter, explicit pads, 'valid'.
 */
const DEPTHWISE_FORWARD_CASES: readonly DepthwiseCase[] = [
  { x: [2, 6, 6, 3], filter: [2, 2, 3, 2], strides: [2, 3], pad: 'same' },
  { x: [2, 7, 9, 2], filter: [3, 2, 2, 3], strides: 3, pad: 'same' },
  { x: [2, 6, 9, 2], filter: [1, 3, 2, 2], strides: 2, pad: 'same' },
  { x: [1, 5, 5, 2], filter: [3, 3, 2, 1], strides: [2, 3], pad: 1 },
  { x: [2, 5, 5, 2], filter: [3, 3, 2, 2], strides: [1, 2], pad: 2 },
  { x: [2, 8, 7, 3], filter: [3, 2, 3, 2], strides: 1, pad: 2, dilations: [2, 1] },
  { x: [2, 6, 6, 3], filter: [2, 2, 3, 2], strides: 2, pad: 0 },
  { x: [3, 8, 8, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'same' },
  {
    x: [2, 6, 5, 2],
    filter: [3, 3, 2, 2],
    strides: [2, 1],
    pad: ASYMMETRIC_EXPLICIT_PAD,
  },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'same', dilations: [1, 2] },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: [2, 3], pad: 'valid' },
];

describe('DepthwiseConv2dNative and FusedDepthwiseConv2D forward equal the CPU backend', () => {
  for (const c of DEPTHWISE_FORWARD_CASES) {
    it(convCaseLabel(c), async () => {
      await expectForwardEqualsCpu(DEPTHWISE_OP, c);
    });
  }
});

/** Stock wasm has no depthwise gradient kernels at all; dilation 1 (tfjs's gradients need it). */
const DEPTHWISE_GRAD_CASES: readonly DepthwiseCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'valid' },
  { x: [2, 7, 6, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same' },
  { x: [2, 6, 6, 3], filter: [2, 2, 3, 2], strides: [2, 3], pad: 'same' },
  { x: [3, 7, 9, 2], filter: [3, 2, 2, 3], strides: 3, pad: 'same' },
  { x: [2, 9, 7, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'valid' },
  { x: [2, 5, 5, 2], filter: [3, 3, 2, 2], strides: [1, 2], pad: 1 },
  {
    x: [2, 6, 5, 2],
    filter: [3, 3, 2, 2],
    strides: [2, 1],
    pad: ASYMMETRIC_EXPLICIT_PAD,
  },
];

describe('depthwise gradient kernels equal the CPU backend', () => {
  for (const c of DEPTHWISE_GRAD_CASES) {
    const label = convCaseLabel(c);
    const dyShape = (): number[] => {
      const y = tf.tidy(() =>
        tf.depthwiseConv2d(
          tf.zeros(c.x) as tf.Tensor4D,
          tf.zeros(c.filter) as tf.Tensor4D,
          c.strides,
          c.pad,
        ),
      );
      const shape = y.shape;
      y.dispose();
      return shape;
    };
    const attrs = { strides: c.strides, pad: c.pad, dilations: [1, 1] };
    it(`DepthwiseConv2dNativeBackpropFilter ${label}`, async () => {
      await expectKernelEqualsCpu(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: c.x, dy: dyShape() },
        { ...attrs, filterShape: c.filter },
        c.filter,
      );
    });
    it(`DepthwiseConv2dNativeBackpropInput ${label}`, async () => {
      await expectKernelEqualsCpu(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: dyShape(), filter: c.filter },
        { ...attrs, inputShape: c.x },
        c.x,
      );
    });
  }

  it('forward and gradients free every intermediate buffer', async () => {
    await tf.setBackend('wasm');
    const x = t([2, 6, 6, 3]) as tf.Tensor4D;
    const f = t([2, 2, 3, 2]) as tf.Tensor4D;
    const bias = t([6]);
    const loss = (input: tf.Tensor, filter: tf.Tensor): tf.Tensor =>
      tf.add(
        tf.sum(tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, [2, 3], 'same')),
        tf.sum(tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, 1)),
      );
    expectEveryRunFreed(() => [
      tf.depthwiseConv2d(x, f, [2, 3], 'same'),
      tf.depthwiseConv2d(x, f, 1, 1),
      tf.fused.depthwiseConv2d({
        x,
        filter: f,
        strides: [2, 3],
        pad: 'same',
        bias,
        activation: 'relu',
      }),
      ...tf.grads(loss)([x, f]),
    ]);
    tf.dispose([x, f, bias]);
  });
});

describe('pooling and reduction kernels equal the CPU backend', () => {
  const pools = [
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 5], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 5], size: 2, strides: 2, pad: 'same' },
    { x: [2, 9, 7, 4], size: 3, strides: 2, pad: 'same' },
    { x: [1, 6, 6, 2], size: 3, strides: 1, pad: 'valid' },
  ] as const;
  for (const p of pools) {
    it(`MaxPoolGrad x=[${p.x}] size=${p.size} strides=${p.strides} pad=${p.pad}, with ties`, async () => {
      const s = seed++;
      const r = await compareBackends(() => {
        seed = s;
        // relu makes windows of tied zeros: the gradient must go to the first maximum.
        const x = tf.relu(t([...p.x])) as tf.Tensor4D;
        const y = tf.maxPool(x, p.size, p.strides, p.pad);
        const attrs = { filterSize: p.size, strides: p.strides, pad: p.pad };
        return tf
          .engine()
          .runKernel('MaxPoolGrad', { dy: t(y.shape), input: x, output: y }, attrs) as tf.Tensor;
      });
      expect(r.error).toBeLessThan(TOLERANCE);
    });
  }
  it('AvgPool and MaxPool gradients exist on wasm and match', async () => {
    for (const op of ['avg', 'max'] as const) {
      const s = seed++;
      const r = await compareBackends(() => {
        seed = s;
        const x = t([2, 6, 6, 3]) as tf.Tensor4D;
        const f = (v: tf.Tensor) =>
          (op === 'avg'
            ? tf.avgPool(v as tf.Tensor4D, 2, 2, 'same')
            : tf.maxPool(v as tf.Tensor4D, 2, 2, 'same')
          ).sum();
        return tf.grad(f)(x);
      });
      expect(r.error).toBeLessThan(TOLERANCE);
    }
  });
  const reductions: [number[], number[], boolean][] = [
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[7, 9], [0], true],
    [[3, 4, 5], [1], false],
    [[3, 4, 5], [-1], true],
    [[10], [0], false],
  ];
  for (const [shape, axis, keepDims] of reductions) {
    it(`Sum shape=[${shape}] axis=[${axis}] keepDims=${keepDims}`, async () => {
      const s = seed++;
      const r = await compareBackends(() => {
        seed = s;
        return tf.sum(t(shape), axis, keepDims);
      });
      expect(r.wasmShape).toEqual(r.cpuShape);
      expect(r.error).toBeLessThan(TOLERANCE);
    });
  }
});

describe('GatherV2 equals the CPU backend', () => {
  const cases: { shape: number[]; indices: number[]; indexShape: number[]; axis: number }[] = [
    { shape: [6, 5], indices: [4, 0, 4, 2], indexShape: [4], axis: 0 },
    { shape: [6, 5], indices: [4, 1, 3], indexShape: [3], axis: 1 },
    { shape: [3, 4, 5, 2], indices: [2, 0, 4, 1, 1, 3], indexShape: [2, 3], axis: 2 },
    { shape: [3, 4, 5, 2], indices: [1, 0], indexShape: [2], axis: -1 },
    { shape: [7], indices: [6, 6, 0], indexShape: [3], axis: 0 },
    { shape: [4, 3], indices: [], indexShape: [0], axis: 0 },
  ];
  for (const c of cases) {
    it(`x=[${c.shape}] indices [${c.indexShape}] axis=${c.axis}`, async () => {
      const s = seed++;
      const r = await compareBackends(() => {
        seed = s;
        return tf.gather(t(c.shape), tf.tensor(c.indices, c.indexShape, 'int32'), c.axis);
      });
      expect(r.wasmShape).toEqual(r.cpuShape);
      expect(r.error).toBe(0);
    });
  }
  it('gathers int32 tensors, and reports an index out of range as the stock kernel does', async () => {
    const r = await compareBackends(() =>
      tf.cast(
        tf.gather(
          tf.tensor(
            [
              [1, 2],
              [3, 4],
              [5, 6],
            ],
            [3, 2],
            'int32',
          ),
          [2, 0],
        ),
        'float32',
      ),
    );
    expect(r.error).toBe(0);
    await tf.setBackend('wasm');
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => tf.gather(x, tf.tensor1d([0, 2], 'int32'))).toThrow(
      /index value 2 is not in \[0, 1\]/,
    );
    x.dispose();
  });
});

describe('Tile equals the CPU backend', () => {
  const cases: { shape: number[]; reps: number[] }[] = [
    { shape: [1, 1, 1, 6], reps: [4, 3, 5, 1] }, // batch norm's gradient: statistics over N, H, W
    { shape: [4, 3, 5, 1], reps: [1, 1, 1, 6] },
    { shape: [2, 3], reps: [3, 2] },
    { shape: [5], reps: [7] },
    { shape: [2, 1, 3, 2, 2], reps: [2, 3, 1, 2, 3] },
    { shape: [3, 2], reps: [1, 1] },
    { shape: [3, 2], reps: [0, 2] },
  ];
  for (const c of cases) {
    it(`x=[${c.shape}] reps=[${c.reps}]`, async () => {
      const s = seed++;
      const r = await compareBackends(() => {
        seed = s;
        return tf.tile(t(c.shape), c.reps);
      });
      expect(r.wasmShape).toEqual(r.cpuShape);
      expect(r.error).toBe(0);
    });
  }
  it('tiles int32 tensors too, and its gradient (a sum) still trains', async () => {
    const r = await compareBackends(() =>
      tf.cast(tf.tile(tf.tensor([[1, 2, 3]], [1, 3], 'int32'), [2, 2]), 'float32'),
    );
    expect(r.error).toBe(0);
    const s = seed++;
    const g = await compareBackends(() => {
      seed = s;
      return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tile(x, [3, 2]), t([6, 4]))))(t([2, 2]));
    });
    expect(g.error).toBeLessThan(TOLERANCE);
  });
});

describe('Tanh equals the CPU backend element by element', () => {
  it('over -20..20, near 0 on both sides of the series threshold, and at ±Infinity', async () => {
    const values = [
      ...Array.from(randomValues(4000, 77), (v) => 20 * v),
      ...Array.from(randomValues(2000, 78), (v) => 0.1 * v),
      ...Array.from(randomValues(500, 79), (v) => 1e-6 * v),
      0,
      SERIES_BELOW,
      -SERIES_BELOW,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    const fn = () => tf.tanh(tf.tensor1d(values));
    const cpu = await runOn('cpu', fn);
    const wasm = await runOn('wasm', fn);
    let worst = 0;
    cpu.values.forEach((expected, i) => {
      const got = wasm.values[i] as number;
      const error = Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-30);
      worst = Math.max(worst, error);
    });
    expect(worst).toBeLessThan(TOLERANCE);
    expect(Array.from(wasm.values.slice(-2))).toEqual([1, -1]);
  });
  it('passes NaN through, and its gradient still trains through it', async () => {
    await tf.setBackend('wasm');
    expect(Number.isNaN((await tf.tanh(tf.tensor1d([Number.NaN])).data())[0] as number)).toBe(true);
    const r = await compareBackends(() =>
      tf.grad((x: tf.Tensor) => tf.tanh(x).mul(x).sum())(tf.tensor1d([-2, -0.01, 0.3, 4])),
    );
    expect(r.error).toBeLessThan(TOLERANCE);
  });
});

describe('Identity and Cast share buffers safely', () => {
  it('clone and same-dtype cast share the buffer; dispose frees only the last reference', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const c = tf.clone(x);
    const s = tf.cast(x, 'float32');
    expect(c.dataId).toBe(x.dataId);
    expect(s.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(await c.data())).toEqual([1, 2, 3, 4]);
    c.dispose();
    expect(Array.from(await s.data())).toEqual([1, 2, 3, 4]);
    s.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
  it('a clone keeps its values when the variable it was cloned from is assigned', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor([1, 2, 3]));
    const c = tf.clone(v);
    v.assign(tf.tensor([7, 8, 9]));
    expect(Array.from(await c.data())).toEqual([1, 2, 3]);
    expect(Array.from(await v.data())).toEqual([7, 8, 9]);
    tf.dispose([v, c]);
  });
  it('casts between dtypes still convert', async () => {
    const s = seed++;
    const r = await compareBackends(() => {
      seed = s;
      return tf.cast(tf.cast(t([3, 5]).mul(10).round(), 'int32'), 'float32');
    });
    expect(r.error).toBe(0);
    const b = await compareBackends(() => {
      seed = s;
      return tf.cast(tf.greater(t([4, 4]), 0), 'float32');
    });
    expect(b.error).toBe(0);
  });
});
