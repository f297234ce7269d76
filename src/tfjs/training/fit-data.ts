/**
 * Training data as flat typed arrays, and batches assembled from them without touching the
 * backend: rows are copied into reused Float32Arrays, then one tensor is made per batch.
 */
import { tensor } from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { isSparseLoss } from '../data/sparse-loss.js';

/**
 * Features or labels: a tensor whose first axis is the sample, or a flat typed array.
 * Labels may be dense targets (n × output size) or class indices (length n, one-hot encoded
 * on the fly unless the model's loss is a sparse one).
 */
export type FitInput =
  | Tensor
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** Features and labels laid out for batching. */
export interface FitArrays {
  readonly count: number;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
  /** Labels are class indices to one-hot encode into `yShape[0]` classes. */
  readonly oneHot: boolean;
}

function sampleShape(shape: readonly (number | null)[], what: string): number[] {
  const rest = shape.slice(1);
  if (rest.some((d) => d === null)) {
    throw new Error(`fastFit needs a fully defined ${what} shape; got [${shape.join(', ')}].`);
  }
  return rest as number[];
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function values(input: FitInput): ArrayLike<number> {
  if (ArrayBuffer.isView(input)) return input;
  if (input.dtype !== 'float32' && input.dtype !== 'int32' && input.dtype !== 'bool') {
    throw new Error(`fastFit takes float32, int32 or bool tensors; got ${input.dtype}.`);
  }
  return input.dataSync() as ArrayLike<number>;
}

/** Reads `x` and `y` against the model's single input and output. */
export function toFitArrays(model: LayersModel, x: FitInput, y: FitInput): FitArrays {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error('fastFit supports models with one input and one output.');
  }
  const xShape = sampleShape(model.inputs[0]?.shape ?? [], 'input');
  const outShape = sampleShape(model.outputs[0]?.shape ?? [], 'output');
  const xSize = sizeOf(xShape);
  const xValues = values(x);
  const count = ArrayBuffer.isView(x) ? xValues.length / xSize : (x.shape[0] ?? 0);
  if (!Number.isInteger(count) || count * xSize !== xValues.length) {
    throw new Error(
      `fastFit: x has ${xValues.length} values, not a multiple of the input size ${xSize}.`,
    );
  }
  const yValues = values(y);
  const outSize = sizeOf(outShape);
  const sparseLoss = isSparseLoss(model);
  if (yValues.length === count * outSize && !sparseLoss) {
    return { count, x: xValues, y: yValues, xShape, yShape: outShape, oneHot: false };
  }
  if (yValues.length === count) {
    return sparseLoss || outSize === 1
      ? { count, x: xValues, y: yValues, xShape, yShape: [1], oneHot: false }
      : { count, x: xValues, y: yValues, xShape, yShape: [outSize], oneHot: true };
  }
  throw new Error(
    `fastFit: y has ${yValues.length} values; expected ${count} class indices or ` +
      `${count} × ${outSize} targets.`,
  );
}

/** Makes batch tensors from rows of {@link FitArrays}, reusing two staging buffers. */
export class BatchAssembler {
  private readonly xBuffer: Float32Array;
  private readonly yBuffer: Float32Array;
  private readonly xSize: number;
  private readonly ySize: number;

  constructor(
    private readonly data: FitArrays,
    batchSize: number,
  ) {
    this.xSize = sizeOf(data.xShape);
    this.ySize = sizeOf(data.yShape);
    this.xBuffer = new Float32Array(batchSize * this.xSize);
    this.yBuffer = new Float32Array(batchSize * this.ySize);
  }

  /** Tensors [b, ...xShape] and [b, ...yShape] of samples `order[start..end)`; caller disposes. */
  batch(order: Uint32Array, start: number, end: number): [Tensor, Tensor] {
    const { data, xSize, ySize, xBuffer, yBuffer } = this;
    const b = end - start;
    const xs = data.x;
    const ys = data.y;
    const contiguous = xs instanceof Float32Array;
    for (let r = 0; r < b; r++) {
      const i = order[start + r] as number;
      if (contiguous) {
        xBuffer.set(xs.subarray(i * xSize, (i + 1) * xSize), r * xSize);
      } else {
        for (let k = 0; k < xSize; k++) xBuffer[r * xSize + k] = xs[i * xSize + k] as number;
      }
    }
    if (data.oneHot) {
      yBuffer.fill(0, 0, b * ySize);
      for (let r = 0; r < b; r++) {
        const label = ys[order[start + r] as number] as number;
        if (!Number.isInteger(label) || label < 0 || label >= ySize) {
          throw new Error(`fastFit: label ${label} is not a class index in [0, ${ySize}).`);
        }
        yBuffer[r * ySize + label] = 1;
      }
    } else {
      for (let r = 0; r < b; r++) {
        const i = order[start + r] as number;
        for (let k = 0; k < ySize; k++) yBuffer[r * ySize + k] = ys[i * ySize + k] as number;
      }
    }
    return [
      tensor(xBuffer.subarray(0, b * xSize), [b, ...data.xShape], 'float32'),
      tensor(yBuffer.subarray(0, b * ySize), [b, ...data.yShape], 'float32'),
    ];
  }
}
