// The README's two webhook receivers, run exactly as written, against requests signed with
// node:crypto.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const readme = await readFile(new URL('README.md', root), 'utf8');
const secret = 'whsec_readme_77';
const body = JSON.stringify({ id: 'et-readme-1', version: 1, type: 'ACCOUNT_CONNECTED', createdAt: '2026-11-22T10:00:00Z', data: { userId: 'u', accountId: 'a', providerId: 'p' } });
const signature = createHmac('sha512', secret).update(body).digest('hex');

/** The first js code block after `heading`, written where it can import 'wink-widget/webhooks' by name. */
async function snippet(heading, name) {
  const after = readme.slice(readme.indexOf(heading));
  const code = after.match(/```js\n([\s\S]*?)```/)[1];
  // Inside this package (and outside node_modules) Node resolves the package's own name.
  const dir = new URL('.cache/readme-snippets/', root);
  await mkdir(dir, { recursive: true });
  const file = new URL(name, dir);
  await writeFile(file, code);
  return file;
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

test('the Node receiver verifies, dedupes and refuses', async () => {
  const file = await snippet('#### Node', 'node-receiver.mjs');
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(file)], { env: { ...process.env, PORT: String(port), SMILE_WEBHOOK_SECRET: secret } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  try {
    const post = async (headers) => {
      for (let tries = 0; ; tries++) {
        try {
          return (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body })).status;
        } catch (error) {
          if (tries > 100) throw error; // the server is still starting: bounded retries
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    assert.equal(await post({ 'smile-signature': signature }), 200);
    assert.equal(await post({ 'Smile-Signature': signature }), 200);
    assert.equal(await post({ 'smile-signature': signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }), 400);
    assert.equal(await post({}), 400);
    assert.equal(output, 'ACCOUNT_CONNECTED et-readme-1\n', 'handled once, though delivered twice');
  } finally {
    child.kill();
  }
});

test('the fetch-style handler verifies and refuses', async () => {
  const handler = (await import(await snippet('#### A fetch-style handler', 'fetch-handler.mjs'))).default;
  const env = { SMILE_WEBHOOK_SECRET: secret };
  const request = (headers) => new Request('https://example.test/webhooks/smile', { method: 'POST', headers, body });
  const ok = await handler.fetch(request({ 'Smile-Signature': signature }), env);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { received: 'et-readme-1' });
  const refused = await handler.fetch(request({ 'Smile-Signature': '0'.repeat(128) }), env);
  assert.equal(refused.status, 400);
  assert.deepEqual(await refused.json(), { error: 'BAD_SIGNATURE' });
  assert.deepEqual(await (await handler.fetch(request({}), env)).json(), { error: 'MISSING_SIGNATURE' });
});
