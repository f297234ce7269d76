/**
 * Builds the Fashion-MNIST subset shipped in data/fashion-mnist-subset/: a stratified, seeded
 * sample of 1,000 training and 200 test images per class (10,000 + 2,000), as gzipped IDX files.
 * Source: Debian's dataset-fashion-mnist package (`apt-get install dataset-fashion-mnist`).
 *
 * Usage: npx tsx scripts/make-fashion-subset.ts [sourceDir] [outDir]
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEBIAN_FASHION_MNIST_DIR } from '../src/datasets/fashion-mnist.js';
import { IDX_FILE_NAMES, findIdxFiles, readIdxSplit } from '../src/datasets/idx-files.js';
import { encodeIdx } from '../src/datasets/idx.js';
import { stratifiedSample } from '../src/datasets/split.js';
import type { ImageSplit } from '../src/datasets/types.js';

const SEED = 20_240_601;
const TRAIN_PER_CLASS = 1000;
const TEST_PER_CLASS = 200;

async function main(): Promise<void> {
  const sourceDir = process.argv[2] ?? DEBIAN_FASHION_MNIST_DIR;
  const outDir = process.argv[3] ?? 'data/fashion-mnist-subset';
  const paths = await findIdxFiles(sourceDir);
  if (!paths) throw new Error(`no Fashion-MNIST IDX files in ${sourceDir}`);
  const train = await readIdxSplit(paths.trainImages, paths.trainLabels, 10);
  const test = await readIdxSplit(paths.testImages, paths.testLabels, 10);
  const subTrain = stratifiedSample(train, {
    perClass: TRAIN_PER_CLASS,
    numClasses: 10,
    seed: SEED,
  });
  const subTest = stratifiedSample(test, {
    perClass: TEST_PER_CLASS,
    numClasses: 10,
    seed: SEED + 1,
  });
  await mkdir(outDir, { recursive: true });
  const lines: string[] = [];
  const write = async (name: string, idx: Uint8Array) => {
    const gz = gzipSync(idx, { level: 9 });
    await writeFile(join(outDir, `${name}.gz`), gz);
    const md5 = createHash('md5').update(gz).digest('hex');
    lines.push(`| \`${name}.gz\` | ${gz.length} | \`${md5}\` |`);
  };
  const writeSplit = async (split: ImageSplit, images: string, labels: string) => {
    const [h, w] = split.shape;
    await write(images, encodeIdx([split.count, h, w], split.images));
    await write(labels, encodeIdx([split.count], split.labels));
  };
  await writeSplit(subTrain, IDX_FILE_NAMES.trainImages, IDX_FILE_NAMES.trainLabels);
  await writeSplit(subTest, IDX_FILE_NAMES.testImages, IDX_FILE_NAMES.testLabels);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
