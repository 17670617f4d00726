// Lint: typescript-eslint's type-checked rules on the TypeScript, the Lit and web-component rules on
// the element's sources, and ESLint's own recommended rules on the plain JavaScript. Formatting is
// Prettier's alone, so every rule it covers is turned off last.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'coverage/', '.cache/', 'demo/frameworks/*/build/', 'node_modules/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` marks a parameter that a signature needs and the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Augmenting a library's types (React's JSX, the DOM's globals) takes a declared namespace.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // @open-wc/semantic-dom-diff types chai's `equal` as returning a promise, for its async DOM
      // snapshots; the plain `equal` assertion is synchronous and throws.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: 'Equal', package: '@open-wc/semantic-dom-diff' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    // Type fixtures: each holds deliberate type errors, marked for tsc, vue-tsc, svelte-check,
    // ngc or lit-analyzer, whose tests check them (test/project/types.test.mjs).
    files: ['test/types/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Classic scripts and modules that run in a page or a frame, and the Node scripts that hand
    // functions to a page (puppeteer's `page.evaluate`, WebDriver's `execute`).
    files: [
      'test/fixtures/**/*.js',
      'bench/**/*.js',
      'scripts/bench.mjs',
      'scripts/screenshots.mjs',
      'test/demo/server.test.mjs',
      'test/support/frame-commands.mjs',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The Vue and Svelte entries import single-file components, which only their own compilers
    // type; vue-tsc and svelte-check check them (test/project/types.test.mjs).
    files: ['demo/frameworks/vue/main.ts', 'demo/frameworks/svelte/main.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
