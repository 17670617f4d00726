// The docs stay in step with the code: the element guide's events table is the callback table,
// its error table lists every error code, the frameworks guide shows the examples the suite runs,
// and CI runs exactly the README's test command.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { WINK_CALLBACKS } from '../../dist/index.js';

const root = new URL('../../', import.meta.url);
const readme = await readFile(new URL('README.md', root), 'utf8');
const elementGuide = await readFile(new URL('docs/element.md', root), 'utf8');
const frameworksGuide = await readFile(new URL('docs/frameworks.md', root), 'utf8');

test('the element guide’s events table is the callback table, in order', () => {
  const rows = [...elementGuide.matchAll(/^\| `(on\w+)` \| `([a-z-]+)`/gm)].map(([, callback, event]) => [
    callback,
    event,
  ]);
  assert.deepEqual(rows, Object.entries(WINK_CALLBACKS));
});

test('the element guide’s error table lists every WidgetErrorCode', async () => {
  const types = await readFile(new URL('dist/events.d.ts', root), 'utf8');
  const union = types.match(/export type WidgetErrorCode =([^;]+);/)[1];
  const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map(([, code]) => code);
  const documented = [...elementGuide.matchAll(/^\| `([A-Z_]+)` \| /gm)].map(([, code]) => code);
  assert.deepEqual(documented.sort(), codes.sort());
});

test('the first screen shows npm start and npm test, and .ci/run runs that test command', async () => {
  const firstScreen = readme.split('\n').slice(0, 12).join('\n');
  assert.match(firstScreen, /npm install && npm start/);
  assert.match(firstScreen, /^npm test\b/m);
  const ci = await readFile(new URL('.ci/run', root), 'utf8');
  assert.match(ci, /^npm ci\b/m);
  assert.match(ci, /^npm test 2>&1/m);
});

test('each section of the frameworks guide shows exactly the example its browser test runs', async () => {
  const examples = {
    html: 'html/index.html',
    vue: 'vue/App.vue',
    tsx: 'react/App.tsx',
    svelte: 'svelte/App.svelte',
    ts: 'angular/app.component.ts',
  };
  for (const [language, path] of Object.entries(examples)) {
    const source = await readFile(new URL(`demo/frameworks/${path}`, root), 'utf8');
    assert.ok(
      frameworksGuide.includes(`\`\`\`${language}\n${source}\`\`\``),
      `docs/frameworks.md does not show demo/frameworks/${path} as it is`,
    );
  }
});
