/**
 * Grid search: every configuration in a fixed order, each once. Resumable by construction:
 * the next configuration is the first one the study does not have yet.
 */
import { configurationKey, enumerateConfigurations } from '../space/index.js';
import type { AskResult, Oracle, StudyView } from './oracle.js';
import { withFixedParams } from './oracle.js';
import { seenConfigurations } from './random-search.js';

export class GridSearchOracle implements Oracle {
  readonly name = 'grid';

  ask(view: StudyView): AskResult {
    view = withFixedParams(view);
    if (view.space.size === 0) return { kind: 'trial', params: {} };
    const seen = seenConfigurations(view);
    let total = 0;
    for (const configuration of enumerateConfigurations(view.space)) {
      total++;
      if (!seen.has(configurationKey(configuration)))
        return { kind: 'trial', params: configuration };
    }
    return { kind: 'exhausted', reason: `all ${total} grid configurations have been tried` };
  }
}
