// `npm test`: compiles (without regenerating the checked-in bridge module, manifest and README
// reference, so that the suites can tell when those are stale); lints, checks the formatting and
// type-checks; runs the Node suites (types, build outputs, docs, demo, webhooks), then the same in a
// clean clone with nothing beside it; then the browser suites in each engine, one engine after
// another (Chromium, Firefox ESR, WebKitGTK; `WINK_ENGINES=chromium,firefox` limits them for a
// quick local run). It ends with one line adding them all up: `N passed, N failed, N skipped`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { enginesLine } from '../test/support/engine-versions.mjs';
import { selectedEngines } from '../test/support/engines.mjs';
import { nodeSuites } from '../test/support/suites.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const totals = { passed: 0, failed: 0, skipped: 0 };

/** A whole engine's browser run never takes this long; past it the run is stopped and fails. */
const ENGINE_TIMEOUT_MS = 10 * 60 * 1000;

/** Runs a command with its output shown, and resolves with its exit code and output. */
function run(command, args, { env = process.env, timeout } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Adds a suite's counts. A suite whose counts cannot be read, or that exits non-zero without a
 * failed test, counts as one failure: a suite never passes by not reporting.
 */
function add({ code, output }, read) {
  const counts = read(output) ?? { passed: 0, failed: 1, skipped: 0 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  return counts;
}

const line = ({ passed, failed, skipped }) => `${passed} passed, ${failed} failed, ${skipped} skipped`;

// node --test's spec reporter closes with `ℹ pass N`, `ℹ fail N`, `ℹ skipped N`.
const nodeCounts = (output) => {
  const value = (name) => output.match(new RegExp(`^ℹ ${name} (\\d+)$`, 'm'))?.[1];
  const [passed, failed, skipped] = ['pass', 'fail', 'skipped'].map(value);
  return passed === undefined ? undefined : { passed: +passed, failed: +(failed ?? 0), skipped: +(skipped ?? 0) };
};

// test/support/summary-reporter.mjs closes with `browser: N passed, N failed, N skipped` (the
// runner's progress bar may put terminal escapes in front of it).
const browserCounts = (output) => {
  const found = [...output.matchAll(/browser: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)].at(-1);
  return found && { passed: +found[1], failed: +found[2], skipped: +found[3] };
};

// Which browser builds this run drives, once, before anything else: a failure reads against them.
console.log(enginesLine(selectedEngines()));

const build = await run('npm', ['run', 'compile']);

// Lint, format check and type-check, each one test. After the compile: the framework examples
// import the package by its own name, which resolves to the compiled types.
const checks = { passed: 0, failed: 0, skipped: 0 };
for (const script of ['lint', 'format:check', 'typecheck']) {
  const { code } = await run('npm', ['run', '--silent', script]);
  checks[code === 0 ? 'passed' : 'failed']++;
}
for (const key of Object.keys(totals)) totals[key] += checks[key];
const perSuite = { checks };

if (build.code !== 0) {
  totals.failed++;
} else {
  const nodeTests = await nodeSuites(root);
  // Each Node test is bounded, so that a hung one fails instead of holding up the run.
  const node = await run(process.execPath, ['--test', '--test-reporter=spec', '--test-timeout=180000', ...nodeTests]);
  perSuite.node = add(node, nodeCounts);
  // The clean-clone suite builds and runs the Node suites again in a clone of its own: it runs
  // alone, after them.
  const clone = await run(process.execPath, ['--test', '--test-reporter=spec', 'test/clone/clean-clone.test.mjs']);
  perSuite.clone = add(clone, nodeCounts);
  for (const engine of selectedEngines()) {
    const browser = await run(bin('web-test-runner'), ['--config', 'web-test-runner.config.mjs'], {
      env: { ...process.env, WINK_ENGINES: engine },
      timeout: ENGINE_TIMEOUT_MS,
    });
    perSuite[engine] = add(browser, browserCounts);
  }
}
for (const [suite, counts] of Object.entries(perSuite)) console.log(`${suite.padEnd(8)} ${line(counts)}`);

console.log(line(totals));
process.exit(totals.failed > 0 ? 1 : 0);
