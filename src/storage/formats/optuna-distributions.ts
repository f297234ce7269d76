/**
 * Optuna's parameter distributions (`optuna/distributions.py`) and our parameter kinds, both
 * ways. Optuna keeps a distribution with every parameter of every trial, as JSON text
 * (`{"name": "IntDistribution", "attributes": {...}}`; older files: UniformDistribution,
 * LogUniformDistribution, DiscreteUniformDistribution, IntUniformDistribution,
 * IntLogUniformDistribution, or the short `{"type": "int", ...}` form), and a value in its
 * "internal" form: a float, or a categorical choice's index.
 *
 * Ours to Optuna: Int and Float map to IntDistribution / FloatDistribution (a step kept, the
 * upper bound taken down to the last step as Optuna does), Choice, Boolean and Fixed to
 * CategoricalDistribution. What Optuna cannot express is said (`loss`): a log range with a
 * step (Optuna's log ranges have none), a reverse_log scale.
 */
import type { Parameter, ParamValue } from '../../space/index.js';
import { gridSize, gridValue, validateParameter } from '../../space/index.js';
import { PyFloat, pythonJson } from './python-json.js';
import type { PyJsonValue } from './python-json.js';

/** A value Optuna's categorical distribution may hold. */
export type OptunaChoice = null | boolean | number | string;

export type OptunaDistribution =
  | {
      readonly name: 'FloatDistribution';
      readonly low: number;
      readonly high: number;
      readonly step: number | null;
      readonly log: boolean;
    }
  | {
      readonly name: 'IntDistribution';
      readonly low: number;
      readonly high: number;
      readonly step: number;
      readonly log: boolean;
    }
  | { readonly name: 'CategoricalDistribution'; readonly choices: readonly OptunaChoice[] };

/** The distribution of a distribution's JSON text, as `json_to_distribution` reads it; throws why not. */
export function parseDistribution(text: string): OptunaDistribution {
  const json = JSON.parse(text) as unknown;
  if (!isObject(json)) throw new Error(`a distribution must be a JSON object, got ${text}`);
  if (typeof json['name'] === 'string') {
    const a = json['attributes'];
    if (!isObject(a)) throw new Error(`distribution ${json['name']} has no attributes`);
    switch (json['name']) {
      case 'FloatDistribution':
        return float(a['low'], a['high'], a['log'] ?? false, a['step'] ?? null);
      case 'UniformDistribution':
        return float(a['low'], a['high'], false, null);
      case 'LogUniformDistribution':
        return float(a['low'], a['high'], true, null);
      case 'DiscreteUniformDistribution':
        return float(a['low'], a['high'], false, a['q']);
      case 'IntDistribution':
        return int(a['low'], a['high'], a['log'] ?? false, a['step'] ?? 1);
      case 'IntUniformDistribution':
        return int(a['low'], a['high'], false, a['step'] ?? 1);
      case 'IntLogUniformDistribution':
        return int(a['low'], a['high'], true, a['step'] ?? 1);
      case 'CategoricalDistribution':
        return categorical(a['choices']);
      default:
        throw new Error(`unknown distribution ${json['name']}`);
    }
  }
  switch (json['type']) {
    case 'categorical':
      return categorical(json['choices']);
    case 'float':
      return float(json['low'], json['high'], json['log'] ?? false, json['step'] ?? null);
    case 'int':
      return int(json['low'], json['high'], json['log'] ?? false, json['step'] ?? 1);
    default:
      throw new Error(`unknown distribution ${text}`);
  }
}

function float(low: unknown, high: unknown, log: unknown, step: unknown): OptunaDistribution {
  if (!isNumber(low) || !isNumber(high) || typeof log !== 'boolean')
    throw new Error('FloatDistribution needs numbers low and high and a boolean log');
  if (step !== null && !(isNumber(step) && step > 0))
    throw new Error('FloatDistribution step must be a number > 0 or null');
  return { name: 'FloatDistribution', low, high: steppedHigh(low, high, step), step, log };
}

function int(low: unknown, high: unknown, log: unknown, step: unknown): OptunaDistribution {
  const whole = (x: unknown): x is number => isNumber(x) && Number.isInteger(x);
  if (!whole(low) || !whole(high) || !whole(step) || step < 1 || typeof log !== 'boolean')
    throw new Error('IntDistribution needs integers low, high and step >= 1 and a boolean log');
  return { name: 'IntDistribution', low, high: steppedHigh(low, high, step), step, log };
}

function categorical(choices: unknown): OptunaDistribution {
  const ok = (c: unknown): c is OptunaChoice =>
    c === null || ['boolean', 'number', 'string'].includes(typeof c);
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every(ok))
    throw new Error('CategoricalDistribution needs a list of None, bool, int, float or str');
  return { name: 'CategoricalDistribution', choices };
}

/** `high` brought down to the last step from `low`, as Optuna does (unchanged when on it). */
function steppedHigh(low: number, high: number, step: number | null): number {
  if (step === null) return high;
  const steps = (high - low) / step;
  if (Math.abs(steps - Math.round(steps)) <= 1e-9 * Math.max(1, steps)) return high;
  return Number.parseFloat((low + Math.floor(steps) * step).toPrecision(15));
}

/** A distribution's JSON text as Optuna's `distribution_to_json` writes it. */
export function distributionJson(d: OptunaDistribution): string {
  const attributes: Record<string, PyJsonValue> =
    d.name === 'FloatDistribution'
      ? {
          step: d.step === null ? null : new PyFloat(d.step),
          low: new PyFloat(d.low),
          high: new PyFloat(d.high),
          log: d.log,
        }
      : d.name === 'IntDistribution'
        ? { log: d.log, step: d.step, low: d.low, high: d.high }
        : { choices: d.choices };
  return pythonJson({ name: d.name, attributes });
}

/** Optuna's internal form of `value` (`to_internal_repr`), or undefined when it is not one. */
export function toInternal(d: OptunaDistribution, value: ParamValue): PyFloat | number | undefined {
  if (d.name === 'CategoricalDistribution') {
    const index = d.choices.indexOf(value);
    return index < 0 ? undefined : index;
  }
  return typeof value === 'number' ? new PyFloat(value) : undefined;
}

/** The value of an internal form (`to_external_repr`), or undefined when it has none. */
export function toExternal(d: OptunaDistribution, internal: unknown): OptunaChoice | undefined {
  if (!isNumber(internal)) return undefined;
  if (d.name === 'FloatDistribution') return internal;
  if (d.name === 'IntDistribution') return Math.trunc(internal);
  return d.choices[Math.trunc(internal)];
}

/** Optuna's distribution for one of our parameters, and what it cannot say about it. */
export function optunaDistributionOf(p: Parameter): {
  readonly distribution: OptunaDistribution;
  readonly loss?: string;
} {
  switch (p.kind) {
    case 'int':
    case 'float': {
      const name = p.kind === 'int' ? 'IntDistribution' : 'FloatDistribution';
      const log = p.sampling === 'log';
      const linearStep = p.sampling === 'linear' ? p.step : undefined;
      const high = linearStep === undefined ? p.max : gridValue(p, gridSize(p) - 1);
      const step = p.kind === 'int' ? (linearStep ?? 1) : (linearStep ?? null);
      const distribution = { name, low: p.min, high, step, log } as OptunaDistribution;
      const loss =
        p.sampling === 'reverse_log'
          ? `'${p.name}' is on a reverse_log scale, which Optuna has not: it sees a linear range`
          : log && p.step !== undefined
            ? `'${p.name}' steps by a factor of ${p.step} on its log scale; Optuna's log ranges have no step: it sees every ${p.kind === 'int' ? 'integer' : 'number'} in [${p.min}, ${p.max}]`
            : undefined;
      return loss === undefined ? { distribution } : { distribution, loss };
    }
    case 'choice':
      return { distribution: { name: 'CategoricalDistribution', choices: p.values } };
    case 'boolean':
      return { distribution: { name: 'CategoricalDistribution', choices: [false, true] } };
    case 'fixed':
      return { distribution: { name: 'CategoricalDistribution', choices: [p.value] } };
  }
}

/** Our parameter for an Optuna distribution, or the reason there is none. */
export function parameterOf(
  name: string,
  d: OptunaDistribution,
): { readonly parameter: Parameter } | { readonly problem: string } {
  let parameter: Parameter;
  if (d.name === 'CategoricalDistribution') {
    if (d.choices.includes(null))
      return { problem: `its choices include None, which hypertuner's parameters cannot hold` };
    const values = d.choices as readonly ParamValue[];
    // [False, True] is how a Boolean goes over (optunaDistributionOf): it comes back as one
    const isBoolean = values.length === 2 && values.includes(false) && values.includes(true);
    parameter = isBoolean
      ? { kind: 'boolean', name, default: false, conditions: [] }
      : {
          kind: 'choice',
          name,
          values,
          // as hp.Choice orders them by default, so that declaring it again matches
          ordered: typeof values[0] === 'number',
          default: values[0] as ParamValue,
          conditions: [],
        };
  } else {
    const stepped = d.log ? undefined : d.step === null || d.step === 1 ? undefined : d.step;
    parameter = {
      kind: d.name === 'IntDistribution' ? 'int' : 'float',
      name,
      min: d.low,
      max: d.high,
      step: stepped,
      sampling: d.log ? 'log' : 'linear',
      default: d.low,
      conditions: [],
    };
  }
  try {
    validateParameter(parameter);
    return { parameter };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One distribution for a parameter that trials recorded with several (Optuna lets a name's
 * range change between trials): the union of the ranges or choices; a step only when every
 * trial has the same one on the same grid. Undefined when they are of different kinds.
 */
export function unionOfDistributions(
  list: readonly OptunaDistribution[],
): OptunaDistribution | undefined {
  return list
    .slice(1)
    .reduce<OptunaDistribution | undefined>(
      (u, d) => (u === undefined ? u : unionOf(u, d)),
      list[0],
    );
}

function unionOf(a: OptunaDistribution, b: OptunaDistribution): OptunaDistribution | undefined {
  if (a.name === 'CategoricalDistribution' || b.name === 'CategoricalDistribution') {
    if (a.name !== 'CategoricalDistribution' || b.name !== 'CategoricalDistribution')
      return undefined;
    return { ...a, choices: [...a.choices, ...b.choices.filter((c) => !a.choices.includes(c))] };
  }
  if (a.name !== b.name || a.log !== b.log) return undefined;
  const low = Math.min(a.low, b.low);
  const high = Math.max(a.high, b.high);
  const step = a.step;
  const onOneGrid =
    step !== null &&
    b.step === step &&
    [a.low, b.low].every((l) => Number.isInteger((l - low) / step));
  return a.name === 'IntDistribution'
    ? { ...a, low, high, step: onOneGrid ? a.step : 1 }
    : { ...a, low, high, step: onOneGrid ? step : null };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
