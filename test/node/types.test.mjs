// Compile-only tests. The project type-checks; the published types reject misspelt event names,
// detail fields and callbacks (each @ts-expect-error / @vue-expect-error must fail); and so do the
// opt-in framework entries under React (tsc on .tsx), Vue (vue-tsc) and Svelte (svelte-check).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (path) => fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));

async function check(tool, args) {
  try {
    await run(process.execPath, [bin(tool), ...args], { cwd: root });
  } catch (error) {
    assert.fail(`${tool} ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`);
  }
}

test('the sources, scripts and tests type-check (strict)', () => check('typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit']));

test('the published types catch misspelt events, detail fields and callbacks', () =>
  check('typescript/bin/tsc', ['-p', 'test/types/tsconfig.json', '--noEmit']));

test('React: tsc checks the example and rejects misspellings in TSX', () =>
  check('typescript/bin/tsc', ['-p', 'test/types/react/tsconfig.json', '--noEmit']));

test('Vue: vue-tsc checks the example and rejects misspellings in templates', () =>
  check('vue-tsc/bin/vue-tsc.js', ['-p', 'test/types/vue/tsconfig.json', '--noEmit']));

test('Svelte: svelte-check passes the example and reports exactly the expected errors', async () => {
  const fixture = 'test/types/svelte/Misspellings.svelte';
  const lines = (await readFile(new URL(`../../${fixture}`, import.meta.url), 'utf8')).split('\n');
  const expected = lines.flatMap((line, index) => (line.includes('<!-- expect error:') ? [`${fixture}:${index + 2}`] : []));
  let output;
  try {
    ({ stdout: output } = await run(process.execPath, [bin('svelte-check/bin/svelte-check'), '--tsconfig', 'test/types/svelte/tsconfig.json', '--output', 'machine'], { cwd: root }));
  } catch (error) {
    output = error.stdout; // svelte-check exits 1 when it reports errors, as it must here
  }
  const reported = [...output.matchAll(/^\d+ ERROR "([^"]+)" (\d+):\d+ /gm)].map(([, file, line]) => `${file}:${line}`);
  assert.ok(expected.length >= 5);
  assert.deepEqual([...new Set(reported)].sort(), expected.sort(), output);
});
