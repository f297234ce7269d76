/**
 * Evaluating a compiled model on typed arrays in batches, without one big tensor for the
 * whole set: loss and metrics weighted by batch size, as Keras reports them.
 */
import { oneHot, tensor, tensor1d, tidy } from '@tensorflow/tfjs';
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';
import { denseEvaluate } from '../training/dense/dense-runner.js';
import { isSparseLoss } from './sparse-loss.js';

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** Default 256. */
  readonly batchSize?: number;
}

/** The shape of one example of the model's first input or output, all of it defined. */
function exampleShape(model: LayersModel, which: 'input' | 'output' = 'input'): number[] {
  const shape = (which === 'input' ? model.inputs : model.outputs)[0]?.shape.slice(1) ?? [];
  if (shape.some((d) => d === null)) {
    throw new HypertunerError(
      'MODEL_SHAPE_UNDEFINED',
      `evaluateModel needs a fully defined ${which} shape; got [${shape.join(', ')}].`,
      { field: 'model' },
    );
  }
  return shape as number[];
}

/**
 * Loss and metrics of `model` on features `x` (flat, row-major) and labels `y` (class
 * indices, or targets of the output's size per example), keyed as the model names them
 * (`loss`, `acc`), with `accuracy` beside `acc`.
 */
export function evaluateModel(
  model: LayersModel,
  x: Float32Array,
  y: ArrayLike<number>,
  options: EvaluateOptions = {},
): Record<string, number> {
  const batchSize = options.batchSize ?? 256;
  const shape = exampleShape(model);
  const size = shape.reduce((a, b) => a * b, 1);
  const count = x.length / size;
  const outShape = exampleShape(model, 'output');
  const outputs = outShape.reduce((a, b) => a * b, 1);
  const sparse = isSparseLoss(model);
  // One value per example: class indices to one-hot encode, unless the loss is sparse or the
  // output has one unit (regression, binary), where the values are the targets themselves.
  const perExample = y.length === count && (sparse || outputs === 1);
  const indices = y.length === count && !perExample;
  if (!Number.isInteger(count) || (y.length !== count && y.length !== count * outputs)) {
    throw new HypertunerError(
      'DATA_SHAPE_MISMATCH',
      `evaluateModel: x has ${x.length} values for input [${shape.join(', ')}] and y has ${y.length}; they disagree.`,
      { field: 'y' },
    );
  }
  if (indices) {
    for (let i = 0; i < count; i++) {
      const label = y[i] as number;
      if (!Number.isInteger(label) || label < 0 || label >= outputs) {
        throw new HypertunerError(
          'DATA_SHAPE_MISMATCH',
          `evaluateModel: y[${i}] = ${label} is not a class index in [0, ${outputs}).`,
          { field: 'y' },
        );
      }
    }
  }
  const names = model.metricsNames;
  // a stack of dense layers: hypertuner's dense trainer, without a tensor per batch
  const dense = denseEvaluate(model, {
    count,
    x,
    y,
    xShape: shape,
    yShape: perExample || indices ? [1] : outShape,
    oneHot: false,
  });
  if (dense !== undefined) return withAccuracyAlias(names, dense);
  const sums = new Array<number>(names.length).fill(0);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const values = tidy(() => {
      const xb = tensor(x.subarray(start * size, end * size), [end - start, ...shape], 'float32');
      // values per example in y: one (targets of a one-unit output, or a class index), or the output's size
      const width = perExample || indices ? 1 : outputs;
      const targets = Float32Array.from(
        { length: (end - start) * width },
        (_, i) => y[start * width + i] as number,
      );
      const yb: Tensor = indices
        ? oneHot(tensor1d(targets, 'int32'), outputs).toFloat()
        : tensor(targets, [end - start, ...(perExample ? [1] : outShape)], 'float32');
      const out = model.evaluate(xb, yb, { batchSize: end - start }) as Scalar | Scalar[];
      return (Array.isArray(out) ? out : [out]).map((s) => s.dataSync()[0] ?? Number.NaN);
    });
    values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * (end - start)));
  }
  return withAccuracyAlias(
    names,
    sums.map((s) => s / Math.max(count, 1)),
  );
}

/** The values keyed by the model's names, with `accuracy` beside `acc` (and the reverse). */
function withAccuracyAlias(
  names: readonly string[],
  values: readonly number[],
): Record<string, number> {
  const result: Record<string, number> = {};
  names.forEach((name, i) => {
    result[name] = values[i] ?? Number.NaN;
    if (name === 'acc') result['accuracy'] ??= result[name];
    if (name === 'accuracy') result['acc'] ??= result[name];
  });
  return result;
}

/**
 * The predicted class of each example, in batches, as Keras' `predict_classes`: the arg-max of
 * the output, or, when the output has one unit (binary, sigmoid), 1 where it is above 0.5.
 */
export function predictClasses(
  model: LayersModel,
  x: Float32Array,
  options: EvaluateOptions = {},
): Int32Array {
  const batchSize = options.batchSize ?? 256;
  const shape = exampleShape(model);
  const size = shape.reduce((a, b) => a * b, 1);
  const count = x.length / size;
  const out = new Int32Array(count);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const classes = tidy(() => {
      const xb = tensor(x.subarray(start * size, end * size), [end - start, ...shape], 'float32');
      const p = model.predict(xb) as Tensor;
      const binary = p.shape[p.shape.length - 1] === 1;
      return (binary ? p.greater(0.5).reshape(p.shape.slice(0, -1)) : p.argMax(-1))
        .toInt()
        .dataSync();
    });
    out.set(classes, start);
  }
  return out;
}
