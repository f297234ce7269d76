#!/usr/bin/env node
// The `hypertuner` command: runs the compiled CLI (npm run build makes dist/).
import '../dist/cli/main.js';
