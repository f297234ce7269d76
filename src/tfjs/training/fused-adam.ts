/**
 * Fused Adam: makes a `tf.train.adam` optimizer update each variable with one kernel
 * (`HypertunerAdamUpdate`, installed with the fast WASM kernels) instead of ~15 elementwise
 * ones. The optimizer keeps its own state — moments `name/m`, `name/v`, `accBeta1/2`,
 * iterations — so `getWeights`, `setWeights`, `getConfig` and checkpoints are unchanged, and it
 * falls back to the stock update on any backend without the kernel.
 */
import {
  AdamOptimizer,
  engine,
  getBackend,
  getKernel,
  scalar,
  tidy,
  zerosLike,
} from '@tensorflow/tfjs';
import type { NamedTensorMap, Optimizer, Tensor, Variable } from '@tensorflow/tfjs';
import { ADAM_UPDATE } from '../backend/kernels/adam-update.js';
import type { AdamUpdateAttrs } from '../backend/kernels/adam-update.js';

/** The private fields of tfjs' AdamOptimizer the fused update (and the dense trainer) read and write. */
export interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: Variable } | undefined)[];
  incrementIterations(): void;
  applyGradients(grads: NamedTensorMap | NamedTensor[]): void;
}

/** A gradient in the list form `Optimizer.applyGradients` accepts. */
interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}

const FUSED = Symbol.for('hypertuner.fusedAdam');

/** Adam's moment variable of slot `i` (made, zero, when the optimizer has none yet). */
export function adamMoment(
  list: AdamInternals['accumulatedFirstMoment'],
  i: number,
  name: string,
  value: Variable,
): Variable {
  const entry = (list[i] ??= {
    originalName: name,
    variable: tidy(() => zerosLike(value).variable(false)),
  });
  return entry.variable;
}

function fusedApply(
  adam: AdamInternals,
  grads: NamedTensorMap | NamedTensor[],
  stockApply: (grads: NamedTensorMap | NamedTensor[]) => void,
): void {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  const variables = names.map((name) => engine().registeredVariables[name]);
  if (
    getKernel(ADAM_UPDATE, getBackend()) === undefined ||
    variables.some((v) => v === undefined || v.dtype !== 'float32')
  ) {
    stockApply(grads);
    return;
  }
  const f = Math.fround;
  const acc1 = adam.accBeta1.dataSync()[0] as number;
  const acc2 = adam.accBeta2.dataSync()[0] as number;
  const attrs: AdamUpdateAttrs = {
    learningRate: adam.learningRate,
    beta1: adam.beta1,
    beta2: adam.beta2,
    epsilon: adam.epsilon,
    biasCorrection1: f(1 - acc1),
    biasCorrection2: f(1 - acc2),
  };
  tidy(() => {
    names.forEach((name, i) => {
      const value = variables[i] as Variable;
      const m = adamMoment(adam.accumulatedFirstMoment, i, `${name}/m`, value);
      const v = adamMoment(adam.accumulatedSecondMoment, i, `${name}/v`, value);
      const g = Array.isArray(grads) ? grads[i]?.tensor : grads[name];
      if (g === undefined || g === null) return;
      const out = engine().runKernel(ADAM_UPDATE, { x: value, g, m, v }, { ...attrs }) as Tensor[];
      const [x1, m1, v1] = out as [Tensor, Tensor, Tensor];
      m.assign(m1);
      v.assign(v1);
      value.assign(x1);
    });
    adam.accBeta1.assign(scalar(f(acc1 * f(adam.beta1))));
    adam.accBeta2.assign(scalar(f(acc2 * f(adam.beta2))));
  });
  adam.incrementIterations();
}

/**
 * Makes `optimizer`, when it is a `tf.train.adam`, apply its gradients with the fused kernel
 * whenever the active backend has it. Returns whether the optimizer is (now) fused; other
 * optimizers are left alone. Idempotent.
 */
export function fuseAdam(optimizer: Optimizer | undefined): boolean {
  // Optimizer's Symbol.hasInstance accepts any optimizer, so `instanceof` cannot tell Adam.
  if (optimizer === undefined || optimizer.getClassName() !== AdamOptimizer.className) {
    return false;
  }
  const marked = optimizer as unknown as Record<symbol, boolean>;
  if (marked[FUSED] === true) return true;
  const adam = optimizer as unknown as AdamInternals;
  if (adam.accBeta1 === undefined || !Array.isArray(adam.accumulatedFirstMoment)) return false;
  const stockApply = adam.applyGradients.bind(optimizer);
  adam.applyGradients = (grads) => fusedApply(adam, grads, stockApply);
  marked[FUSED] = true;
  return true;
}
