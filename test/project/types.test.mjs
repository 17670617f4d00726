// Compile-only tests. The project type-checks; the published types reject misspelt event names,
// detail fields and callbacks (each @ts-expect-error / @vue-expect-error must fail); and so do the
// opt-in framework entries under React (tsc on .tsx), Vue (vue-tsc) and Svelte (svelte-check).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';

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

test('the published types catch misspelt events, detail fields and callbacks', () =>
  check('typescript/bin/tsc', ['-p', 'test/types/tsconfig.json', '--noEmit']));

test('React: tsc checks the example and rejects misspellings in TSX', () =>
  check('typescript/bin/tsc', ['-p', 'test/types/react/tsconfig.json', '--noEmit']));

test('Vue: vue-tsc checks the example and rejects misspellings in templates', () =>
  check('vue-tsc/bin/vue-tsc.js', ['-p', 'test/types/vue/tsconfig.json', '--noEmit']));

test('Svelte: svelte-check passes the example and reports exactly the expected errors', async () => {
  const fixture = 'test/types/svelte/Misspellings.svelte';
  const lines = (await readFile(new URL(`../../${fixture}`, import.meta.url), 'utf8')).split('\n');
  const expected = lines.flatMap((line, index) =>
    line.includes('<!-- expect error:') ? [`${fixture}:${index + 2}`] : [],
  );
  let output;
  try {
    ({ stdout: output } = await run(
      process.execPath,
      [bin('svelte-check/bin/svelte-check'), '--tsconfig', 'test/types/svelte/tsconfig.json', '--output', 'machine'],
      { cwd: root },
    ));
  } catch (error) {
    output = error.stdout; // svelte-check exits 1 when it reports errors, as it must here
  }
  const reported = [...output.matchAll(/^\d+ ERROR "([^"]+)" (\d+):\d+ /gm)].map(([, file, line]) => `${file}:${line}`);
  assert.ok(expected.length >= 5);
  assert.deepEqual([...new Set(reported)].sort(), expected.sort(), output);
});

test('lit-analyzer (the Lit editor plugin) accepts a correct consumer template and reports each misspelt attribute', async () => {
  const analyze = async (file) => {
    try {
      const { stdout } = await run(
        process.execPath,
        [bin('lit-analyzer/cli.js'), file, '--strict', '--format', 'list', '--noColor'],
        { cwd: root },
      );
      return stdout;
    } catch (error) {
      return `${error.stdout}${error.stderr}`;
    }
  };
  assert.match(await analyze('test/types/lit/consumer.ts'), /Found 0 problems in 1 file/);
  const reported = [...(await analyze('test/types/lit/misspellings.ts')).matchAll(/Unknown attribute '([^']+)'/g)].map(
    (match) => match[1],
  );
  assert.deepEqual(reported, ['templateid', 'sdk-uri', 'bridgeurl']);
});

test('Angular: ngc (strictTemplates) compiles the example, and rejects exactly the marked lines of the misspellings', async () => {
  await check('@angular/compiler-cli/bundles/src/bin/ngc.js', ['-p', 'demo/frameworks/angular/tsconfig.json']);
  const file = 'test/types/angular/misspellings.component.ts';
  const source = await readFile(new URL(`../../${file}`, import.meta.url), 'utf8');
  const fragments = source
    .match(/EXPECTED_ERRORS = \[(.*)\];/)[1]
    .match(/'([^']+)'/g)
    .map((text) => text.slice(1, -1));
  const marked = fragments.map((fragment) => source.split('\n').findIndex((line) => line.includes(fragment)) + 1);
  let output = '';
  try {
    await run(
      process.execPath,
      [bin('@angular/compiler-cli/bundles/src/bin/ngc.js'), '-p', 'test/types/angular/tsconfig.json'],
      { cwd: root },
    );
  } catch (error) {
    output = stripVTControlCharacters(`${error.stdout}${error.stderr}`);
  }
  const lines = [...output.matchAll(/misspellings\.component\.ts:(\d+):\d+ - error/g)].map((match) => Number(match[1]));
  assert.deepEqual(lines, marked, output);
});
