// Lint rules that enforce the layering (DESIGN.md): who may import whom.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'util', 'stream', 'events', 'module', 'http', 'net'];

/** The engine core: pure; no DOM, Node, Electron, UI or host adapters. */
const coreRestrictions = {
  patterns: [
    { group: nodeBuiltins, message: 'The engine core must not import Node: inject what you need from a host.' },
    { group: ['electron', 'electron/*'], message: 'The engine core must not import Electron.' },
    { group: ['react', 'react-dom', 'react/*', '@xyflow/*', 'zustand', 'zustand/*', 'immer'], message: 'The engine core must not import UI libraries.' },
    { group: ['**/renderer/**', '**/electron/**', '**/hosts/**', '**/test/**', '**/bench/**'], message: 'The engine core must not import the UI, the shell, host adapters, tests or benches.' },
  ],
};

/**
 * The layers inside the engine core, lowest first: a folder may import only the
 * folders below it (and itself). `core` is the ground floor (the plan contract,
 * time, value shapes); `analysis` computes measures from recorded activity (pure
 * functions, used by the statistics above it); `sim` runs plans with the kinds' runtimes handed in;
 * `kinds` declare node kinds over `sim`; `format` reads documents with the kinds;
 * `learn` trains (below `compile`, so that compiling a document runs the same
 * trainer checks as building it: "valid" means it builds); `compile` turns
 * documents into plans; `interop` reads and writes other tools' formats (NIR);
 * `protocol` serves it all.
 * `hosts` sit on top (their own block below). test/engine-layers.test.ts checks
 * the same order and that no import loop joins two folders.
 */
const ENGINE_LAYERS = ['core', 'analysis', 'sim', 'kinds', 'format', 'learn', 'compile', 'interop', 'protocol', 'hosts'];

/** `coreRestrictions` plus: nothing from the layers above `layer`. */
function layerRestrictions(layer) {
  const above = ENGINE_LAYERS.slice(ENGINE_LAYERS.indexOf(layer) + 1);
  return {
    patterns: [
      ...coreRestrictions.patterns.filter((p) => !p.group.includes('**/hosts/**')),
      { group: ['**/renderer/**', '**/electron/**', '**/test/**', '**/bench/**'], message: 'The engine core must not import the UI, the shell, tests or benches.' },
      ...(above.length > 0
        ? [{ group: above.map((l) => `**/${l}/**`), message: `engine/${layer} is below ${above.join(', ')} (eslint.config.js ENGINE_LAYERS): it must not import them; hand in what it needs instead.` }]
        : []),
    ],
  };
}

/** The renderer: browser only. */
const rendererRestrictions = {
  patterns: [
    { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node imports.' },
    // A regex, not a group: the gitignore-style group 'electron' also matches the path ../electron/api.ts.
    { regex: '^electron(/.*)?$', message: 'The renderer never imports electron; use window.spikeflow (electron/api.ts types).' },
    { group: ['**/electron/main*', '**/electron/preload*', '**/electron/menu*', '**/electron/files*'], message: 'The renderer may only import the types in electron/api.ts.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-e2e/**', 'dist-electron/**', 'release/**', 'bench/results/**', 'coverage/**', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Prefer `as const` objects over enums.' }],
    },
  },
  {
    files: ['engine/{core,analysis,format,kinds,compile,sim,learn,protocol,interop}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-imports': ['error', coreRestrictions],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'console', 'setTimeout', 'setInterval', 'performance', 'require', 'Buffer', 'self', 'navigator'],
    },
  },
  ...ENGINE_LAYERS.filter((l) => l !== 'hosts').map((layer) => ({
    files: [`engine/${layer}/**/*.ts`],
    ignores: ['**/*.test.ts', 'engine/test-support/**'],
    rules: { 'no-restricted-imports': ['error', layerRestrictions(layer)] },
  })),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'no-restricted-imports': ['error', rendererRestrictions],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Host adapters, the shell and the renderer never reach into each other.
    files: ['engine/hosts/**/*.ts'],
    ignores: ['**/*.test.ts', 'engine/hosts/web-worker.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**', '**/electron/**'], message: 'Engine hosts must not import the renderer or the Electron shell.' }] }] },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'The Electron shell must not import the renderer; they talk over IPC (electron/api.ts).' }] }] },
  },
  {
    files: ['engine/hosts/web-worker.ts'],
    languageOptions: { globals: { ...globals.worker } },
    rules: { 'no-restricted-imports': ['error', rendererRestrictions] },
  },
  {
    files: ['electron/**/*.ts', 'engine/hosts/**/*.ts', 'bin/**', 'scripts/**', 'bench/**', 'test/**', '**/*.test.ts', '*.config.*'],
    languageOptions: { globals: { ...globals.node } },
  },
);
