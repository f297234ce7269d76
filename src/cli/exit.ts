/**
 * Ending a command with a given exit code and no error report (e.g. a worker process asking
 * its parent for a fresh process in its place).
 */
export class CommandExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CommandExit';
  }
}
