// `node --import ./record-modules.mjs program.mjs`: records the modules `program` loads (ES
// modules through hooks.mjs; CommonJS ones from require's cache when it exits).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register('./hooks.mjs', import.meta.url);
process.on('exit', () => {
  const cache = Object.keys(createRequire(import.meta.url).cache);
  appendFileSync(process.env.HYPERTUNER_RESOLVED_LOG, cache.map((p) => `${p}\n`).join(''));
});
