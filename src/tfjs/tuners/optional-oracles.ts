/**
 * Oracles looked up when a tuner first needs them, so a tuner class exists even while its
 * oracle is being written; a missing one fails with a clear error at first use.
 */
import * as oracles from '../../oracles/index.js';
import type { Oracle } from '../../oracles/index.js';
import { HypertunerError } from '../../space/index.js';

type OracleConstructor = new (options: object) => Oracle;

/** `new oracles[exportName](options)`, or ORACLE_UNAVAILABLE naming the tuner. */
export function constructOracle(exportName: string, tunerName: string, options: object): Oracle {
  const constructor = (oracles as Record<string, unknown>)[exportName];
  if (typeof constructor !== 'function') {
    throw new HypertunerError('ORACLE_UNAVAILABLE', `${tunerName} needs ${exportName}, which this build of hypertuner does not export (src/oracles/index.ts); use RandomSearch or GridSearch meanwhile.`, { field: 'oracle' });
  }
  return new (constructor as OracleConstructor)(options);
}
