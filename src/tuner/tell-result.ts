/**
 * Reading what `tell` was given: a finished trial's values (a number, a list, a metrics record)
 * or an explicit FAILED / PRUNED.
 */
import { HypertunerError } from '../space/index.js';
import type { Objective } from '../trials/index.js';
import { plural } from '../plural.js';

/** 'FAILED' or 'PRUNED' for an explicit status result; throws for any other string status. */
export function explicitStatus(result: unknown): 'FAILED' | 'PRUNED' | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const status = (result as { readonly status?: unknown }).status;
  if (typeof status !== 'string') return undefined; // absent, or a metric called status
  if (status === 'FAILED' || status === 'PRUNED') return status;
  throw new HypertunerError(
    'TELL_INVALID_STATUS',
    `tell(): result.status must be 'FAILED' or 'PRUNED' (or a number, as a metric), got ${JSON.stringify(status)}; give a finished trial's values as a number, a list or a metrics record.`,
    { field: 'status' },
  );
}

/** Turns what an objective returned into one value per objective, or an error text. */
export function objectiveValues(
  result: number | readonly number[] | Readonly<Record<string, number>>,
  objectives: readonly Objective[],
): { values: number[]; metrics: Record<string, number>; error?: string } {
  let values: number[];
  let metrics: Record<string, number> = {};
  if (typeof result === 'number') {
    values = [result];
  } else if (Array.isArray(result)) {
    values = [...(result as readonly number[])];
  } else if (typeof result === 'object' && result !== null) {
    metrics = Object.fromEntries(Object.entries(result).filter(([, v]) => typeof v === 'number'));
    const missing = objectives.filter(
      (o) => typeof (result as Record<string, unknown>)[o.name] !== 'number',
    );
    if (missing.length > 0) {
      const given = (o: { name: string }): unknown => (result as Record<string, unknown>)[o.name];
      const wrong = missing.filter((o) => given(o) !== undefined);
      return {
        values: [],
        metrics,
        error:
          wrong.length > 0
            ? `The objective's metric ${wrong.map((o) => `'${o.name}' is ${shownValue(given(o))}`).join(', ')}, not a number.`
            : `The objective's result has no metric ${missing.map((o) => `'${o.name}'`).join(', ')}; it returned ${Object.keys(result).join(', ') || 'no metrics'}.`,
      };
    }
    values = objectives.map((o) => (result as Record<string, number>)[o.name] as number);
  } else {
    return {
      values: [],
      metrics,
      error: `The objective must return a number, a list of numbers or a metrics object; it returned ${shownValue(result)}.`,
    };
  }
  if (values.length !== objectives.length) {
    return {
      values: [],
      metrics,
      error: `The objective returned ${plural(values.length, 'value')} for ${plural(objectives.length, 'objective')} (${objectives.map((o) => o.name).join(', ')}).`,
    };
  }
  if (Object.keys(metrics).length === 0)
    objectives.forEach((o, i) => (metrics[o.name] = values[i] as number));
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) {
    return {
      values: [],
      metrics,
      error: `The objective '${objectives[bad]?.name}' is ${shownValue(values[bad])}, not a finite number; the trial fails (it is never taken as a best value).`,
    };
  }
  return { values, metrics };
}

/**
 * A returned value as a message shows it: a string quoted and called one ("the string '0.5'",
 * which printed bare looked like the number it is not), others by their type.
 */
function shownValue(value: unknown): string {
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)} (return a number: Number(...) or parseFloat(...))`;
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return `a ${typeof value}`;
}
