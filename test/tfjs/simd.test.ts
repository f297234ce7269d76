import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/tfjs/backend/index.js';
import { ADAM_UPDATE } from '../../src/tfjs/backend/kernels/adam-update.js';
import type { AdamUpdateAttrs } from '../../src/tfjs/backend/kernels/adam-update.js';
import { setSimdEnabled, simdFunctions, wasmApi } from '../../src/tfjs/backend/simd/simd-module.js';
import {
  assemble,
  F32,
  forLoop,
  I32,
  ifElse,
  op,
  sleb,
  uleb,
  V128,
} from '../../src/tfjs/backend/simd/wasm-assembler.js';
import { randomValues, relativeError } from './numeric-helpers.js';

beforeAll(async () => {
  expect((await selectBackend({ prefer: 'wasm' })).name).toBe('wasm');
});

afterAll(() => setSimdEnabled(true));

describe('the wasm assembler', () => {
  it('encodes LEB128 as the specification does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-128)).toEqual([0x80, 0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('assembles a module whose loops, branches and SIMD ops run on an imported memory', () => {
    // f(at, n, s): x[i] *= s four lanes at a time for i < n & ~3; then, over the tail, the first
    // element is scaled too and the others are zeroed (an if/else on the index).
    const [AT, N, S, I, SV, END4] = [0, 1, 2, 3, 4, 5];
    const address: number[] = [...op.get(AT), ...op.get(I), ...op.i32Add];
    const body = [
      ...op.get(S),
      ...op.f32x4Splat,
      ...op.set(SV),
      ...[...op.get(N), ...op.i32(-4), ...op.i32And, ...op.i32(2), ...op.i32Shl],
      ...op.set(END4),
      ...forLoop(I, op.i32(0), op.get(END4), op.i32(16), [
        address,
        address,
        op.v128Load(),
        op.get(SV),
        op.f32x4Mul,
        op.v128Store(),
      ]),
      ...forLoop(I, op.get(END4), [...op.get(N), ...op.i32(2), ...op.i32Shl], op.i32(4), [
        op.get(I),
        [...op.get(END4), ...op.i32(4), ...op.i32Add],
        op.i32LtU,
        ifElse(
          [address, address, op.f32Load(), op.get(S), op.f32Mul, op.f32Store()],
          [address, op.f32(0), op.f32Store()],
        ),
      ]),
    ];
    const bytes = assemble([
      { name: 'f', params: [I32, I32, F32], locals: [I32, V128, I32], body },
    ]);
    if (wasmApi === undefined) throw new Error('Node has WebAssembly.');
    const memory = new wasmApi.Memory({ initial: 1 });
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    const heap = new Float32Array(memory.buffer);
    heap.set([1, 2, 3, 4, 5, 6, 7, 8], 4);
    (instance.exports as Record<string, (at: number, n: number, s: number) => void>)['f']?.(
      16,
      7,
      2,
    );
    expect(Array.from(heap.subarray(4, 12))).toEqual([2, 4, 6, 8, 10, 0, 0, 8]);
  });
});

describe('the SIMD module', () => {
  it('runs on the WASM backend that selectBackend loads (the path the tuner trains on)', () => {
    setSimdEnabled(true);
    const functions = simdFunctions(tf.backend() as BackendWasm);
    expect(functions).toBeDefined();
    expect(typeof functions?.gemmRow).toBe('function');
  });

  it('is skipped when turned off', () => {
    setSimdEnabled(false);
    expect(simdFunctions(tf.backend() as BackendWasm)).toBeUndefined();
    setSimdEnabled(true);
  });

  it('frees its scratch memory: products leave only their outputs behind', () => {
    setSimdEnabled(true);
    const backend = tf.backend() as BackendWasm;
    const [a, w, bias] = [tf.randomUniform([130, 300]), tf.randomUniform([300, 67]), tf.ones([67])];
    const [at, wt] = [a.transpose(), w.transpose()];
    const before = backend.numDataIds();
    tf.matMul(a, w).dispose();
    tf.matMul(at, wt, true, true).dispose();
    tf.fused.matMul({ a, b: w, bias, activation: 'relu' }).dispose();
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([a, w, bias, at, wt]);
  });

  it('gives the same Adam step as the JavaScript path, tails included', () => {
    const attrs: AdamUpdateAttrs = {
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      biasCorrection1: 1 - 0.9 ** 3,
      biasCorrection2: 1 - 0.999 ** 3,
    };
    for (const size of [1, 3, 4, 7, 64, 1001]) {
      const inputs = ['x', 'g', 'm', 'v'].map((_, i) => {
        const values = randomValues(size, 10 * size + i);
        // v is a second moment: non-negative.
        return tf.tensor(i === 3 ? values.map(Math.abs) : values);
      });
      const [x, g, m, v] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const step = (simd: boolean): Float32Array[] => {
        setSimdEnabled(simd);
        const out = tf.engine().runKernel(ADAM_UPDATE, { x, g, m, v }, { ...attrs }) as tf.Tensor[];
        const values = out.map((t) => Float32Array.from(t.dataSync()));
        tf.dispose(out);
        return values;
      };
      const js = step(false);
      const simd = step(true);
      simd.forEach((values, i) => expect(relativeError(values, js[i]!)).toBeLessThan(1e-6));
      tf.dispose(inputs);
    }
  });
});
