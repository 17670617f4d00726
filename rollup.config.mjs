// Rollup builds the two files that are used as they are, with no build step of the user's: the
// self-registering bundle with Lit inlined, and the simulator as a classic script (it stands in
// for the SDK's <script>). tsc emits the unbundled modules that npm users import.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

export const minify = () => terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } });

export default [
  {
    input: 'src/bundle.ts',
    output: { file: 'dist/wink-widget.min.js', format: 'es', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }), minify()],
  },
  {
    input: 'src/simulator/index.ts',
    output: { file: 'dist/simulator.js', format: 'iife', sourcemap: true },
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }), minify()],
  },
];
