/**
 * A TensorFlow.js `IOHandler` on the local file system, written with `node:fs`, so models are
 * saved and loaded in TensorFlow.js's own format (`model.json` + `weights.bin`) without
 * tfjs-node (whose `file://` handler is the only one tfjs ships for Node).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { io } from '@tensorflow/tfjs';
import { HypertunerError } from '../../space/index.js';

/** Names of the files written into the model's directory. */
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Writes `data` next to `path` first, then renames it, so a crash never leaves half a file. */
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

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

async function saveArtifacts(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  await mkdir(dir, { recursive: true });
  const weights = toBytes(artifacts.weightData);
  // the weights file first: a model.json present means its weights are complete
  await writeAtomically(join(dir, WEIGHTS_FILE), weights);
  const modelJson = modelJsonOf(artifacts, [
    { paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] },
  ]);
  await writeAtomically(join(dir, MODEL_JSON_FILE), JSON.stringify(modelJson));
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}

async function loadArtifacts(dir: string): Promise<io.ModelArtifacts> {
  const jsonPath = join(dir, MODEL_JSON_FILE);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (error) {
    throw new HypertunerError(
      'MODEL_NOT_FOUND',
      `No saved model at '${jsonPath}' (${(error as Error).message}).`,
      { field: 'path', cause: error },
    );
  }
  const modelJson = JSON.parse(text) as io.ModelJSON;
  return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: io.WeightsManifestEntry[] = [];
    const buffers: Uint8Array[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const path of group.paths) buffers.push(await readFile(join(dirname(jsonPath), path)));
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
 * An `IOHandler` reading and writing `dir/model.json` and `dir/weights.bin`:
 * `await model.save(fileSystemHandler(dir))`, `await tf.loadLayersModel(fileSystemHandler(dir))`.
 */
export function fileSystemHandler(dir: string): io.IOHandler {
  return {
    save: (artifacts) => saveArtifacts(dir, artifacts),
    load: () => loadArtifacts(dir),
  };
}
