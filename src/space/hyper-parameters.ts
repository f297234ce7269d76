/**
 * `HyperParameters`: the define-by-run front end of a search space, as in Keras Tuner.
 * `hp.Int('units', {min: 16, max: 256, step: 16})` registers the parameter the first time it
 * is called and returns the current trial's value.
 */
import { HypertunerError } from './errors.js';
import type { Condition, Parameter, ParamValue, ParamValues, Sampling } from './parameter.js';
import { isActive } from './parameter.js';
import { SearchSpace } from './search-space.js';
import { SpaceErrorCode, validateParameter } from './validate-parameter.js';

/**
 * Declares a parameter active only when `parentName` has one of `parentValues` (inside
 * `hp.nameScope`, `parentName` is looked up in the scope first, then as given).
 */
export interface ConditionOptions {
  readonly parentName?: string;
  readonly parentValues?: readonly ParamValue[];
}

export interface NumberOptions extends ConditionOptions {
  readonly min: number;
  readonly max: number;
  /** Grid step; with log sampling a multiplier (> 1). Int without step has step 1. */
  readonly step?: number;
  readonly sampling?: Sampling;
  /** Defaults to `min`. */
  readonly default?: number;
}

export interface ChoiceOptions<T extends ParamValue> extends ConditionOptions {
  /** Whether the order of values means something (default: true for numbers, false otherwise). */
  readonly ordered?: boolean;
  /** Defaults to the first value. */
  readonly default?: T;
}

export interface BooleanOptions extends ConditionOptions {
  readonly default?: boolean;
}

/** What value a parameter gets when the trial has none for it (it is new, or was inactive). */
export type MissingValuePolicy = (parameter: Parameter) => ParamValue;

export interface HyperParametersOptions {
  /** Parameters already known (e.g. the study's space). */
  readonly space?: SearchSpace;
  /** The trial's values, as proposed by an oracle. */
  readonly values?: ParamValues;
  /** Value for a parameter without one; defaults to the parameter's default. */
  readonly onMissing?: MissingValuePolicy;
  /**
   * Definitions that win over declarations of the same name (Keras Tuner's pre-set
   * `hyperparameters`): `hp.Float('lr', ...)` in a model builder takes the preset's range, or
   * its value when the preset is `Fixed`.
   */
  readonly preset?: SearchSpace;
  /**
   * What a declaration of a name the preset does not have does: `'tune'` (default) declares it;
   * `'default'` (Keras Tuner's `tuneNewEntries: false`) declares it Fixed at its default, so no
   * oracle tunes it; `'forbid'` (`allowNewEntries: false`) throws `SPACE_NEW_ENTRY_NOT_ALLOWED`.
   */
  readonly newEntries?: NewEntriesPolicy;
}

/** See `HyperParametersOptions.newEntries`. */
export type NewEntriesPolicy = 'tune' | 'default' | 'forbid';

export class HyperParameters {
  #space: SearchSpace;
  readonly #proposed: ParamValues;
  readonly #values: Record<string, ParamValue> = {};
  readonly #onMissing: MissingValuePolicy;
  readonly #preset: SearchSpace | undefined;
  readonly #newEntries: NewEntriesPolicy;
  readonly #conditionStack: Condition[] = [];
  readonly #nameStack: string[] = [];

  constructor(options: HyperParametersOptions = {}) {
    this.#space = options.space ?? new SearchSpace();
    this.#proposed = options.values ?? {};
    this.#onMissing = options.onMissing ?? ((p) => p.default);
    this.#preset = options.preset;
    this.#newEntries = options.newEntries ?? 'tune';
  }

  /** The parameters declared so far (the given space plus those registered by this run). */
  get space(): SearchSpace {
    return this.#space;
  }

  /** The values of the active parameters seen by this run. */
  get values(): ParamValues {
    return { ...this.#values };
  }

  /** An integer parameter. */
  Int(name: string, options: NumberOptions): number {
    return this.#numeric('int', name, options);
  }

  /** A real-valued parameter. */
  Float(name: string, options: NumberOptions): number {
    return this.#numeric('float', name, options);
  }

  #numeric(kind: 'int' | 'float', name: string, options: NumberOptions): number {
    return this.#register({
      kind,
      name: this.#scopedName(name),
      min: options.min,
      max: options.max,
      step: options.step,
      sampling: options.sampling ?? 'linear',
      default: options.default ?? options.min,
      conditions: this.#conditions(name, options),
    }) as number;
  }

  /**
   * One of `values` (all numbers, all strings or all booleans). The result has the type of the
   * values listed: `hp.Choice('activation', ['relu', 'tanh'])` is `'relu' | 'tanh'`, so it can
   * go straight into an option that takes only some strings, such as a layer's `activation`.
   */
  Choice<const T extends ParamValue>(
    name: string,
    values: readonly T[],
    options: ChoiceOptions<NoInfer<T>> = {},
  ): T {
    const list = Array.isArray(values) ? [...values] : [];
    return this.#register({
      kind: 'choice',
      name: this.#scopedName(name),
      values: list,
      ordered: options.ordered ?? typeof list[0] === 'number',
      default: options.default ?? (list[0] as T),
      conditions: this.#conditions(name, options),
    }) as T;
  }

  /** true or false. */
  Boolean(name: string, options: BooleanOptions = {}): boolean {
    return this.#register({
      kind: 'boolean',
      name: this.#scopedName(name),
      default: options.default ?? false,
      conditions: this.#conditions(name, options),
    }) as boolean;
  }

  /** A constant value, recorded with the trial. */
  Fixed<T extends ParamValue>(name: string, value: T, options: ConditionOptions = {}): T {
    return this.#register({
      kind: 'fixed',
      name: this.#scopedName(name),
      value,
      default: value,
      conditions: this.#conditions(name, options),
    }) as T;
  }

  /**
   * The current value of an active parameter. Inside `nameScope`, `name` is looked up in the
   * scope first (innermost first), then as given.
   */
  get(name: string): ParamValue {
    const resolved = this.#resolve(name);
    const value = this.#values[resolved];
    if (value !== undefined) return value;
    const known = this.#space.has(resolved) ? 'is inactive in this trial' : 'is not declared';
    throw new HypertunerError(
      SpaceErrorCode.UnknownParameter,
      `hp.get('${name}'): the parameter ${known}. Declared: ${this.#space.parameters.map((p) => p.name).join(', ') || '(none)'}.`,
      { field: name },
    );
  }

  /**
   * Runs `body` only when `parentName`'s value is one of `parentValues`; parameters declared
   * inside are conditional on it. Returns `body`'s result, or undefined when inactive. Inside
   * `nameScope`, `parentName` is looked up in the scope first, then as given.
   */
  conditionalScope<T>(
    parentName: string,
    parentValues: readonly ParamValue[],
    body: () => T,
  ): T | undefined {
    const parent = this.#resolve(parentName);
    if (!this.#space.has(parent)) {
      throw new HypertunerError(
        SpaceErrorCode.UnknownParent,
        `hp.conditionalScope('${parentName}'): the parent parameter is not declared yet; declare it before the scope.`,
        { field: parentName },
      );
    }
    const condition: Condition = { parentName: parent, values: [...parentValues] };
    if (
      !isActive(
        { kind: 'fixed', name: '', value: 0, default: 0, conditions: [condition] },
        this.#values,
      )
    ) {
      return undefined;
    }
    this.#conditionStack.push(condition);
    try {
      return body();
    } finally {
      this.#conditionStack.pop();
    }
  }

  /** Prefixes the names of parameters declared in `body` with `scope/`. */
  nameScope<T>(scope: string, body: () => T): T {
    this.#nameStack.push(scope);
    try {
      return body();
    } finally {
      this.#nameStack.pop();
    }
  }

  #scopedName(name: string): string {
    return this.#nameStack.length === 0 ? name : `${this.#nameStack.join('/')}/${name}`;
  }

  /** The declared parameter `name` refers to: in the innermost name scope that has it, else as given. */
  #resolve(name: string): string {
    for (let depth = this.#nameStack.length; depth > 0; depth--) {
      const scoped = `${this.#nameStack.slice(0, depth).join('/')}/${name}`;
      if (this.#space.has(scoped)) return scoped;
    }
    return name;
  }

  #conditions(name: string, options: ConditionOptions): Condition[] {
    const conditions = [...this.#conditionStack];
    if (options.parentName !== undefined || options.parentValues !== undefined) {
      if (options.parentName === undefined || options.parentValues === undefined) {
        throw new HypertunerError(
          SpaceErrorCode.UnknownParent,
          `Parameter '${name}': parentName and parentValues must be given together.`,
          { field: name },
        );
      }
      const parentName = this.#resolve(options.parentName);
      if (!this.#space.has(parentName)) {
        throw new HypertunerError(
          SpaceErrorCode.UnknownParent,
          `Parameter '${name}': parent '${options.parentName}' is not declared; declare the parent first.`,
          { field: name },
        );
      }
      conditions.push({ parentName, values: [...options.parentValues] });
    }
    return conditions;
  }

  /** The definition a declaration stands for under the preset and the new-entries policy. */
  #effective(declared: Parameter): Parameter {
    const preset = this.#preset?.get(declared.name);
    if (preset !== undefined)
      return preset.conditions.length > 0 ? preset : { ...preset, conditions: declared.conditions };
    switch (this.#newEntries) {
      case 'tune':
        return declared;
      case 'default':
        return {
          kind: 'fixed',
          name: declared.name,
          value: declared.default,
          default: declared.default,
          conditions: declared.conditions,
        };
      case 'forbid':
        throw new HypertunerError(
          'SPACE_NEW_ENTRY_NOT_ALLOWED',
          `Parameter '${declared.name}' is not one of the preset hyperparameters (${this.#preset?.parameters.map((p) => p.name).join(', ') || 'none'}) and allowNewEntries is false; add it to them, or allow new entries.`,
          { field: declared.name },
        );
    }
  }

  #register(declaration: Parameter): ParamValue {
    validateParameter(declaration);
    const parameter = this.#effective(declaration);
    this.#space = this.#space.with(parameter);
    const declared = this.#space.get(parameter.name) ?? parameter;
    if (!isActive(declared, this.#values)) return declared.default;
    const existing = this.#values[declared.name];
    if (existing !== undefined) return existing;
    // a Fixed parameter has its value whatever was proposed (e.g. made Fixed by tuneNewEntries: false)
    const proposed = declared.kind === 'fixed' ? declared.value : this.#proposed[declared.name];
    const value = proposed !== undefined ? proposed : this.#onMissing(declared);
    this.#values[declared.name] = value;
    return value;
  }
}
