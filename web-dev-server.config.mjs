// `npm start`: serves the demo from the project root, compiling TypeScript on the fly.
import { esbuildPlugin } from '@web/dev-server-esbuild';

export default {
  rootDir: '.',
  nodeResolve: true,
  // The printed root URL opens the demo.
  middleware: [(context, next) => (context.path === '/' ? context.redirect('/demo/') : next())],
  open: false,
  port: Number(process.env.PORT ?? 8000),
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
};
