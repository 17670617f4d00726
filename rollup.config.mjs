// Rollup builds the files that are used as they are, with no build step of the user's: the
// self-registering bundle with Lit inlined, the page's stream client as one module, and the
// simulator as a classic script (it stands in for the SDK's <script>). tsc emits the unbundled
// modules that npm users import.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { readFile } from 'node:fs/promises';

export const minify = () => terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } });

/** Emits dist/bridge.html, for `bridge-url`: the self-hosted bridge page for Smile's SDK origin. */
const bridgePage = () => ({
  name: 'bridge-page',
  async generateBundle() {
    const { createBridgeHtml } = await import('./dist/bridge/create-bridge-html.js');
    this.emitFile({ type: 'asset', fileName: 'bridge.html', source: createBridgeHtml().html });
  },
});

/** The bundled parser's license notice, at the top of each file that holds it (MIT asks for it). */
const parserNotice = () => ({
  name: 'parser-notice',
  async renderChunk(code, chunk) {
    if (!Object.keys(chunk.modules).some((id) => id.includes('/node_modules/eventsource-parser/'))) return null;
    const { version } = JSON.parse(await readFile('node_modules/eventsource-parser/package.json', 'utf8'));
    const copyright = (await readFile('node_modules/eventsource-parser/LICENSE', 'utf8'))
      .split('\n')
      .find((line) => /copyright/i.test(line))
      .trim();
    return { code: `/*! Includes eventsource-parser ${version}, MIT License, ${copyright} */\n${code}`, map: null };
  },
});

export default [
  {
    input: 'src/bundle.ts',
    output: {
      dir: 'dist',
      entryFileNames: 'wink-widget.min.js',
      chunkFileNames: 'wink-widget.[name].min.js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [
      nodeResolve({ browser: true }),
      esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
      minify(),
      bridgePage(),
    ],
  },
  // The stream client in one file; its fetch reader (with eventsource-parser) is a chunk beside
  // it, loaded only by a page that sends headers.
  {
    input: 'src/smile-events.ts',
    output: {
      dir: 'dist',
      entryFileNames: 'events.min.js',
      chunkFileNames: 'events.fetch.min.js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [
      nodeResolve({ browser: true }),
      esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
      minify(),
      parserNotice(),
    ],
  },
  // tsc's dist/smile-events-fetch.js imports eventsource-parser, which is no dependency of the
  // package: this one, written over it, has the parser inside, so that the browser entries need `lit` only.
  {
    input: 'src/smile-events-fetch.ts',
    output: { file: 'dist/smile-events-fetch.js', format: 'es' },
    plugins: [nodeResolve({ browser: true }), esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }), parserNotice()],
  },
  {
    input: 'src/simulator/index.ts',
    output: { file: 'dist/simulator.js', format: 'iife', sourcemap: true },
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }), minify()],
  },
];
