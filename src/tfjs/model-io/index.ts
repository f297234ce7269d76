/** Models in TensorFlow.js's own files (`model.json` + `weights.bin`), in a directory or an artifact store. */
export {
  fileSystemHandler,
  modelIOHandler,
  hasSavedModel,
  MODEL_JSON_FILE,
  WEIGHTS_FILE,
} from './file-io-handler.js';
export { artifactFiles, directoryFiles, filesAt } from './named-files.js';
export type { ArtifactLocation, ModelLocation, NamedFiles } from './named-files.js';
export { saveModel, loadModel, loadWeightsInto } from './save-load.js';
