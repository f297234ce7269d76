// hypertuner/tfjs with @tensorflow/tfjs installed and @tensorflow/tfjs-backend-wasm not: the
// backend falls back to cpu with one warning (however often it is chosen); the WASM backend and
// tfjs-node, asked for by name, are PEER_MISSING. A tensor on it prints no banner of tfjs' own.
import * as tf from '@tensorflow/tfjs';
import * as core from 'hypertuner';
import * as tfjs from 'hypertuner/tfjs';

const first = await tfjs.selectBackend();
const second = await tfjs.selectBackend();
const sum = tf.tensor1d([1, 2, 3]).sum().dataSync()[0];
const failure = (prefer) =>
  tfjs.selectBackend({ prefer }).then(
    () => ({ selected: prefer }),
    (error) => ({ code: error.code, message: error.message }),
  );
const wasm = await failure('wasm');
const tensorflow = await failure('tensorflow');
process.stdout.write(
  `${JSON.stringify({
    core: Object.keys(core).length,
    tfjs: Object.keys(tfjs).length,
    backends: [first.name, second.name],
    sum,
    wasm,
    tensorflow,
  })}\n`,
);
