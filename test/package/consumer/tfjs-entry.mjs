// hypertuner/tfjs with @tensorflow/tfjs installed and @tensorflow/tfjs-backend-wasm not: the
// backend falls back to cpu with one warning (however often it is chosen); tfjs-node, asked
// for by name, is PEER_MISSING.
import * as core from 'hypertuner';
import * as tfjs from 'hypertuner/tfjs';

const first = await tfjs.selectBackend();
const second = await tfjs.selectBackend();
let tensorflow;
try {
  await tfjs.selectBackend({ prefer: 'tensorflow' });
} catch (error) {
  tensorflow = { code: error.code, message: error.message };
}
process.stdout.write(
  `${JSON.stringify({
    core: Object.keys(core).length,
    tfjs: Object.keys(tfjs).length,
    backends: [first.name, second.name],
    tensorflow,
  })}\n`,
);
