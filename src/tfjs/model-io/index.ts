/** Models in TensorFlow.js's own files (`model.json` + `weights.bin`) via `node:fs`. */
export { fileSystemHandler, MODEL_JSON_FILE, WEIGHTS_FILE } from './file-io-handler.js';
export { saveModel, loadModel, loadWeightsInto } from './save-load.js';
