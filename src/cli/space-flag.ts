/**
 * `--space` of `hypertuner create` and `ask`: parameters for a shell script, as JSON, each by
 * name with its type and the options of the matching `hp` call:
 *
 *     {"x": {"type": "float", "min": -5, "max": 10},
 *      "lr": {"type": "float", "min": 1e-4, "max": 0.1, "sampling": "log"},
 *      "layers": {"type": "int", "min": 1, "max": 4},
 *      "act": {"type": "choice", "values": ["relu", "tanh"]},
 *      "bn": {"type": "boolean"}, "epochs": {"type": "fixed", "value": 10}}
 *
 * A mistake in a parameter is the `SPACE_...` error `hp` gives, naming it.
 */
import { HyperParameters, HypertunerError } from '../index.js';
import type { ParamValue, SearchSpace } from '../index.js';

const TYPES = ['float', 'int', 'choice', 'boolean', 'fixed'] as const;

function invalid(message: string, field = 'space'): HypertunerError {
  return new HypertunerError('OPTIONS_INVALID', `--space: ${message}`, { field });
}

/** The search space a `--space` JSON text declares. */
export function parseSpaceFlag(text: string): SearchSpace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(
      `not JSON (${(error as Error).message}); give {"name": {"type": "float", "min": 0, "max": 1}, ...}.`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw invalid(
      'must be a JSON object of parameters by name, e.g. {"x": {"type": "float", "min": 0, "max": 1}}.',
    );
  const hp = new HyperParameters();
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw invalid(`parameter '${name}' must be an object with a "type".`, name);
    const { type, values, value, ...options } = raw as Record<string, unknown>;
    switch (type) {
      case 'float':
        hp.Float(name, options as unknown as Parameters<HyperParameters['Float']>[1]);
        break;
      case 'int':
        hp.Int(name, options as unknown as Parameters<HyperParameters['Int']>[1]);
        break;
      case 'choice':
        if (!Array.isArray(values))
          throw invalid(`parameter '${name}' (choice) needs "values": a list.`, name);
        hp.Choice(name, values as ParamValue[], options);
        break;
      case 'boolean':
        hp.Boolean(name, options);
        break;
      case 'fixed':
        hp.Fixed(name, value as ParamValue);
        break;
      default:
        throw invalid(
          `parameter '${name}' has type ${JSON.stringify(type)}; allowed: ${TYPES.join(', ')}.`,
          name,
        );
    }
  }
  return hp.space;
}
