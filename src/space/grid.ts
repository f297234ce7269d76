/**
 * Enumerating a finite space: the values of each parameter, and every configuration in a
 * fixed order (earlier parameters vary slowest), conditions respected.
 */
import { HypertunerError } from './errors.js';
import type { Parameter, ParamValue } from './parameter.js';
import { gridSize, gridValue, isActive } from './parameter.js';
import type { SearchSpace } from './search-space.js';

/** Every value of a discrete parameter. A Float without a step throws `GRID_FLOAT_WITHOUT_STEP`. */
export function parameterGrid(parameter: Parameter): ParamValue[] {
  switch (parameter.kind) {
    case 'int':
      return Array.from({ length: gridSize(parameter) }, (_, k) => gridValue(parameter, k));
    case 'float':
      if (parameter.step === undefined) {
        throw new HypertunerError(
          'GRID_FLOAT_WITHOUT_STEP',
          `Grid search: Float parameter '${parameter.name}' has no step, so it has no finite grid; give it a step or use another oracle.`,
          { field: parameter.name },
        );
      }
      return Array.from({ length: gridSize(parameter) }, (_, k) => gridValue(parameter, k));
    case 'choice':
      return [...parameter.values];
    case 'boolean':
      return [false, true];
    case 'fixed':
      return [parameter.value];
  }
}

/** All configurations of the space, in a deterministic order. */
export function* enumerateConfigurations(
  space: SearchSpace,
): Generator<Record<string, ParamValue>> {
  const parameters = space.parameters;
  const grids = parameters.map(parameterGrid);
  function* walk(
    index: number,
    prefix: Record<string, ParamValue>,
  ): Generator<Record<string, ParamValue>> {
    if (index === parameters.length) {
      yield { ...prefix };
      return;
    }
    const parameter = parameters[index] as Parameter;
    if (!isActive(parameter, prefix)) {
      yield* walk(index + 1, prefix);
      return;
    }
    for (const value of grids[index] as ParamValue[]) {
      prefix[parameter.name] = value;
      yield* walk(index + 1, prefix);
    }
    delete prefix[parameter.name];
  }
  yield* walk(0, {});
}
