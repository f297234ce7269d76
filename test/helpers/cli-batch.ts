/**
 * Runs several `hypertuner` commands in one process (for cases that need a process of their
 * own, e.g. another user's): `CLI_BATCH` holds a JSON list of argument lists; prints a JSON
 * list of `{ code, stdout, stderr }` on stdout, in order.
 */
import { runCliInProcess } from './cli-in-process.js';

const cases = JSON.parse(process.env['CLI_BATCH'] ?? '[]') as string[][];
const results = [];
for (const args of cases) results.push(await runCliInProcess(args));
process.stdout.write(`${JSON.stringify(results)}\n`);
