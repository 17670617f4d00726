// The `wink-widget` command line: its dispatcher (the commands listed, `--help` on each, an unknown
// one refused) and `wink-widget bridge`, run as a user runs it, through the package's bin.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createBridgeHtml } from '../../dist/bridge/create-bridge-html.js';
import { runCli } from '../support/cli.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

const cli = (...args) => runCli(args);

test('wink-widget bridge prints the page for its --sdk-origin list, or createBridgeHtml’s default', async () => {
  assert.deepEqual(await cli('bridge'), { code: 0, stdout: createBridgeHtml().html, stderr: '' });
  const sdkOrigins = ['http://localhost:8000', 'https://cdn.example'];
  const printed = await cli('bridge', '--sdk-origin', sdkOrigins[0], '--sdk-origin', sdkOrigins[1]);
  assert.deepEqual(printed, { code: 0, stdout: createBridgeHtml({ sdkOrigins }).html, stderr: '' });
  const json = await cli('bridge', '--json', '--sdk-origin', sdkOrigins[0]);
  assert.deepEqual(JSON.parse(json.stdout), createBridgeHtml({ sdkOrigins: [sdkOrigins[0]] }));
});

test('wink-widget bridge refuses a bad origin, and an unknown option, with exit code 2 and why', async () => {
  const bad = await cli('bridge', '--sdk-origin', 'http://evil.example');
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^wink-widget bridge: SDK origin http:\/\/evil\.example must be https:/);
  assert.match(bad.stderr, /Run wink-widget bridge --help/);
  const unknown = await cli('bridge', '--sdk-orign', 'https://cdn.example');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option '--sdk-orign'/);
});

test('wink-widget lists its commands; every command has --help; an unknown one exits 2', async () => {
  const overview = await cli('--help');
  assert.equal(overview.code, 0);
  assert.match(overview.stdout, /^Usage: wink-widget <command>/);
  const { COMMANDS } = await import('../../dist/cli/main.js');
  for (const { name, summary } of COMMANDS) {
    assert.match(overview.stdout, new RegExp(`\\n  ${name} +${summary.replace(/[()]/g, '\\$&')}\\n`));
    for (const flag of ['--help', '-h']) {
      const help = await cli(name, flag);
      assert.equal(help.code, 0, `${name} ${flag}`);
      assert.match(help.stdout, new RegExp(`^Usage:\\s+wink-widget ${name}\\b`));
    }
  }
  const unknown = await cli('brige');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "brige"/);
  assert.equal((await cli()).code, 2);
});

test('npx wink-widget runs the package’s bin', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(pkg.bin, { 'wink-widget': './dist/cli/bin.js' });
  const { stdout } = await promisify(execFile)('npx', ['--no-install', 'wink-widget', 'bridge'], { cwd: root });
  assert.equal(stdout, createBridgeHtml().html);
});
