// @ts-check
import tseslint from 'typescript-eslint';

/**
 * The layer rule of DESIGN.md as lint: each folder of src/ may import only the layers below it.
 * Order, top to bottom: cli, dashboard, tfjs, datasets, tuner, storage, oracles, pruners, analysis,
 * trials, then math and space (which import nothing of ours).
 */
const layersAbove = {
  space: ['math', 'trials', 'analysis', 'pruners', 'oracles', 'storage', 'tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  math: ['space', 'trials', 'analysis', 'pruners', 'oracles', 'storage', 'tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  trials: ['math', 'analysis', 'pruners', 'oracles', 'storage', 'tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  analysis: ['pruners', 'oracles', 'storage', 'tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  pruners: ['oracles', 'storage', 'tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  oracles: ['storage', 'tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  storage: ['tuner', 'datasets', 'tfjs', 'dashboard', 'cli'],
  tuner: ['datasets', 'tfjs', 'dashboard', 'cli'],
  datasets: ['tfjs', 'dashboard', 'cli'],
  tfjs: ['dashboard', 'cli'],
  dashboard: ['cli'],
};

/** I/O modules that pure layers must not touch. */
const ioModules = ['node:fs', 'node:fs/promises', 'fs', 'node:child_process', 'better-sqlite3', 'pg', 'node:http', 'node:net'];

const layerConfigs = Object.entries(layersAbove).map(([layer, forbidden]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: forbidden.flatMap((above) => [`../${above}/*`, `../../${above}/*`, `../${above}`, `../../${above}`]),
            message: `src/${layer} may not import a layer above it (see DESIGN.md).`,
          },
          ...(['space', 'math', 'trials', 'analysis', 'oracles', 'pruners'].includes(layer)
            ? [{ group: ioModules, message: `src/${layer} is pure: no I/O.` }]
            : []),
          ...(layer !== 'tfjs'
            ? [{ group: ['@tensorflow/*'], message: 'Only src/tfjs imports TensorFlow.js.' }]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/.scratch/**', '.scratch*/**', 'src/dashboard/public/vendor/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an as-const object and a string-literal union instead of enum.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use a seeded generator from src/math/random.ts.' },
      ],
      'no-console': 'error',
    },
  },
  ...layerConfigs,
);
