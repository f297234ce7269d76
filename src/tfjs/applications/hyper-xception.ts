/**
 * `HyperXception`: Keras Tuner's Xception hypermodel, sized for training on a CPU. The same
 * parameters as Keras Tuner's, with smaller widths and depths:
 *
 * - `activation`: relu (separable convolutions without bias, batch norm, then ReLU) or selu
 *   (self-normalising: LeCun-normal initialisation, no batch norm);
 * - the entry convolution: `conv2d_num_filters` in {8, 16, 32} (Keras Tuner: 32, 64, 128),
 *   `kernel_size` 3 or 5, stride 2;
 * - the middle flow: `num_residual_blocks` 1-4 (Keras Tuner: 2-8) residual blocks of two
 *   separable convolutions with `sep_num_filters` 16-96 filters, step 16 (Keras Tuner:
 *   128-768, step 128); then the exit flow's block, twice as wide, with a stride-2 max-pool;
 * - `pooling`: global average, flatten or global max;
 * - the head: `num_dense_layers` 1-3 Dense layers of `sep_num_filters` units, each with
 *   `dropout_rate` (0-0.6, step 0.1, default 0.5) and, with relu, batch norm when
 *   `dense_use_bn`;
 * - `optimizer` (adam, rmsprop) and `learning_rate` 1e-3, 1e-4 or 1e-5, as Keras Tuner's.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { HyperParameters } from '../../space/index.js';
import type { ImageHyperModelOptions } from './application-options.js';
import {
  ImageHyperModel,
  compileClassifier,
  softmaxOutput,
  tunedOptimizer,
  tunedPooling,
} from './application-options.js';

type Activation = 'relu' | 'selu';

const applied = (layer: tf.layers.Layer, x: SymbolicTensor): SymbolicTensor =>
  layer.apply(x) as SymbolicTensor;

/** relu: convolution without bias, batch norm, ReLU; selu: the convolution activated. */
function normalisedActivation(
  activation: Activation,
  x: SymbolicTensor,
  make: (selu: boolean) => tf.layers.Layer,
): SymbolicTensor {
  if (activation === 'selu') return applied(make(true), x);
  const y = applied(tf.layers.batchNormalization({ axis: -1 }), applied(make(false), x));
  return applied(tf.layers.activation({ activation: 'relu' }), y);
}

function sepConv(x: SymbolicTensor, filters: number, activation: Activation): SymbolicTensor {
  return normalisedActivation(activation, x, (selu) =>
    tf.layers.separableConv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      ...(selu
        ? {
            activation: 'selu',
            depthwiseInitializer: 'leCunNormal',
            pointwiseInitializer: 'leCunNormal',
          }
        : { useBias: false }),
    }),
  );
}

function entryConv(
  x: SymbolicTensor,
  filters: number,
  kernelSize: number,
  strides: number,
  activation: Activation,
): SymbolicTensor {
  return normalisedActivation(activation, x, (selu) =>
    tf.layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      ...(selu ? { activation: 'selu', kernelInitializer: 'leCunNormal' } : { useBias: false }),
    }),
  );
}

/** Two separable convolutions added to the shortcut; the exit block also halves the size. */
function residual(
  x: SymbolicTensor,
  filters: number,
  activation: Activation,
  downsample: boolean,
): SymbolicTensor {
  const channels = x.shape[x.shape.length - 1];
  let shortcut = x;
  if (downsample || channels !== filters)
    shortcut = applied(
      tf.layers.conv2d({ filters, kernelSize: 1, strides: downsample ? 2 : 1, padding: 'same' }),
      x,
    );
  let y = sepConv(sepConv(x, filters, activation), filters, activation);
  if (downsample)
    y = applied(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), y);
  return tf.layers.add().apply([y, shortcut]) as SymbolicTensor;
}

export type HyperXceptionOptions = ImageHyperModelOptions;

export class HyperXception extends ImageHyperModel {
  constructor(options: HyperXceptionOptions) {
    super('HyperXception', options);
  }

  build(hp: HyperParameters): LayersModel {
    const activation = hp.Choice('activation', ['relu', 'selu'] as const) as Activation;
    const input = tf.input({ shape: [...this.inputShape] });
    let x = this.augment?.apply(hp, input) ?? input;

    const entryFilters = hp.Choice('conv2d_num_filters', [8, 16, 32], { default: 16 });
    const kernelSize = hp.Choice('kernel_size', [3, 5]);
    const strides = hp.Choice('initial_strides', [2]);
    x = entryConv(x, entryFilters, kernelSize, strides, activation);

    const sepFilters = hp.Int('sep_num_filters', { min: 16, max: 96, step: 16, default: 32 });
    const blocks = hp.Int('num_residual_blocks', { min: 1, max: 4, default: 2 });
    for (let i = 0; i < blocks; i++) x = residual(x, sepFilters, activation, false);
    x = residual(x, 2 * sepFilters, activation, true);

    x = tunedPooling(hp, x, ['avg', 'flatten', 'max']);
    const denseLayers = hp.Int('num_dense_layers', { min: 1, max: 3 });
    const dropout = hp.Float('dropout_rate', { min: 0, max: 0.6, step: 0.1, default: 0.5 });
    const batchNorm = hp.Boolean('dense_use_bn', { default: true });
    for (let i = 0; i < denseLayers; i++) {
      x = applied(
        tf.layers.dense({
          units: sepFilters,
          activation,
          ...(activation === 'selu' ? { kernelInitializer: 'leCunNormal' } : {}),
        }),
        x,
      );
      if (activation === 'relu' && batchNorm)
        x = applied(tf.layers.batchNormalization({ axis: -1 }), x);
      if (dropout > 0) x = applied(tf.layers.dropout({ rate: dropout }), x);
    }
    const model = tf.model({
      inputs: input,
      outputs: softmaxOutput(x, this.classes),
      name: 'Xception',
    });
    return compileClassifier(
      model,
      tunedOptimizer(hp, [1e-3, 1e-4, 1e-5], 1e-3, ['adam', 'rmsprop']),
    );
  }
}
