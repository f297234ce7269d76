#!/usr/bin/env node
/**
 * The `hypertuner` command line. Logs and progress go to stderr; results and --json to stdout.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerAskTellCommands } from './commands/ask-tell.js';
import { registerCopyCommand } from './commands/copy.js';
import { registerDashboardCommand } from './commands/dashboard.js';
import { registerExampleCommand } from './commands/example.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerImportanceCommand } from './commands/importance.js';
import { registerInspectCommands } from './commands/inspect.js';
import { registerManageCommands } from './commands/manage.js';
import { registerPlotCommand } from './commands/plot.js';
import { registerSearchCommand } from './commands/search.js';
import { registerWorkerCommand } from './commands/worker.js';
import { errorReport, usageErrorLine } from './errors.js';
import { CommandExit } from './exit.js';
import { showDefaultsAsValues } from './help.js';
import { markCliProcess } from './process-start.js';
import { packageVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hypertuner')
    .description('Hyperparameter optimization for TypeScript')
    .version(packageVersion(), '-V, --version', 'print the version of hypertuner')
    .exitOverride()
    // commander's own errors (an unknown option, a missing argument) as our one line with a code
    .configureOutput({ outputError: (text, write) => write(`${usageErrorLine(text)}\n`) });
  registerSearchCommand(program);
  registerWorkerCommand(program);
  registerInspectCommands(program);
  registerManageCommands(program);
  registerAskTellCommands(program);
  registerExampleCommand(program);
  registerDashboardCommand(program);
  registerPlotCommand(program);
  registerCopyCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerImportanceCommand(program);
  showDefaultsAsValues(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CommandExit) return error.exitCode;
    process.stderr.write(`${errorReport(error, process.env['HYPERTUNER_DEBUG'] === '1')}\n`);
    return 1;
  }
}

/** Whether Node.js was started with this file (not when a test imports it to call `main`). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Runs the command as the `hypertuner` process (bin/hypertuner.js): sets the exit code, then,
 * the command being done, exits within a second whatever the user's program left behind (an
 * objective that ignored its abort signal, a forgotten interval would keep the process alive).
 */
export async function runCommandLine(argv: readonly string[]): Promise<void> {
  markCliProcess();
  process.exitCode = await main(argv);
  setTimeout(() => process.exit(), 1000).unref();
}

if (isEntryPoint()) await runCommandLine(process.argv.slice(2));
