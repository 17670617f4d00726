// The build, as steps in order; the commands of a step run side by side (the machine has cores to
// spare, and the commands of one step read nothing the others write).
//   node scripts/build.mjs            npm run build: generate, compile, then the package's data
//   node scripts/build.mjs compile    npm run compile: dist/ from the sources as they are
// The full build records what it was made from (see ./build-inputs.mjs), so that `npm start` can
// skip a build that is up to date; a compile alone empties dist/, and the record with it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inputsHash, writeBuildRecord } from './build-inputs.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const node = (...args) => [process.execPath, ...args];

/** Regenerates the checked-in modules made from other sources: the bridge pages, the webhook and the API types. */
export const GENERATE = [
  [node('scripts/build-bridge.mjs'), node('scripts/build-webhook-types.mjs'), node('scripts/build-api-types.mjs')],
];

/** Emits dist/: the modules and declarations, the bundle, the simulator, and the framework examples. */
export const COMPILE = [
  [node('scripts/dist.mjs', 'clean')],
  [
    [bin('tsc'), '-p', 'tsconfig.build.json'],
    [bin('tsc'), '-p', 'tsconfig.simulator.json'],
  ],
  // The declarations get their `@attr` tags before ngc type-checks the Angular example against them.
  [node('scripts/dist.mjs', 'bin'), node('scripts/attribute-types.mjs')],
  // Rollup's bridge.html is made with dist/bridge/create-bridge-html.js; the examples import dist/.
  [[bin('rollup'), '-c', '--silent'], node('scripts/build-examples.mjs')],
];

/** The package's data, made from the compiled sources: the manifest, then the editor data and the API reference. */
export const PACKAGE_DATA = [
  [[bin('cem'), 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']],
  [node('scripts/editor-data.mjs'), node('scripts/api-docs.mjs')],
];

function runCommand([command, ...args]) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${[command, ...args].join(' ')} failed with ${signal ?? `exit code ${code}`}`)),
    );
  });
}

/** Runs the steps in order, the commands of each side by side; rejects with the first failure. */
export async function runSteps(steps) {
  for (const step of steps) {
    const results = await Promise.allSettled(step.map(runCommand));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/**
 * Generates, compiles, and (unless only the demo needs it) makes the package data; records the
 * inputs the compile was made from, read after the generators ran, since they rewrite some.
 */
export async function build({ packageData = true } = {}) {
  await runSteps(GENERATE);
  const inputs = await inputsHash();
  await runSteps(COMPILE);
  if (packageData) await runSteps(PACKAGE_DATA);
  await writeBuildRecord(inputs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode] = process.argv.slice(2);
  try {
    if (mode === 'compile') await runSteps(COMPILE);
    else if (mode === undefined) await build();
    else throw new Error(`Usage: node scripts/build.mjs [compile]`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
