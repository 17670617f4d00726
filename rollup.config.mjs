// Rollup builds the files that are used as they are, with no build step of the user's: the
// self-registering bundle with Lit inlined, the page's stream client as one module, and the
// simulator as a classic script (it stands in for the SDK's <script>). tsc emits the unbundled
// modules that npm users import.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

export const minify = () => terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } });

/** Emits dist/bridge.html, for `bridge-url`: the self-hosted bridge page for Smile's SDK origin. */
const bridgePage = () => ({
  name: 'bridge-page',
  async generateBundle() {
    const { createBridgeHtml } = await import('./dist/bridge/create-bridge-html.js');
    this.emitFile({ type: 'asset', fileName: 'bridge.html', source: createBridgeHtml().html });
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
  {
    input: 'src/smile-events.ts',
    output: { file: 'dist/events.min.js', format: 'es', sourcemap: true },
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }), minify()],
  },
  {
    input: 'src/simulator/index.ts',
    output: { file: 'dist/simulator.js', format: 'iife', sourcemap: true },
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }), minify()],
  },
];
