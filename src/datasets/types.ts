/** The datasets this layer knows. */
export type DatasetName = 'fashion-mnist' | 'mnist' | 'cifar-10';

/**
 * Where the data came from:
 * - `explicit`: the `dataDir` option;
 * - `cache`: the cache directory (`cacheDir`, `$HYPERTUNER_DATA_DIR`, `$XDG_CACHE_HOME/hypertuner`
 *   or `~/.cache/hypertuner`), filled earlier by hand or by a download;
 * - `debian`: a Debian package's directory (`/usr/share/datasets/fashion-mnist`);
 * - `download`: downloaded into the cache by this call;
 * - `bundled-subset`: the small subset shipped in this package (`data/`), only with `allowSubset`.
 */
export type DatasetSource = 'explicit' | 'cache' | 'debian' | 'download' | 'bundled-subset';

/** Called as bytes of `file` arrive; `total` is `undefined` when the server does not say. */
export type DownloadProgress = (received: number, total: number | undefined, file: string) => void;

/**
 * One split (train or test) of an image classification dataset, framework-free.
 * `images` holds `count` images of `shape` = [height, width, channels] in NHWC order
 * (pixel (y, x) channel c of image i is at `((i * h + y) * w + x) * c + channel`), values 0..255.
 */
export interface ImageSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly shape: readonly [height: number, width: number, channels: number];
}

/** A loaded dataset, with where it came from so that a CLI can say which data was used. */
export interface ImageDataset {
  readonly name: DatasetName;
  readonly train: ImageSplit;
  readonly test: ImageSplit;
  /** Class names by label. */
  readonly classNames: readonly string[];
  readonly source: DatasetSource;
  /** The directory the files were read from. */
  readonly dir: string;
  /** Why an earlier source was passed over (e.g. the download error before `bundled-subset`). */
  readonly fallbackReason?: string;
}

/** Where to look for a dataset and whether to download it. */
export interface LocateOptions {
  /** A directory holding the files (or a `<name>/` folder with them). If given, only it is used. */
  readonly dataDir?: string;
  /** The cache root; datasets live in `<cacheDir>/<name>/`. Default: see {@link DatasetSource}. */
  readonly cacheDir?: string;
  /** Download into the cache when no copy is found. Default `true`. */
  readonly download?: boolean;
  /** Progress of downloads. */
  readonly onProgress?: DownloadProgress;
  /** Use the bundled subset when nothing else is found (Fashion-MNIST only). Default `false`. */
  readonly allowSubset?: boolean;
  /** A base URL to download the files from instead of the official one; checksums still apply. */
  readonly mirror?: string;
  /** Environment to read `HYPERTUNER_DATA_DIR`, `XDG_CACHE_HOME`, `HOME` from (for tests). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** System directories to look in, replacing the dataset's defaults (for tests). */
  readonly systemDirs?: readonly string[];
  /** Abort a download after this many milliseconds without data. Default 60 000. */
  readonly idleTimeoutMs?: number;
}

/** Options of `loadFashionMnist`, `loadMnist` and `loadCifar10`. */
export interface LoadDatasetOptions extends LocateOptions {
  /** Keep only the first `limitTrain` training examples. */
  readonly limitTrain?: number;
  /** Keep only the first `limitTest` test examples. */
  readonly limitTest?: number;
}
