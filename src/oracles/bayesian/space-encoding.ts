/**
 * How the Bayesian oracle sees a search space. Two representations:
 *
 * - the **search cube**: one coordinate u ∈ [0, 1] per non-fixed parameter, decoded with
 *   `decode` from src/space (so steps, ints, log / reverse_log warping and choices are handled
 *   there and a proposal is always on the grid). Candidates are drawn and refined here.
 * - the **GP features**: what the kernel measures distances on. Int / Float: the warped
 *   position of the *decoded* value (`encode` of it: log and reverse_log warping, the centre of
 *   its slice for stepped ones); ordered Choice: its slice centre (ordinal); Boolean: 0 / 1;
 *   unordered Choice: one-hot (one dimension for two values); Fixed: nothing. Features are
 *   always computed from decoded values, so every point of the cube that decodes to the same
 *   configuration gets the same features and the acquisition is constant across a grid cell.
 *
 * Inactive conditional parameters (Keras Tuner issues #331 / #207, where an inactive value was
 * filled with the default and the GP believed that value had been tried): an inactive
 * parameter's feature dimensions get one fixed reference value — the middle of the range for a
 * numeric, ordinal or boolean parameter, the zero vector for a one-hot one — whatever the trial
 * holds for it. Two points that both lack the parameter are at distance 0 in its dimensions, so
 * the kernel compares them only on what they share; points on different branches already
 * differ in the parent's dimensions; no inactive point poses as an evaluation of a real value.
 */
import type { Parameter, ParamValue, ParamValues, SearchSpace } from '../../space/index.js';
import { decode, encode } from '../../space/index.js';

const INACTIVE_SCALAR = 0.5;

interface Slot {
  readonly parameter: Parameter;
  /** Index of this parameter's coordinate in the search cube, −1 for Fixed. */
  readonly cube: number;
  /** First feature dimension and how many. */
  readonly offset: number;
  readonly width: number;
  readonly oneHot: boolean;
  /** For each condition: the parent's slot index and the values that activate. */
  readonly parents: readonly { readonly slot: number; readonly values: readonly ParamValue[] }[];
}

function featureWidth(parameter: Parameter): { width: number; oneHot: boolean } {
  switch (parameter.kind) {
    case 'int':
    case 'float':
    case 'boolean':
      return { width: 1, oneHot: false };
    case 'choice':
      if (parameter.ordered || parameter.values.length <= 2)
        return { width: parameter.values.length > 1 ? 1 : 0, oneHot: false };
      return { width: parameter.values.length, oneHot: true };
    case 'fixed':
      return { width: 0, oneHot: false };
  }
}

export class SpaceEncoding {
  readonly space: SearchSpace;
  /** Dimensions of the search cube (non-fixed parameters). */
  readonly cubeDimension: number;
  /** Dimensions of the GP features. */
  readonly featureDimension: number;
  /**
   * Whether every searchable parameter is an unconditional Float without a step: then the
   * cube and the features coincide (feature k = cube coordinate k) and the acquisition is
   * differentiable in the cube.
   */
  readonly continuous: boolean;
  /**
   * Per feature: 1 for a position on an ordered scale (Int, Float, ordered Choice of more
   * than two values), 0 for an indicator that is 0 or 1 by construction (Boolean, one-hot and
   * two-valued Choice). The GP's bowl-shaped prior mean bends only the former.
   */
  readonly ordinalFeatures: Float64Array;
  readonly #slots: readonly Slot[];
  readonly #decoded: (ParamValue | undefined)[];

  constructor(space: SearchSpace) {
    this.space = space;
    const index = new Map(space.parameters.map((p, i) => [p.name, i]));
    let cube = 0;
    let offset = 0;
    this.#slots = space.parameters.map((parameter) => {
      const { width, oneHot } = featureWidth(parameter);
      const slot: Slot = {
        parameter,
        cube: parameter.kind === 'fixed' ? -1 : cube++,
        offset,
        width,
        oneHot,
        parents: parameter.conditions.map((c) => ({
          slot: index.get(c.parentName) ?? -1,
          values: c.values,
        })),
      };
      offset += width;
      return slot;
    });
    this.cubeDimension = cube;
    this.continuous = this.#slots.every(
      (slot) =>
        slot.parameter.kind === 'fixed' ||
        (slot.parameter.kind === 'float' &&
          slot.parameter.step === undefined &&
          slot.parameter.conditions.length === 0),
    );
    this.featureDimension = offset;
    this.ordinalFeatures = new Float64Array(offset);
    for (const slot of this.#slots) {
      const p = slot.parameter;
      const ordinal =
        p.kind === 'int' ||
        p.kind === 'float' ||
        (p.kind === 'choice' && p.ordered && p.values.length > 2);
      if (ordinal && slot.width === 1) this.ordinalFeatures[slot.offset] = 1;
    }
    this.#decoded = new Array<ParamValue | undefined>(this.#slots.length);
  }

  /** Writes the features of a configuration (values of the active parameters) at `out[offset..]`. */
  encodeValues(values: ParamValues, out: Float64Array, offset = 0): void {
    const decoded = this.#decoded;
    for (let s = 0; s < this.#slots.length; s++) {
      const slot = this.#slots[s] as Slot;
      const value = this.#isActive(slot) ? values[slot.parameter.name] : undefined;
      decoded[s] = value;
      this.#writeFeatures(slot, value, out, offset + slot.offset);
    }
  }

  /** The configuration that the cube point `u[uOffset..]` decodes to (active parameters only). */
  decodeCube(u: Float64Array, uOffset = 0): Record<string, ParamValue> {
    this.#decodeInto(u, uOffset);
    const out: Record<string, ParamValue> = {};
    for (let s = 0; s < this.#slots.length; s++) {
      const value = this.#decoded[s];
      if (value !== undefined) out[(this.#slots[s] as Slot).parameter.name] = value;
    }
    return out;
  }

  /** Features of the configuration that `u[uOffset..]` decodes to, without building it. */
  cubeToFeatures(u: Float64Array, uOffset: number, out: Float64Array, outOffset: number): void {
    this.#decodeInto(u, uOffset);
    for (let s = 0; s < this.#slots.length; s++) {
      const slot = this.#slots[s] as Slot;
      this.#writeFeatures(slot, this.#decoded[s], out, outOffset + slot.offset);
    }
  }

  /** A cube point that decodes to `values` (inactive parameters at 0.5), into `out[offset..]`. */
  valuesToCube(values: ParamValues, out: Float64Array, offset = 0): void {
    for (const slot of this.#slots) {
      if (slot.cube < 0) continue;
      const value = values[slot.parameter.name];
      out[offset + slot.cube] = value === undefined ? 0.5 : encode(slot.parameter, value);
    }
  }

  #decodeInto(u: Float64Array, uOffset: number): void {
    const decoded = this.#decoded;
    for (let s = 0; s < this.#slots.length; s++) {
      const slot = this.#slots[s] as Slot;
      decoded[s] = this.#isActive(slot)
        ? decode(slot.parameter, slot.cube < 0 ? 0.5 : (u[uOffset + slot.cube] as number))
        : undefined;
    }
  }

  /** Whether every condition of the slot holds for the values decoded so far (parents come first). */
  #isActive(slot: Slot): boolean {
    for (const parent of slot.parents) {
      const value = parent.slot < 0 ? undefined : this.#decoded[parent.slot];
      if (value === undefined || !parent.values.includes(value)) return false;
    }
    return true;
  }

  #writeFeatures(slot: Slot, value: ParamValue | undefined, out: Float64Array, at: number): void {
    if (slot.width === 0) return;
    const parameter = slot.parameter;
    if (slot.oneHot) {
      out.fill(0, at, at + slot.width);
      if (value !== undefined && parameter.kind === 'choice') {
        const k = parameter.values.indexOf(value);
        if (k >= 0) out[at + k] = 1;
      }
      return;
    }
    if (value === undefined) {
      out[at] = INACTIVE_SCALAR;
      return;
    }
    switch (parameter.kind) {
      case 'boolean':
        out[at] = value === true ? 1 : 0;
        return;
      case 'choice':
        out[at] = parameter.ordered
          ? encode(parameter, value)
          : parameter.values.indexOf(value) === 1
            ? 1
            : 0;
        return;
      default:
        out[at] = encode(parameter, value);
    }
  }
}
