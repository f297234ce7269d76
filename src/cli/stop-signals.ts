/**
 * Ctrl+C as a clean stop: a terminal sends SIGINT to every process of the group (the search
 * and its worker processes alike), a supervisor SIGTERM. Both finish the running trial and
 * end the loop, so no trial is left RUNNING.
 */

/** Calls `stop` on the first SIGINT or SIGTERM; returns the function that removes the listeners. */
export function onStopSignals(stop: () => void): () => void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}
