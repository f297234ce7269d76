/**
 * When the command started: the process's start when the CLI runs as its own process (so a time
 * budget counts Node's start-up and the loading of modules too), else when asked (a command run
 * inside another program, e.g. a test).
 */
let processStart: number | undefined;

/** Called by the CLI's entry point: this process runs one command. */
export function markCliProcess(): void {
  processStart = performance.timeOrigin;
}

/** The command's start (ms since 1970). */
export function commandStartedAt(): number {
  return processStart ?? Date.now();
}
