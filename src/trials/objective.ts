/**
 * Objectives: a metric's name and whether to minimise or maximise it. Names infer a
 * direction as Keras Tuner does; unknown names need an explicit one.
 */
import { HypertunerError } from '../space/index.js';

export const Direction = { Minimize: 'minimize', Maximize: 'maximize' } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];
const DIRECTIONS: readonly Direction[] = Object.values(Direction);

export interface Objective {
  readonly name: string;
  readonly direction: Direction;
}

/** Keras Tuner's spelling of a direction (`kt.Objective('val_auc', direction='max')`). */
export type DirectionShorthand = 'min' | 'max';

/** What users may write: a metric name, or a name with a direction ('min'/'max' as Keras Tuner writes them). */
export type ObjectiveSpec =
  string | { readonly name: string; readonly direction?: Direction | DirectionShorthand };

const SHORTHAND: Readonly<Record<DirectionShorthand, Direction>> = {
  min: 'minimize',
  max: 'maximize',
};

const MAXIMISED = [
  'acc',
  'accuracy',
  'auc',
  'precision',
  'recall',
  'f1',
  'f1_score',
  'top_k_categorical_accuracy',
  'sparse_categorical_accuracy',
  'categorical_accuracy',
  'binary_accuracy',
  'r2',
  'score',
  'reward',
];
const MINIMISED_PARTS = [
  'loss',
  'error',
  'mse',
  'mae',
  'mape',
  'msle',
  'rmse',
  'crossentropy',
  'hinge',
  'regret',
  'cost',
  'latency',
  'time',
];

/** The direction Keras Tuner would infer for a metric name, or undefined when unknown. */
export function inferDirection(metricName: string): Direction | undefined {
  const base = metricName.startsWith('val_') ? metricName.slice(4) : metricName;
  const lower = base.toLowerCase();
  if (MAXIMISED.includes(lower)) return 'maximize';
  if (
    MINIMISED_PARTS.some(
      (part) =>
        lower === part ||
        lower.endsWith(`_${part}`) ||
        lower.startsWith(`${part}_`) ||
        lower.includes(part),
    )
  ) {
    return 'minimize';
  }
  return undefined;
}

/** Turns a user's objective spec into an `Objective`, or throws `OBJECTIVE_DIRECTION_UNKNOWN`. */
export function parseObjective(spec: ObjectiveSpec, field = 'objective'): Objective {
  const name = typeof spec === 'string' ? spec : spec?.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new HypertunerError(
      'OBJECTIVE_INVALID',
      `${field} must be a metric name or {name, direction}; got ${JSON.stringify(spec)}.`,
      { field },
    );
  }
  const given = typeof spec === 'string' ? undefined : spec.direction;
  const explicit =
    given === 'min' || given === 'max' ? SHORTHAND[given] : (given as Direction | undefined);
  if (explicit !== undefined && !DIRECTIONS.includes(explicit)) {
    throw new HypertunerError(
      'OBJECTIVE_INVALID_DIRECTION',
      `${field}.direction must be 'minimize' or 'maximize' (or Keras Tuner's 'min' or 'max'); got ${JSON.stringify(given)}.`,
      { field: `${field}.direction` },
    );
  }
  const direction = explicit ?? inferDirection(name);
  if (direction === undefined) {
    throw new HypertunerError(
      'OBJECTIVE_DIRECTION_UNKNOWN',
      `${field} '${name}': cannot infer whether to minimize or maximize it; give {name: '${name}', direction: 'minimize' | 'maximize'}.`,
      { field },
    );
  }
  return { name, direction };
}

/** Parses one objective or a list of them (a multi-objective study). */
export function parseObjectives(
  spec: ObjectiveSpec | readonly ObjectiveSpec[],
  field = 'objective',
): Objective[] {
  const list = Array.isArray(spec) ? spec : [spec as ObjectiveSpec];
  if (list.length === 0) {
    throw new HypertunerError('OBJECTIVE_INVALID', `${field} must name at least one metric.`, {
      field,
    });
  }
  const objectives = list.map((s, i) =>
    parseObjective(s, list.length === 1 ? field : `${field}[${i}]`),
  );
  const names = new Set(objectives.map((o) => o.name));
  if (names.size !== objectives.length) {
    throw new HypertunerError('OBJECTIVE_INVALID', `${field}: each metric may appear once.`, {
      field,
    });
  }
  return objectives;
}

/** Whether value `a` is better than `b` for `direction`. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'minimize' ? a < b : a > b;
}

/** `value` turned into a loss: the same for minimise, negated for maximise. */
export function toLoss(value: number, direction: Direction): number {
  return direction === 'minimize' ? value : -value;
}
