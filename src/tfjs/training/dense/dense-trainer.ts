/**
 * `DenseTrainer`: trains a stack of dense layers ending in softmax with cross-entropy and Adam,
 * on a WebAssembly memory of its own, with hypertuner's SIMD matrix product and Adam step and
 * no TensorFlow.js on the way. A tfjs training step of such a network is ~125 kernel calls,
 * each with the engine's bookkeeping and a fresh tensor; here it is one pass forward (product,
 * then bias and activation in one loop), one backward (no input gradient for the first layer),
 * and one Adam step over every parameter at once, all in buffers laid out when the trainer is
 * made. The arithmetic is tfjs': float32 products, Adam as `tf.train.adam` (its moments and
 * bias corrections), the loss clipped as tfjs' `categoricalCrossentropy`; the gradient of
 * softmax with cross-entropy is (p - y) / rows, which is what tfjs' chain of ops computes
 * wherever no probability is clipped.
 *
 * Callers fill the input rows (`inputAt`) and targets (`targetAt`: one row of `classes`
 * probabilities per example, one-hot for class labels), then call `trainBatch` or `evaluate`.
 */
import type { Layout } from '../../backend/simd/gemm.js';
import { product, productScratch, productScratchFloats } from '../../backend/simd/gemm.js';
import { simdFunctionsOn, wasmApi } from '../../backend/simd/simd-module.js';
import type { SimdFunctions, WasmMemory } from '../../backend/simd/simd-module.js';
import {
  activateRows,
  multiplyByDerivative,
  needsInput,
  softmaxCrossEntropy,
} from './activations.js';
import type { DenseActivation } from './activations.js';

/** One dense layer: `inputs` → `units`, then its activation (softmax for the last layer). */
export interface DenseLayerSpec {
  readonly inputs: number;
  readonly units: number;
  readonly activation: DenseActivation | 'softmax';
  readonly useBias: boolean;
}

/** Adam's settings, as `tf.train.adam` takes them. */
export interface AdamSettings {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export interface DenseTrainerOptions {
  readonly layers: readonly DenseLayerSpec[];
  /** Most rows of a training batch. */
  readonly batchSize: number;
  /** Most rows `evaluate` takes at once (default: the larger of 1024 and batchSize). */
  readonly evalBatchSize?: number;
  readonly adam: AdamSettings;
}

/** Loss summed over the rows, and how many rows the arg-max got right. */
export interface BatchScore {
  readonly loss: number;
  readonly correct: number;
}

/** Float offsets of one layer's blocks. */
interface LayerAt {
  readonly kernel: number;
  readonly bias: number;
  /** Pre-activation (plus bias), rows × units. */
  readonly z: number;
  /** Activation, rows × units (the same block as z unless backward needs both). */
  readonly a: number;
}

const PAGE_FLOATS = 65536 / 4;
const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Whether this JavaScript engine can run the trainer (WebAssembly with SIMD). */
export function denseTrainerAvailable(): boolean {
  if (wasmApi === undefined) return false;
  return simdFunctionsOn(new wasmApi.Memory({ initial: 1 })) !== undefined;
}

export class DenseTrainer {
  readonly layers: readonly DenseLayerSpec[];
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly inputSize: number;
  readonly classes: number;
  /** Parameters (kernels then biases, layer by layer; blocks padded to 4 floats). */
  readonly paramCount: number;
  readonly adam: AdamSettings;
  /** Adam's β1ᵗ and β2ᵗ before the next step (tfjs' accBeta1, accBeta2). */
  accBeta1: number;
  accBeta2: number;
  readonly #simd: SimdFunctions;
  readonly #memory: WasmMemory;
  readonly #at: readonly LayerAt[];
  readonly #params: number;
  readonly #grads: number;
  readonly #m: number;
  readonly #v: number;
  readonly #x: number;
  readonly #y: number;
  readonly #delta: readonly [number, number];
  readonly #scratch: number;
  #h: Float32Array;

  constructor(options: DenseTrainerOptions) {
    const { layers, batchSize, adam } = options;
    const first = layers[0];
    const last = layers[layers.length - 1];
    if (first === undefined || last === undefined || last.activation !== 'softmax')
      throw new Error('DenseTrainer needs dense layers ending in softmax.');
    layers.forEach((l, i) => {
      if (i > 0 && l.inputs !== layers[i - 1]?.units)
        throw new Error(
          `DenseTrainer: layer ${i} takes ${l.inputs} inputs, not ${layers[i - 1]?.units}.`,
        );
      if (l.activation === 'softmax' && i !== layers.length - 1)
        throw new Error('DenseTrainer: softmax only ends the network.');
    });
    this.layers = layers;
    this.batchSize = batchSize;
    this.evalBatchSize = options.evalBatchSize ?? Math.max(1024, batchSize);
    this.inputSize = first.inputs;
    this.classes = last.units;
    this.adam = adam;
    this.accBeta1 = adam.beta1;
    this.accBeta2 = adam.beta2;
    const rows = Math.max(this.batchSize, this.evalBatchSize);
    let top = 16; // address 0 stays unused
    const alloc = (floats: number): number => {
      const at = top;
      top += align4(Math.max(floats, 1));
      return at;
    };
    // parameters, gradients and moments share one layout, so Adam is one pass over all of them
    let paramFloats = 0;
    const offsets = layers.map((l) => {
      const kernel = paramFloats;
      paramFloats += align4(l.inputs * l.units);
      const bias = l.useBias ? paramFloats : -1;
      if (l.useBias) paramFloats += align4(l.units);
      return { kernel, bias };
    });
    this.paramCount = paramFloats;
    this.#params = alloc(paramFloats);
    this.#grads = alloc(paramFloats);
    this.#m = alloc(paramFloats);
    this.#v = alloc(paramFloats);
    this.#x = alloc(rows * this.inputSize);
    this.#y = alloc(rows * this.classes);
    this.#at = layers.map((l, i) => {
      const z = alloc(rows * l.units);
      const separate = l.activation !== 'softmax' && needsInput(l.activation);
      const o = offsets[i] as { kernel: number; bias: number };
      return {
        kernel: this.#params + o.kernel,
        bias: o.bias < 0 ? -1 : this.#params + o.bias,
        z,
        a: separate ? alloc(rows * l.units) : z,
      };
    });
    const widest = Math.max(...layers.map((l) => l.units));
    this.#delta = [alloc(batchSize * widest), alloc(batchSize * widest)];
    const scratchFloats = Math.max(
      ...layers.flatMap((l) => [
        productScratchFloats(l.inputs, l.units),
        productScratchFloats(batchSize, l.units),
        productScratchFloats(l.units, l.inputs),
      ]),
    );
    this.#scratch = alloc(scratchFloats);
    if (wasmApi === undefined) throw new Error('DenseTrainer needs WebAssembly.');
    const memory = new wasmApi.Memory({ initial: Math.ceil(top / PAGE_FLOATS) + 1 });
    const simd = simdFunctionsOn(memory);
    if (simd === undefined) throw new Error('DenseTrainer needs WebAssembly SIMD.');
    this.#memory = memory;
    this.#simd = simd;
    this.#h = new Float32Array(memory.buffer);
  }

  /** The memory as floats (offsets below are into it). */
  get heap(): Float32Array {
    if (this.#h.buffer !== this.#memory.buffer) this.#h = new Float32Array(this.#memory.buffer);
    return this.#h;
  }

  /** Float offset of input row `row` (`inputSize` values). */
  inputAt(row: number): number {
    return this.#x + row * this.inputSize;
  }

  /** Float offset of target row `row` (`classes` values). */
  targetAt(row: number): number {
    return this.#y + row * this.classes;
  }

  /** Float offsets of layer `i`'s kernel (inputs × units, row-major) and bias (-1: none). */
  paramsAt(i: number): { readonly kernel: number; readonly bias: number } {
    const at = this.#at[i];
    if (at === undefined) throw new Error(`DenseTrainer has no layer ${i}.`);
    return { kernel: at.kernel, bias: at.bias };
  }

  /** Float offset of Adam's first (`m`) or second (`v`) moment of the value at param offset `at`. */
  momentAt(which: 'm' | 'v', at: number): number {
    return (which === 'm' ? this.#m : this.#v) + (at - this.#params);
  }

  /** Zeroes both moments and restarts the bias corrections (a fresh optimizer). */
  resetAdam(): void {
    this.heap.fill(0, this.#m, this.#m + this.paramCount);
    this.heap.fill(0, this.#v, this.#v + this.paramCount);
    this.accBeta1 = this.adam.beta1;
    this.accBeta2 = this.adam.beta2;
  }

  #gemm(
    a: number,
    b: number,
    c: number,
    dims: { m: number; k: number; n: number },
    la: Layout,
    lb: Layout,
  ): void {
    const scratch = productScratch(this.#scratch * 4, dims.k, dims.n);
    product(
      this.#simd,
      () => this.heap,
      { a: a * 4, b: b * 4, c: c * 4, ...scratch },
      dims,
      la,
      lb,
    );
  }

  /** Forward through every layer but the softmax (left as logits in the last z). */
  #forward(rows: number): void {
    const h = this.heap;
    this.layers.forEach((l, i) => {
      const at = this.#at[i] as LayerAt;
      const input = i === 0 ? this.#x : (this.#at[i - 1] as LayerAt).a;
      this.#gemm(
        input,
        at.kernel,
        at.z,
        { m: rows, k: l.inputs, n: l.units },
        { outer: l.inputs * 4, k: 4 },
        { outer: 4, k: l.units * 4 },
      );
      if (l.activation === 'softmax') return;
      if (l.units % 4 === 0) {
        const simd = this.#simd;
        simd[`act_${l.activation}`](
          at.z * 4,
          at.bias * 4,
          at.a * 4,
          rows,
          l.units,
          at.bias >= 0 ? 1 : 0,
        );
      } else activateRows(h, l.activation, at, rows, l.units);
    });
  }

  #score(rows: number, grad: number): BatchScore {
    const last = this.#at[this.#at.length - 1] as LayerAt;
    return softmaxCrossEntropy(
      this.heap,
      { z: last.z, bias: last.bias, p: last.a, y: this.#y, grad },
      rows,
      this.classes,
      rows,
    );
  }

  /** Loss and correct count of the first `rows` (≤ evalBatchSize) input rows; no update. */
  evaluate(rows: number): BatchScore {
    if (rows > this.evalBatchSize)
      throw new Error(`DenseTrainer.evaluate takes at most ${this.evalBatchSize} rows.`);
    this.#forward(rows);
    return this.#score(rows, -1);
  }

  /** One Adam step on the mean loss of the first `rows` (≤ batchSize) rows; their score before it. */
  trainBatch(rows: number): BatchScore {
    const score = this.computeGradients(rows, rows);
    this.applyGradients();
    return score;
  }

  /**
   * Gradients of the loss of the first `rows` rows, summed and divided by `meanOver` (the whole
   * batch's rows, when other threads train the rest of it), into the gradient block; their score.
   */
  computeGradients(rows: number, meanOver: number): BatchScore {
    if (rows > this.batchSize)
      throw new Error(`DenseTrainer takes at most ${this.batchSize} rows per batch.`);
    this.#forward(rows);
    let delta = this.#delta[0];
    const last = this.#at[this.#at.length - 1] as LayerAt;
    const score = softmaxCrossEntropy(
      this.heap,
      { z: last.z, bias: last.bias, p: last.a, y: this.#y, grad: delta },
      rows,
      this.classes,
      meanOver,
    );
    const h = this.heap;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i] as DenseLayerSpec;
      const at = this.#at[i] as LayerAt;
      const gradKernel = this.#grads + (at.kernel - this.#params);
      const input = i === 0 ? this.#x : (this.#at[i - 1] as LayerAt).a;
      // dW = inputᵀ · δ
      this.#gemm(
        input,
        delta,
        gradKernel,
        { m: l.inputs, k: rows, n: l.units },
        { outer: 4, k: l.inputs * 4 },
        { outer: 4, k: l.units * 4 },
      );
      if (at.bias >= 0) {
        const gb = this.#grads + (at.bias - this.#params);
        if (l.units % 4 === 0) this.#simd.colSum(delta * 4, gb * 4, rows, l.units);
        else {
          h.fill(0, gb, gb + l.units);
          for (let r = 0; r < rows; r++) {
            const d = delta + r * l.units;
            for (let j = 0; j < l.units; j++)
              h[gb + j] = (h[gb + j] as number) + (h[d + j] as number);
          }
        }
      }
      if (i === 0) break;
      // δ of the layer below = δ · Wᵀ ⊙ f'
      const below = this.#at[i - 1] as LayerAt;
      const next = delta === this.#delta[0] ? this.#delta[1] : this.#delta[0];
      this.#gemm(
        delta,
        at.kernel,
        next,
        { m: rows, k: l.units, n: l.inputs },
        { outer: l.units * 4, k: 4 },
        { outer: l.units * 4, k: 4 },
      );
      const act = (this.layers[i - 1] as DenseLayerSpec).activation;
      if (act === 'softmax' || act === 'linear') {
        // nothing to multiply
      } else if (l.inputs % 4 === 0)
        this.#simd[`dact_${act}`](next * 4, below.a * 4, below.z * 4, rows * l.inputs);
      else multiplyByDerivative(h, act, { g: next, a: below.a, z: below.z }, rows * l.inputs);
      delta = next;
    }
    return score;
  }

  /** Float offset of the parameter block (`paramCount` floats; gradients and moments alike). */
  get paramsBase(): number {
    return this.#params;
  }

  /** Float offset of the gradient block, laid out as the parameters. */
  get gradsBase(): number {
    return this.#grads;
  }

  /** One Adam step with the gradient block (from {@link computeGradients}, plus any added to it). */
  applyGradients(): void {
    this.#adamStep();
  }

  #adamStep(): void {
    const f = Math.fround;
    const { learningRate, beta1, beta2, epsilon } = this.adam;
    const k1 = 1 / f(1 - this.accBeta1);
    const k2 = 1 / f(1 - this.accBeta2);
    const [p, g, m, v] = [this.#params, this.#grads, this.#m, this.#v].map((o) => o * 4) as [
      number,
      number,
      number,
      number,
    ];
    this.#simd.adam(
      p,
      g,
      m,
      v,
      p,
      m,
      v,
      this.paramCount,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      epsilon,
      -learningRate,
      k1,
      k2,
    );
    this.accBeta1 = f(this.accBeta1 * f(beta1));
    this.accBeta2 = f(this.accBeta2 * f(beta2));
  }
}
