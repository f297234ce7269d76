#!/usr/bin/env node
// The `hypertuner` command: runs the compiled CLI (npm run build makes dist/).
import { runCommandLine } from '../dist/cli/main.js';

await runCommandLine(process.argv.slice(2));
