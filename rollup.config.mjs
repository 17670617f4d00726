// Rollup builds only the self-registering bundle with Lit inlined, for <script type="module">
// on a page with no build step; tsc emits the unbundled modules that npm users import.
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
];
