/**
 * A study's hyperparameter importances as data: the numbers the dashboard's importance chart
 * draws (`computeImportances` on the study's space and trials, seed 0), for one objective and,
 * when asked, only some parameters (as Optuna's `get_param_importances(study, params=...)`).
 */
import { HypertunerError } from '../space/index.js';
import type { SearchSpace } from '../space/index.js';
import type { Objective, Trial } from '../trials/index.js';
import type { ParameterImportance } from './importance.js';
import { computeImportances } from './importance.js';

export interface StudyImportanceOptions {
  /** The objective, by name or index (default: the first). */
  readonly objective?: string | number;
  /** Only these parameters (default: every parameter the completed trials all have). */
  readonly params?: readonly string[];
}

export interface StudyImportances {
  /** The objective whose variance is shared out. */
  readonly objective: string;
  /** How many COMPLETED trials the forest was fitted on (importances need at least 2). */
  readonly trialsUsed: number;
  /** Most important first; the shares sum to 1 (all 0 when the objective never varies). */
  readonly importances: readonly ParameterImportance[];
}

/** The fANOVA importances of a study (see the file comment). */
export function studyImportances(
  study: { readonly objectives: readonly Objective[]; readonly space: SearchSpace },
  trials: readonly Trial[],
  options: StudyImportanceOptions = {},
): StudyImportances {
  const objectiveIndex = objectiveIndexOf(study.objectives, options.objective);
  let parameters = study.space.parameters;
  if (options.params !== undefined) {
    const wanted = options.params;
    const unknown = wanted.filter((name) => !study.space.has(name));
    if (unknown.length > 0) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `importances: params ${unknown.map((n) => `'${n}'`).join(', ')} not in the study; its parameters are ${study.space.parameters.map((p) => `'${p.name}'`).join(', ') || '(none)'}.`,
        { field: 'params' },
      );
    }
    parameters = parameters.filter((p) => wanted.includes(p.name));
  }
  const result = computeImportances(parameters, trials, { objectiveIndex, seed: 0 });
  return {
    objective: (study.objectives[objectiveIndex] as Objective).name,
    trialsUsed: result.trialsUsed,
    importances: result.importances,
  };
}

function objectiveIndexOf(
  objectives: readonly Objective[],
  objective: string | number | undefined,
): number {
  if (objective === undefined) return 0;
  const index =
    typeof objective === 'number' ? objective : objectives.findIndex((o) => o.name === objective);
  if (!Number.isInteger(index) || index < 0 || index >= objectives.length) {
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `importances: objective must be one of ${objectives.map((o, i) => `'${o.name}' (${i})`).join(', ')}; got ${JSON.stringify(objective)}.`,
      { field: 'objective' },
    );
  }
  return index;
}
