/**
 * A TensorFlow.js `IOHandler` over named files ({@link NamedFiles}): a directory, written with
 * `node:fs`, or an artifact store, so models are saved and loaded in TensorFlow.js's own format
 * (`model.json` + `weights.bin`) without tfjs-node (whose `file://` handler is the only one
 * tfjs ships for Node).
 */
import { io } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';
import { filesAt } from './named-files.js';
import type { ModelLocation, NamedFiles } from './named-files.js';

/** Names of the files written into the model's directory. */
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

function toBytes(data: io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(io.CompositeArrayBuffer.join(data));
}

/** The `model.json` content for `artifacts` whose weights are in `manifest`. */
function modelJsonOf(
  artifacts: io.ModelArtifacts,
  manifest: io.WeightsManifestConfig,
): io.ModelJSON {
  const optional = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    signature: artifacts.signature,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    modelInitializer: artifacts.modelInitializer,
    initializerSignature: artifacts.initializerSignature,
  };
  const present = Object.fromEntries(
    Object.entries(optional).filter(([, v]) => v !== undefined && v !== null),
  );
  return {
    modelTopology: artifacts.modelTopology ?? {},
    weightsManifest: manifest,
    ...present,
  } as io.ModelJSON;
}

async function saveArtifacts(
  files: NamedFiles,
  artifacts: io.ModelArtifacts,
): Promise<io.SaveResult> {
  const weights = toBytes(artifacts.weightData);
  // the weights file first: a model.json present means its weights are complete
  await files.write(WEIGHTS_FILE, weights);
  const modelJson = modelJsonOf(artifacts, [
    { paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] },
  ]);
  await files.write(MODEL_JSON_FILE, new TextEncoder().encode(JSON.stringify(modelJson)));
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}

function notFound(files: NamedFiles, name: string): HypertunerError {
  return new HypertunerError(
    'MODEL_NOT_FOUND',
    `No saved model file '${name}' in ${files.where}.`,
    {
      field: 'path',
    },
  );
}

async function loadArtifacts(files: NamedFiles): Promise<io.ModelArtifacts> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await files.read(MODEL_JSON_FILE);
  } catch (error) {
    throw new HypertunerError(
      'MODEL_NOT_FOUND',
      `No saved model in ${files.where} (${(error as Error).message}).`,
      { field: 'path', cause: error },
    );
  }
  if (bytes === undefined) throw notFound(files, MODEL_JSON_FILE);
  const modelJson = JSON.parse(new TextDecoder().decode(bytes)) as io.ModelJSON;
  return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: io.WeightsManifestEntry[] = [];
    const buffers: Uint8Array[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const path of group.paths) {
        const name = path.replace(/^\.\//, '');
        const buffer = await files.read(name);
        if (buffer === undefined) throw notFound(files, name);
        buffers.push(buffer);
      }
    }
    const total = buffers.reduce((n, b) => n + b.byteLength, 0);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const b of buffers) {
      joined.set(b, offset);
      offset += b.byteLength;
    }
    return [specs, joined.buffer as ArrayBuffer];
  });
}

/**
 * An `IOHandler` reading and writing `model.json` and `weights.bin` at `location`: a directory
 * or a place in an artifact store. `await model.save(modelIOHandler(location))`,
 * `await tf.loadLayersModel(modelIOHandler(location))`.
 */
export function modelIOHandler(location: ModelLocation): io.IOHandler {
  const files = filesAt(location);
  return {
    save: (artifacts) => saveArtifacts(files, artifacts),
    load: () => loadArtifacts(files),
  };
}

/**
 * An `IOHandler` reading and writing `dir/model.json` and `dir/weights.bin`:
 * `await model.save(fileSystemHandler(dir))`, `await tf.loadLayersModel(fileSystemHandler(dir))`.
 */
export function fileSystemHandler(dir: string): io.IOHandler {
  return modelIOHandler(dir);
}

/** Whether a complete model (its `model.json`, written last) is saved at `location`. */
export async function hasSavedModel(location: ModelLocation): Promise<boolean> {
  return (await filesAt(location).read(MODEL_JSON_FILE)) !== undefined;
}
