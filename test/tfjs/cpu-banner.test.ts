/**
 * On the cpu backend (asked for, or the fallback without WASM) the only words printed are
 * hypertuner's: tfjs' own banner, which its cpu backend prints on the first tensor it holds in
 * Node ("install our node backend"), stays silent.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../src/tfjs/backend/index.js';

afterEach(() => vi.restoreAllMocks());

describe('the cpu backend', () => {
  it("prints no banner of tfjs' own on its first tensor", async () => {
    // tfjs still has the banner: a fresh cpu backend would print it on its first tensor
    expect((tf.findBackend('cpu') as unknown as { firstUse?: unknown }).firstUse).toBe(true);
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    expect((await selectBackend({ prefer: 'cpu' })).name).toBe('cpu');
    const sum = tf.tidy(() => tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
    expect(sum).toBe(6);
    const printed = [...warn.mock.calls, ...log.mock.calls].map((args) => args.join(' '));
    expect(printed.filter((text) => /TensorFlow\.js in Node\.js/.test(text))).toEqual([]);
  });
});
