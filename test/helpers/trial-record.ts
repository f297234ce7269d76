/** Plain `Trial` objects for tests that drive oracles, pruners or views without a storage. */
import type { Trial } from '../../src/trials/index.js';

/**
 * A trial numbered `number` (id `number + 1`): COMPLETED, no parameters or values, every
 * timestamp 0, no worker, unless `fields` says otherwise.
 */
export function trialRecord(number: number, fields: Partial<Trial> = {}): Trial {
  return {
    id: number + 1,
    number,
    status: 'COMPLETED',
    params: {},
    values: undefined,
    metrics: {},
    intermediate: [],
    error: undefined,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 0,
    heartbeatAt: undefined,
    workerId: undefined,
    retryOf: undefined,
    oracleAttrs: {},
    userAttrs: {},
    ...fields,
  };
}
