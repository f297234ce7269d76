/**
 * Which tfjs models the dense trainer can train, and moving their state in and out of it: a
 * Sequential (or functional chain) of Flatten and Dense layers ending in softmax, compiled with
 * `tf.train.adam`, cross-entropy and at most accuracy as a metric; nothing the trainer does not
 * compute (regularizers, constraints, dropout, frozen layers) — anything else trains through
 * TensorFlow.js as before. Weights and Adam's state (moments, β powers, iterations) are read
 * from the model's variables and written back to them, so checkpoints and `getWeights` see
 * what the trainer did.
 */
import { AdamOptimizer, scalar, tensor, tidy } from '@tensorflow/tfjs';
import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import { adamMoment } from '../fused-adam.js';
import type { AdamInternals } from '../fused-adam.js';
import { DENSE_ACTIVATIONS } from './activations.js';
import type { DenseActivation } from './activations.js';
import type { AdamSettings, DenseLayerSpec, DenseTrainer } from './dense-trainer.js';

/** A layer variable of tfjs-layers: its value and a way to set it. */
interface LayerVariableLike {
  readonly name: string;
  read(): Variable;
  write(value: Tensor): void;
}

/** What the trainer needs of a model it can train. */
export interface DensePlan {
  readonly layers: readonly DenseLayerSpec[];
  readonly adam: AdamSettings;
  /** Per layer, its kernel and bias variables (bias undefined without one). */
  readonly variables: readonly { kernel: LayerVariableLike; bias: LayerVariableLike | undefined }[];
  /** Index of each variable in the model's trainable weights (the optimizer's slot). */
  readonly slots: readonly { kernel: number; bias: number }[];
}

const ACCEPTED_METRICS = new Set(['loss', 'acc', 'accuracy']);
const ACCEPTED_LOSSES = new Set(['categoricalCrossentropy', 'sparseCategoricalCrossentropy']);

interface DenseConfig {
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelRegularizer: unknown;
  readonly biasRegularizer: unknown;
  readonly activityRegularizer: unknown;
  readonly kernelConstraint: unknown;
  readonly biasConstraint: unknown;
}

/** The plan for `model`, or a sentence saying why the dense trainer cannot train it. */
export function densePlan(model: LayersModel): DensePlan | string {
  const optimizer = model.optimizer as unknown as AdamInternals | undefined | null;
  if (
    optimizer === undefined ||
    optimizer === null ||
    model.optimizer.getClassName() !== AdamOptimizer.className ||
    !Array.isArray(optimizer.accumulatedFirstMoment)
  )
    return 'the optimizer is not tf.train.adam';
  const loss = model.loss;
  if (typeof loss !== 'string' || !ACCEPTED_LOSSES.has(loss))
    return `the loss is not (sparse) categorical cross-entropy`;
  if (!model.metricsNames.every((m) => ACCEPTED_METRICS.has(m)))
    return `a metric other than accuracy (${model.metricsNames.join(', ')})`;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return 'several inputs or outputs';
  const trainable = model.trainableWeights.map((w) => w.name);
  const layers: DenseLayerSpec[] = [];
  const variables: DensePlan['variables'][number][] = [];
  const slots: DensePlan['slots'][number][] = [];
  let width = (model.inputs[0]?.shape.slice(1) ?? []).reduce<number>((a, b) => a * (b ?? NaN), 1);
  let flat = (model.inputs[0]?.shape.length ?? 0) === 2;
  for (const layer of model.layers) {
    const name = layer.getClassName();
    if (name === 'InputLayer') continue;
    if (name === 'Flatten' && layers.length === 0) {
      flat = true;
      continue;
    }
    if (name !== 'Dense') return `a ${name} layer`;
    if (!flat) return 'a Dense layer on inputs of more than one axis';
    if (!layer.trainable) return 'a frozen layer';
    const config = layer.getConfig() as unknown as DenseConfig;
    const extras = [
      config.kernelRegularizer,
      config.biasRegularizer,
      config.activityRegularizer,
      config.kernelConstraint,
      config.biasConstraint,
    ];
    if (extras.some((e) => e !== null && e !== undefined)) return 'a regularizer or constraint';
    const activation = config.activation;
    if (activation !== 'softmax' && !(DENSE_ACTIVATIONS as readonly string[]).includes(activation))
      return `the activation ${activation}`;
    const own = layer.trainableWeights as unknown as LayerVariableLike[];
    const kernel = own.find((w) => w.name.endsWith('/kernel'));
    const bias = config.useBias ? own.find((w) => w.name.endsWith('/bias')) : undefined;
    if (kernel === undefined || (config.useBias && bias === undefined) || !Number.isInteger(width))
      return 'a Dense layer without its weights';
    layers.push({
      inputs: width,
      units: config.units,
      activation: activation as DenseActivation | 'softmax',
      useBias: config.useBias,
    });
    variables.push({ kernel, bias });
    slots.push({
      kernel: trainable.indexOf(kernel.name),
      bias: bias === undefined ? -1 : trainable.indexOf(bias.name),
    });
    width = config.units;
  }
  const last = layers[layers.length - 1];
  if (last === undefined || last.activation !== 'softmax') return 'no softmax output layer';
  if (layers.slice(0, -1).some((l) => l.activation === 'softmax'))
    return 'softmax before the last layer';
  if (variables.length === 0 || slots.some((s) => s.kernel < 0)) return 'untracked weights';
  if (trainable.length !== layers.reduce((n, l) => n + (l.useBias ? 2 : 1), 0))
    return 'trainable weights outside the dense layers';
  return {
    layers,
    variables,
    slots,
    adam: {
      learningRate: optimizer.learningRate,
      beta1: optimizer.beta1,
      beta2: optimizer.beta2,
      epsilon: optimizer.epsilon,
    },
  };
}

function optimizerOf(model: LayersModel): AdamInternals {
  return model.optimizer as unknown as AdamInternals;
}

/** Copies the model's weights and Adam's state into the trainer. */
export function loadIntoTrainer(model: LayersModel, plan: DensePlan, trainer: DenseTrainer): void {
  const adam = optimizerOf(model);
  const h = trainer.heap;
  const pairs: [LayerVariableLike, number, number][] = [];
  plan.variables.forEach((v, i) => {
    const at = trainer.paramsAt(i);
    const slot = plan.slots[i] as { kernel: number; bias: number };
    pairs.push([v.kernel, at.kernel, slot.kernel]);
    if (v.bias !== undefined) pairs.push([v.bias, at.bias, slot.bias]);
  });
  for (const [variable, at, slot] of pairs) {
    const value = variable.read();
    h.set(value.dataSync() as Float32Array, at);
    const m = adam.accumulatedFirstMoment[slot]?.variable;
    const v = adam.accumulatedSecondMoment[slot]?.variable;
    const size = value.size;
    if (m === undefined) h.fill(0, trainer.momentAt('m', at), trainer.momentAt('m', at) + size);
    else h.set(m.dataSync() as Float32Array, trainer.momentAt('m', at));
    if (v === undefined) h.fill(0, trainer.momentAt('v', at), trainer.momentAt('v', at) + size);
    else h.set(v.dataSync() as Float32Array, trainer.momentAt('v', at));
  }
  trainer.accBeta1 = adam.accBeta1.dataSync()[0] as number;
  trainer.accBeta2 = adam.accBeta2.dataSync()[0] as number;
}

/** Copies the trainer's weights and Adam's state back into the model; `steps` Adam steps ran. */
export function storeFromTrainer(
  trainer: DenseTrainer,
  plan: DensePlan,
  model: LayersModel,
  steps: number,
): void {
  const adam = optimizerOf(model);
  const h = trainer.heap;
  tidy(() => {
    plan.variables.forEach((v, i) => {
      const at = trainer.paramsAt(i);
      const slot = plan.slots[i] as { kernel: number; bias: number };
      const items: [LayerVariableLike, number, number][] = [[v.kernel, at.kernel, slot.kernel]];
      if (v.bias !== undefined) items.push([v.bias, at.bias, slot.bias]);
      for (const [variable, offset, slotIndex] of items) {
        const current = variable.read();
        const size = current.size;
        const shape = current.shape;
        variable.write(tensor(h.slice(offset, offset + size), shape, 'float32'));
        const name = current.name;
        adamMoment(adam.accumulatedFirstMoment, slotIndex, `${name}/m`, current).assign(
          tensor(
            h.slice(trainer.momentAt('m', offset), trainer.momentAt('m', offset) + size),
            shape,
          ),
        );
        adamMoment(adam.accumulatedSecondMoment, slotIndex, `${name}/v`, current).assign(
          tensor(
            h.slice(trainer.momentAt('v', offset), trainer.momentAt('v', offset) + size),
            shape,
          ),
        );
      }
    });
    adam.accBeta1.assign(scalar(trainer.accBeta1));
    adam.accBeta2.assign(scalar(trainer.accBeta2));
  });
  for (let s = 0; s < steps; s++) adam.incrementIterations();
}
