/**
 * `HyperResNet`: Keras Tuner's ResNet hypermodel, sized for training on a CPU. Keras Tuner
 * searches ImageNet-sized networks (stages of 3, 4-8, 6-36 and 3 bottleneck blocks, 64 to 2048
 * filters); here the same search is over networks that train in seconds to minutes on small
 * images:
 *
 * - `version`: `v1` (post-activation) or `v2` (pre-activation, the default). Keras Tuner's
 *   third, `next` (ResNeXt), needs grouped convolutions, which TensorFlow.js layers lack.
 * - depth: `conv3_depth` in {1, 2} and `conv4_depth` in {1, 2, 3} bottleneck blocks (Keras
 *   Tuner's names; its values are {4, 8} and {6, 23, 36}); the first and last stages have one.
 * - width: `base_filters` in {8, 16, 32}, the first stage's bottleneck width (doubled at each
 *   stage, as ResNet's 64, 128, 256, 512).
 * - `pooling` (global average or max), `dropout` before the classifier (0-0.5, step 0.1),
 *   `optimizer` (adam, rmsprop, sgd) and `learning_rate` (0.1, 0.01 or 0.001, default 0.01), as
 *   Keras Tuner.
 *
 * Images up to 64 pixels a side get a 3×3 stem at full resolution instead of ImageNet's 7×7
 * stride-2 convolution and max-pool (which would leave a 28×28 image 7×7 before the first block).
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
import type { ResNetVersion } from './resnet-blocks.js';
import { resnetPost, resnetStack, resnetStem } from './resnet-blocks.js';

export type HyperResNetOptions = ImageHyperModelOptions;

export class HyperResNet extends ImageHyperModel {
  constructor(options: HyperResNetOptions) {
    super('HyperResNet', options);
  }

  build(hp: HyperParameters): LayersModel {
    const version = hp.Choice('version', ['v1', 'v2'] as const, { default: 'v2' }) as ResNetVersion;
    const conv3Depth = hp.Choice('conv3_depth', [1, 2]);
    const conv4Depth = hp.Choice('conv4_depth', [1, 2, 3]);
    const base = hp.Choice('base_filters', [8, 16, 32], { default: 16 });

    const input = tf.input({ shape: [...this.inputShape] });
    let x = this.augment?.apply(hp, input) ?? input;
    const small = Math.max(this.inputShape[0] ?? 0, this.inputShape[1] ?? 0) <= 64;
    x = resnetStem(version, x, base, small);
    // v1 downsamples in the first block of stages 3-5, v2 in the last block of stages 2-4
    const stride = (stage: number): number =>
      version === 'v1' ? (stage === 2 ? 1 : 2) : stage === 5 ? 1 : 2;
    x = resnetStack(version, x, base, 1, stride(2), 'conv2');
    x = resnetStack(version, x, base * 2, conv3Depth, stride(3), 'conv3');
    x = resnetStack(version, x, base * 4, conv4Depth, stride(4), 'conv4');
    x = resnetStack(version, x, base * 8, 1, stride(5), 'conv5');
    x = resnetPost(version, x);

    x = tunedPooling(hp, x, ['avg', 'max']);
    const dropout = hp.Float('dropout', { min: 0, max: 0.5, step: 0.1, default: 0 });
    if (dropout > 0) x = tf.layers.dropout({ rate: dropout }).apply(x) as SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: softmaxOutput(x, this.classes),
      name: 'ResNet',
    });
    return compileClassifier(model, tunedOptimizer(hp, [0.1, 0.01, 0.001], 0.01));
  }
}
