/**
 * `SearchSpace`: an ordered, immutable set of parameter definitions. Parents come before the
 * parameters that depend on them, so values can be drawn in order.
 */
import { combineConditions, describeConditions } from './combine-conditions.js';
import { HypertunerError } from './errors.js';
import type { Parameter, ParamValue, ParamValues } from './parameter.js';
import { cardinality, isActive } from './parameter.js';
import { decode } from './unit-cube.js';
import { SpaceErrorCode, validateParameter, describeRange } from './validate-parameter.js';

/** The JSON form of a search space (also what storage keeps). */
export interface SearchSpaceJson {
  readonly version: 1;
  readonly parameters: readonly Parameter[];
}

function sameDefinition(a: Parameter, b: Parameter): boolean {
  const strip = (p: Parameter): string => {
    const { default: _default, conditions: _conditions, ...rest } = p;
    return JSON.stringify(rest, Object.keys(rest).sort());
  };
  return strip(a) === strip(b);
}

export class SearchSpace {
  readonly parameters: readonly Parameter[];
  readonly #byName: ReadonlyMap<string, Parameter>;

  constructor(parameters: readonly Parameter[] = []) {
    const byName = new Map<string, Parameter>();
    for (const parameter of parameters) {
      validateParameter(parameter);
      if (byName.has(parameter.name)) {
        throw new HypertunerError(
          SpaceErrorCode.Redeclared,
          `Parameter '${parameter.name}' is declared twice.`,
          { field: parameter.name },
        );
      }
      for (const condition of parameter.conditions) {
        if (!byName.has(condition.parentName)) {
          throw new HypertunerError(
            SpaceErrorCode.UnknownParent,
            `Parameter '${parameter.name}' has a condition on '${condition.parentName}', which is not declared before it.`,
            { field: parameter.name },
          );
        }
      }
      byName.set(parameter.name, parameter);
    }
    this.parameters = Object.freeze([...parameters]);
    this.#byName = byName;
  }

  /** The number of parameters. */
  get size(): number {
    return this.parameters.length;
  }

  /** The parameter called `name`, or undefined. */
  get(name: string): Parameter | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /**
   * This space with `parameter` added. Re-declaring an existing name with the same definition
   * returns this space; with a different type or range it throws `SPACE_REDECLARED`.
   * Re-declared under other conditions (the same name in two conditional scopes, as Keras
   * Tuner allows), the parameter becomes active when either declaration's conditions hold; it
   * keeps its place. When that cannot be written as conditions on parent values (e.g. two
   * scopes on different parents), it throws `SPACE_REDECLARED` naming both conditions.
   */
  with(parameter: Parameter): SearchSpace {
    const existing = this.#byName.get(parameter.name);
    if (existing !== undefined) {
      if (!sameDefinition(existing, parameter)) {
        throw new HypertunerError(
          SpaceErrorCode.Redeclared,
          `Parameter '${parameter.name}' was declared as ${existing.kind} (${describeRange(existing)}) and is now re-declared as ${parameter.kind} (${describeRange(parameter)}); a name keeps one type and range.`,
          { field: parameter.name },
        );
      }
      const conditions = combineConditions(existing.conditions, parameter.conditions);
      if (conditions === undefined) {
        throw new HypertunerError(
          SpaceErrorCode.Redeclared,
          `Parameter '${parameter.name}' was declared when ${describeConditions(existing.conditions)} and is re-declared when ${describeConditions(parameter.conditions)}; a parameter can be active under either of two scopes only when they differ in the values of one parent. Use distinct names.`,
          { field: parameter.name },
        );
      }
      if (conditions === existing.conditions) return this;
      return new SearchSpace(
        this.parameters.map((p) => (p === existing ? { ...existing, conditions } : p)),
      );
    }
    return new SearchSpace([...this.parameters, parameter]);
  }

  /** The union of two spaces (same rules as `with`). */
  merge(other: SearchSpace): SearchSpace {
    return other.parameters.reduce<SearchSpace>((space, p) => space.with(p), this);
  }

  /** The parameters whose conditions hold for `values`, in order. */
  activeParameters(values: ParamValues): Parameter[] {
    return this.parameters.filter((p) => isActive(p, values));
  }

  /** Keeps only the active parameters' values (drops values of inactive ones). */
  pruneInactive(values: ParamValues): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const p of this.parameters) {
      const value = values[p.name];
      if (value !== undefined && isActive(p, out)) out[p.name] = value;
    }
    return out;
  }

  /** Default values of the active parameters. */
  defaults(): Record<string, ParamValue> {
    return this.complete({}, () => 0.5, true);
  }

  /**
   * Fills in the values of active parameters missing from `partial`, in order, by decoding
   * `draw()` (uniform in [0,1)) — or with defaults when `useDefaults` is set.
   */
  complete(
    partial: ParamValues,
    draw: () => number,
    useDefaults = false,
  ): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const p of this.parameters) {
      if (!isActive(p, out)) continue;
      const given = partial[p.name];
      out[p.name] = given !== undefined ? given : useDefaults ? p.default : decode(p, draw());
    }
    return out;
  }

  /** Number of distinct configurations, `Infinity` when a parameter is continuous. An upper bound with conditions. */
  cardinality(): number {
    return this.parameters.reduce((n, p) => n * cardinality(p), 1);
  }

  toJSON(): SearchSpaceJson {
    return { version: 1, parameters: this.parameters };
  }

  static fromJSON(json: unknown): SearchSpace {
    if (
      typeof json !== 'object' ||
      json === null ||
      !Array.isArray((json as SearchSpaceJson).parameters)
    ) {
      throw new HypertunerError(
        SpaceErrorCode.InvalidJson,
        'A search space in JSON must be an object with a "parameters" list.',
        { field: 'parameters' },
      );
    }
    const parameters = (json as SearchSpaceJson).parameters.map((p, i) => normaliseParameter(p, i));
    return new SearchSpace(parameters);
  }
}

/**
 * Checks that an entry of a JSON space is an object with a list of conditions, and restores
 * fields JSON drops (`undefined` step) so that a round trip gives equal definitions. The
 * definition itself is checked by `validateParameter`.
 */
function normaliseParameter(raw: Parameter, index: number): Parameter {
  const entry = raw as unknown;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new HypertunerError(
      SpaceErrorCode.InvalidJson,
      `A search space in JSON: parameters[${index}] must be a parameter object (with kind, name, conditions), got ${entry === null ? 'null' : Array.isArray(entry) ? 'a list' : typeof entry}.`,
      { field: 'parameters' },
    );
  }
  const rawConditions = (raw.conditions as unknown) ?? [];
  if (
    !Array.isArray(rawConditions) ||
    !rawConditions.every(
      (c: unknown) =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as { parentName?: unknown }).parentName === 'string' &&
        Array.isArray((c as { values?: unknown }).values),
    )
  ) {
    throw new HypertunerError(
      SpaceErrorCode.InvalidJson,
      `A search space in JSON: parameters[${index}].conditions must be a list of {parentName, values}.`,
      { field: 'conditions' },
    );
  }
  const conditions = (rawConditions as Parameter['conditions']).map((c) => ({
    parentName: c.parentName,
    values: [...c.values],
  }));
  switch (raw.kind) {
    case 'int':
    case 'float':
      return { ...raw, step: raw.step ?? undefined, conditions };
    default:
      return { ...raw, conditions };
  }
}

/** A canonical string of a configuration: equal for equal values whatever the key order. */
export function configurationKey(values: ParamValues): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((k) => [k, values[k]]),
  );
}
