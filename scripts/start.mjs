// `npm start`: builds what the demo serves only when dist/ is not a build of the sources as they
// are now (see ./build-inputs.mjs), then starts the demo server (demo/server.mjs). The demo's page
// itself is served from src/ through the dev server's esbuild plugin, so an edit there shows on
// reload; an edit anywhere else the build reads shows on the next start.
import { performance } from 'node:perf_hooks';
import { buildIsCurrent } from './build-inputs.mjs';
import { build } from './build.mjs';

const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

try {
  if (await buildIsCurrent()) {
    console.log('  The build is up to date with the sources.');
  } else {
    console.log('  Building: dist/ is missing or older than the sources…');
    // The manifest and editor data are the package's, not the demo's: `npm run build` makes them.
    await build({ packageData: false });
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const { startDemoServer } = await import('../demo/server.mjs');
const { startMessage } = await startDemoServer();
console.log(startMessage);
console.log(`  Ready in ${seconds()}.`);
