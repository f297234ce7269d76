/**
 * The backend a tuner trains on: chosen once per process by the backend layer
 * (tfjs-node when installed, else WASM with the fast kernels, else CPU), unless the caller
 * keeps the one already active.
 */
import { getBackend } from '@tensorflow/tfjs';
import type { BackendChoice, BackendPreference } from '../backend/index.js';
import { BACKEND_PREFERENCES, selectBackend } from '../backend/index.js';

/** `current`: keep the backend already active (e.g. one you set with `tf.setBackend`). */
export type TunerBackend = BackendPreference | 'current';

/** Every value of the tuners' `backend` option. */
export const TUNER_BACKENDS: readonly TunerBackend[] = [...BACKEND_PREFERENCES, 'current'];

const chosen = new Map<TunerBackend, Promise<BackendChoice>>();

function current(): BackendChoice {
  const name = getBackend();
  return { name, fastKernels: false, simd: false, threads: 1, description: name };
}

/** Makes the backend `preference` names active (once per process and preference). */
export function ensureBackend(preference: TunerBackend = 'auto'): Promise<BackendChoice> {
  if (preference === 'current') return Promise.resolve(current());
  let pending = chosen.get(preference);
  if (pending === undefined) {
    pending = selectBackend({ prefer: preference });
    chosen.set(preference, pending);
    pending.catch(() => chosen.delete(preference));
  }
  return pending.then(async (choice) => {
    // another caller may have switched backends since; switch back
    if (getBackend() !== choice.name) await selectBackend({ prefer: preference });
    return choice;
  });
}
