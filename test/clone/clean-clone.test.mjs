// A clone with nothing beside it: the repository, as it would be committed, cloned into an empty
// folder, builds there and passes its Node suites. Nothing in the build or the tests may read
// outside the repository. `npm test` runs this suite on its own, after the Node suites, so that the
// two runs do not compete for the machine.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, copyFile, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { followOutput } from '../support/child-output.mjs';
import { freePort } from '../support/free-port.mjs';
import { nodeSuites } from '../support/suites.mjs';

const git = (args, cwd) => promisify(execFile)('git', args, { cwd, maxBuffer: 1 << 26 });
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a command in the clone; resolves with its exit code and output. */
const runIn = (cwd, command, args) =>
  new Promise((resolve) => {
    // Without this, a nested `node --test` reports to this runner instead of printing its summary.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(command, args, { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });

let folder;
let clone;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wink-widget-clone-'));
  clone = join(folder, 'wink-widget');
  await git(['clone', '--quiet', '--no-hardlinks', root, clone]);
  // The clone gets the working tree's files as they would be committed: tracked and new ones, less
  // the ignored and the deleted.
  const { stdout: files } = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root);
  const { stdout: deleted } = await git(['ls-files', '-z', '--deleted'], root);
  for (const file of deleted.split('\0').filter(Boolean)) await rm(join(clone, file), { force: true });
  for (const file of new Set(files.split('\0').filter(Boolean))) {
    if (deleted.includes(`${file}\0`)) continue;
    await mkdir(dirname(join(clone, file)), { recursive: true });
    await copyFile(join(root, file), join(clone, file));
  }
  // The locked dependencies, as `npm ci` installed them here.
  await symlink(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
});
after(() => rm(folder, { recursive: true, force: true }));

test('the clone has nothing beside it', async () => {
  assert.deepEqual(await readdir(folder), ['wink-widget']);
  await assert.rejects(access(join(clone, '..', 'shared')));
});

test('npm run build succeeds in the clone', { timeout: 240_000 }, async () => {
  const { code, output } = await runIn(clone, 'npm', ['run', 'build']);
  assert.equal(code, 0, output);
});

// The whole Node run again, serial on a two-core machine: it takes about as long as the first run
// (four to five minutes), so its bound is three times that, not a guess at the fastest machine.
test('the Node suites pass in the clone', { timeout: 900_000 }, async () => {
  const suites = await nodeSuites(clone);
  assert.ok(suites.length > 20, suites.join(', '));
  const { code, output } = await runIn(clone, process.execPath, [
    '--test',
    '--test-reporter=spec',
    '--test-timeout=180000',
    ...suites,
  ]);
  assert.equal(code, 0, output);
  const passed = Number(output.match(/^ℹ pass (\d+)$/m)?.[1]);
  assert.ok(passed > 0, `no test passed in the clone:\n${output}`);
  assert.match(output, /^ℹ fail 0$/m);
});

/** Runs `npm start` in the clone until it prints its URL; resolves with what it printed, then stops it. */
async function startOnce(cwd) {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd,
    env: { ...env, PORT: String(await freePort()), SMILE_API_KEY: '', SMILE_API_SECRET: '', SMILE_WEBHOOK_SECRET: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const { printed } = followOutput(child, { timeout: 120_000 });
    const text = await printed((output) => /Ready in \d+\.\d s\./.test(output), 'ready line');
    assert.match(text, /wink-widget demo: http:\/\/localhost:\d+\/demo\//);
    return text;
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

test(
  'npm start skips a build that is up to date, and builds again after a change to src/',
  { timeout: 300_000 },
  async () => {
    // `npm run build` above recorded what it built from; the Node suites changed none of it.
    assert.match(await startOnce(clone), /The build is up to date/);
    const probe = `start-probe-${process.pid}`;
    const index = join(clone, 'src', 'index.ts');
    await writeFile(index, `${await readFile(index, 'utf8')}export const START_PROBE = '${probe}';\n`);
    const rebuilt = await startOnce(clone);
    assert.match(rebuilt, /Building/);
    assert.match(await readFile(join(clone, 'dist', 'index.js'), 'utf8'), new RegExp(probe));
    assert.match(await startOnce(clone), /The build is up to date/);
  },
);
