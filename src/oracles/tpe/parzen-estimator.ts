/**
 * A Parzen estimator: a weighted mixture of product kernels over one or more dimensions.
 * With one dimension it is the univariate estimator of TPE; with several, the joint
 * (multivariate) one: kernel k is the product of every dimension's kernel k.
 */
import type { Random } from '../../math/random.js';
import type { KernelSet } from './kernels.js';

export class ParzenEstimator {
  readonly logWeights: Float64Array;
  readonly dimensions: readonly KernelSet[];
  readonly #cumulative: Float64Array;
  readonly #scratch: Float64Array;

  constructor(logWeights: Float64Array, dimensions: readonly KernelSet[]) {
    this.logWeights = logWeights;
    this.dimensions = dimensions;
    this.#cumulative = new Float64Array(logWeights.length);
    let sum = 0;
    logWeights.forEach((lw, k) => {
      sum += Math.exp(lw);
      this.#cumulative[k] = sum;
    });
    this.#scratch = new Float64Array(logWeights.length);
  }

  /** log p(point); `point[d]` is in dimension d's internal representation. */
  logDensity(point: ArrayLike<number>): number {
    const scratch = this.#scratch;
    scratch.set(this.logWeights);
    for (let d = 0; d < this.dimensions.length; d++) {
      (this.dimensions[d] as KernelSet).addLogDensities(point[d] as number, scratch);
    }
    let max = -Infinity;
    for (let k = 0; k < scratch.length; k++)
      if ((scratch[k] as number) > max) max = scratch[k] as number;
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (let k = 0; k < scratch.length; k++) sum += Math.exp((scratch[k] as number) - max);
    return max + Math.log(sum);
  }

  /** A draw: a kernel by weight, then each dimension from that kernel. */
  sample(random: Random): Float64Array {
    const cumulative = this.#cumulative;
    const u = random.next() * (cumulative[cumulative.length - 1] as number);
    let k = 0;
    while (k < cumulative.length - 1 && (cumulative[k] as number) <= u) k++;
    const point = new Float64Array(this.dimensions.length);
    for (let d = 0; d < this.dimensions.length; d++)
      point[d] = (this.dimensions[d] as KernelSet).sample(k, random);
    return point;
  }
}
