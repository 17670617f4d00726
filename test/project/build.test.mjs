// Build outputs: the checked-in bridge module matches its source, the size budgets hold, and the
// package ships what its exports map promises and nothing else.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bridgeDocument, hostedBridgeDocument } from '../../scripts/build-bridge.mjs';
import { measure } from '../../scripts/size.mjs';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));

test('the checked-in bridge modules are what scripts/build-bridge.mjs makes of the two pages', async () => {
  for (const { module, path } of [await bridgeDocument(), await hostedBridgeDocument()]) {
    assert.equal(await readFile(new URL(path, root), 'utf8'), module, path);
  }
});

test('size budgets hold (npm run size)', async () => {
  for (const row of await measure()) {
    assert.ok(row.ok, `${row.name}: ${row.gzip} B gzipped is over its ${row.budget} B budget`);
  }
});

test('the only runtime dependency is lit; the server-side engines are optional peers', () => {
  assert.deepEqual(Object.keys(pkg.dependencies), ['lit']);
  assert.deepEqual(Object.keys(pkg.peerDependencies).sort(), ['bullmq', 'ioredis', 'redis']);
  for (const name of Object.keys(pkg.peerDependencies)) {
    assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is not an optional peer`);
  }
});

test('the built browser entries import lit and their own files only: eventsource-parser is inside', async () => {
  const ts = (await import('typescript')).default;
  const SERVER = ['./webhooks', './api', './package.json', './bridge.html'];
  const seen = new Set();
  const bare = [];
  const visit = async (url) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const { importedFiles } = ts.preProcessFile(await readFile(url, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) await visit(new URL(fileName, url));
      else if (fileName !== 'lit' && !fileName.startsWith('lit/')) bare.push(`${url.pathname}: ${fileName}`);
    }
  };
  for (const [path, target] of Object.entries(pkg.exports)) {
    if (SERVER.includes(path)) continue;
    const file = typeof target === 'string' ? target : target.default;
    if (file.endsWith('.js')) await visit(new URL(file, root));
  }
  assert.ok(
    [...seen].some((href) => href.endsWith('/dist/smile-events-fetch.js')),
    'the walk reaches the fetch reader',
  );
  assert.ok([...seen].some((href) => href.endsWith('/dist/events.fetch.min.js')));
  assert.deepEqual(bare, []);
  const reader = await readFile(new URL('dist/smile-events-fetch.js', root), 'utf8');
  assert.match(
    reader,
    /^\/\*! Includes eventsource-parser \d+\.\d+\.\d+, MIT License, Copyright/,
    'its license notice',
  );
});

test('every exports condition lists "types" first and points at a built file', async () => {
  for (const [path, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') {
      await readFile(new URL(target, root));
      continue;
    }
    assert.equal(Object.keys(target)[0], 'types', `${path}: "types" must come first`);
    for (const file of Object.values(target)) await readFile(new URL(file, root));
  }
});

test('npm pack ships dist and the docs, and no tests or sources of the build', async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: fileURLToPath(root),
  });
  const files = JSON.parse(stdout)[0].files.map((file) => file.path);
  for (const expected of [
    'dist/index.js',
    'dist/index.d.ts',
    'dist/define.js',
    'dist/wink-widget.min.js',
    'dist/bridge.html',
    'dist/simulator.js',
    'dist/frameworks/vue.d.ts',
    'dist/frameworks/react.d.ts',
    'dist/frameworks/svelte.d.ts',
    'custom-elements.json',
    'README.md',
    // The README's links to the guides resolve inside the package too.
    'docs/element.md',
    'docs/webhooks.md',
    'docs/events.md',
    'docs/security.md',
    'docs/screenshots/demo.png',
    'CONTRIBUTING.md',
    'package.json',
  ]) {
    assert.ok(files.includes(expected), `${expected} is not packed`);
  }
  const stray = files.filter((file) => /^(test|scripts|demo|src)\/|bridge-page/.test(file));
  assert.deepEqual(stray, []);
});

test('sideEffects names exactly the registering files', async () => {
  assert.deepEqual(pkg.sideEffects, [
    './dist/define.js',
    './dist/bundle.js',
    './dist/wink-widget.min.js',
    './dist/simulator.js',
  ]);
  const index = await readFile(new URL('dist/index.js', root), 'utf8');
  assert.doesNotMatch(index, /customElements\.define/);
});
