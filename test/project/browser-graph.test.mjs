// No browser entry point reaches server code: walking the import graph of each (type-only imports
// included, since a declaration file would carry them to the page's build) from its source finds
// nothing under src/webhooks/, src/api/ or src/cli/. The types the page and the server share live outside
// them (src/page-events.ts, src/webhook-types/).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const SERVER = /^src\/(webhooks|cli|api)\//;

/** Every source file `entry` reaches through its relative imports, types too, as paths from the root. */
function reach(entry) {
  const seen = new Set();
  const visit = (file) => {
    const path = relative(root, file);
    if (seen.has(path)) return;
    seen.add(path);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = join(dirname(file), fileName).replace(/\.js$/, '.ts');
      if (existsSync(target)) visit(target);
      else assert.fail(`${path} imports ${fileName}, which is no file of src/`);
    }
  };
  visit(join(root, entry));
  return [...seen];
}

/** The files rollup builds (rollup.config.mjs), by their source; tsc's mirror src/. */
const BUNDLED = {
  './dist/wink-widget.min.js': 'src/bundle.ts',
  './dist/simulator.js': 'src/simulator/index.ts',
  './dist/events.min.js': 'src/smile-events.ts',
};

/** The source of a dist/ file of the exports map. */
const sourceOf = (target) => BUNDLED[target] ?? target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');

const browserEntries = Object.entries(pkg.exports)
  .filter(([path]) => !['./webhooks', './api', './package.json', './bridge.html'].includes(path))
  .map(([path, target]) => [path, sourceOf(typeof target === 'string' ? target : target.default)]);

test('the browser entry points are every export but the server’s', () => {
  assert.deepEqual(
    browserEntries.map(([path]) => path),
    [
      '.',
      './define.js',
      './wink-widget.min.js',
      './simulator',
      './simulator-token',
      './events',
      './events.min.js',
      './vue',
      './svelte',
      './react',
    ],
  );
});

for (const [path, source] of browserEntries) {
  test(`wink-widget${path.slice(1)} (${source}) reaches no server file`, () => {
    const reached = reach(source);
    assert.ok(reached.length >= 1);
    assert.deepEqual(
      reached.filter((file) => SERVER.test(file)),
      [],
    );
  });
}

test('the walk does find server files where they are imported', () => {
  const reached = reach('src/webhooks/index.ts');
  assert.ok(reached.includes('src/webhooks/receiver/steps/admit.ts'));
  assert.ok(reached.includes('src/page-events.ts'), 'shared with the page, outside src/webhooks/');
});
