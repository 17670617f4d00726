// The package as npm publishes it: packed from the working tree, checked by the ecosystem's own
// linters, publint (strict) and attw (the ESM-only profile), with the files a package needs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (path) => fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

let dir;
let tarball;
let files;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wink-widget-pack-'));
  // `npm test` has compiled already; prepack (which compiles) is not run again here, so that
  // dist is not rewritten under the suites that read it.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: root });
  const [packed] = JSON.parse(stdout);
  tarball = join(dir, packed.filename);
  files = packed.files.map((file) => file.path);
});
after(() => rm(dir, { recursive: true, force: true }));

test('a clean clone can publish: prepack builds, and the tarball has the license, changelog, editor data and types', () => {
  assert.equal(pkg.scripts.prepack, 'npm run compile');
  for (const field of ['repository', 'bugs', 'homepage', 'license'])
    assert.ok(pkg[field], `package.json has no ${field}`);
  for (const expected of [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'custom-elements.json',
    'vscode.html-custom-data.json',
    'web-types.json',
    'dist/simulator/index.d.ts',
    'dist/bridge.html',
  ]) {
    assert.ok(files.includes(expected), `${expected} is not packed`);
  }
  assert.equal(pkg['web-types'], './web-types.json');
});

test('publint --strict finds nothing in the tarball', async () => {
  const { stdout } = await run(
    process.execPath,
    [bin('publint/src/cli.js'), 'run', tarball, '--strict', '--pack', 'false'],
    { cwd: root },
  );
  assert.match(stdout, /All good!/);
});

test('attw (ESM-only profile) finds nothing but the HTML asset bridge.html, which has no types to find', async () => {
  const attw = (...extra) =>
    run(process.execPath, [bin('@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only', ...extra], {
      cwd: root,
      maxBuffer: 1 << 24,
    });
  // bridge.html is a page for an iframe's src, not a module: nothing imports it, so it has no types.
  await attw('--exclude-entrypoints', './bridge.html');
  // Without the exclusion, it is the one entry point that fails.
  const failed = await attw().then(
    () => undefined,
    (error) => error.stdout,
  );
  assert.ok(failed, 'attw passes even with bridge.html: the exclusion is no longer needed');
  const sections = failed.split(/\n(?="wink-widget)/).slice(1);
  const failing = sections
    .filter((section) => /^(node16 \(from ESM\)|bundler): (?!🟢)/m.test(section))
    .map((section) => section.match(/^"([^"]+)"/)[1]);
  assert.deepEqual(failing, ['wink-widget/bridge.html']);
});
