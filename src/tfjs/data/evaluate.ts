/**
 * Evaluating a compiled model on typed arrays in batches, without one big tensor for the
 * whole set: loss and metrics weighted by batch size, as Keras reports them.
 */
import { oneHot, tensor, tensor1d, tidy } from '@tensorflow/tfjs';
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** Default 256. */
  readonly batchSize?: number;
}

function exampleShape(model: LayersModel): number[] {
  const shape = model.inputs[0]?.shape.slice(1) ?? [];
  if (shape.some((d) => d === null)) {
    throw new HypertunerError(
      'MODEL_SHAPE_UNDEFINED',
      `evaluateModel needs a fully defined input shape; got [${shape.join(', ')}].`,
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
  const outputs = model.outputs[0]?.shape[1] ?? 1;
  const sparse = typeof model.loss === 'string' && /^sparse/i.test(model.loss);
  const indices = y.length === count;
  if (!Number.isInteger(count) || (!indices && y.length !== count * outputs)) {
    throw new HypertunerError(
      'DATA_SHAPE_MISMATCH',
      `evaluateModel: x has ${x.length} values for input [${shape.join(', ')}] and y has ${y.length}; they disagree.`,
      { field: 'y' },
    );
  }
  const names = model.metricsNames;
  const sums = new Array<number>(names.length).fill(0);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const values = tidy(() => {
      const xb = tensor(x.subarray(start * size, end * size), [end - start, ...shape], 'float32');
      let yb: Tensor;
      if (indices) {
        const labels = tensor1d(
          Array.from({ length: end - start }, (_, i) => y[start + i] as number),
          'int32',
        );
        yb =
          sparse || outputs === 1
            ? labels.toFloat().reshape([end - start, 1])
            : oneHot(labels, outputs).toFloat();
      } else {
        yb = tensor(
          Array.from(
            { length: (end - start) * outputs },
            (_, i) => y[start * outputs + i] as number,
          ),
          [end - start, outputs],
          'float32',
        );
      }
      const out = model.evaluate(xb, yb, { batchSize: end - start }) as Scalar | Scalar[];
      return (Array.isArray(out) ? out : [out]).map((s) => s.dataSync()[0] ?? Number.NaN);
    });
    values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * (end - start)));
  }
  const result: Record<string, number> = {};
  names.forEach((name, i) => {
    result[name] = (sums[i] ?? 0) / Math.max(count, 1);
    if (name === 'acc') result['accuracy'] ??= result[name];
    if (name === 'accuracy') result['acc'] ??= result[name];
  });
  return result;
}

/** The predicted class (arg-max) of each example, in batches. */
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
      return (model.predict(xb) as Tensor).argMax(-1).dataSync();
    });
    out.set(classes, start);
  }
  return out;
}
