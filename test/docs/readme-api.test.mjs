// The README's token endpoint, run as written against Prism mocking the vendored spec (with
// --errors: a request the spec does not allow fails), and its trigger command run as written
// against its own receiver.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startPrism } from '../support/prism.mjs';
import { serveSnippet, snippet } from '../support/readme-snippets.mjs';
import { startRecordingProxy } from '../support/recording-proxy.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = await readFile(new URL('README.md', new URL('../../', import.meta.url)), 'utf8');

test("the README's token endpoint makes a Smile user for a user's first token, and asks POST /tokens for theirs after", async () => {
  const prism = await startPrism();
  const proxy = await startRecordingProxy(prism.url);
  const saved = { ...process.env };
  Object.assign(process.env, {
    SMILE_API_KEY: 'key_readme',
    SMILE_API_SECRET: 'secret_readme',
    SMILE_API_BASE_URL: proxy.url,
  });
  try {
    const { linkTokenFor } = await import(await snippet('README.md', '## Your token endpoint', 'token-endpoint.mjs'));
    const user = { id: 'app-user-1' };
    const first = await linkTokenFor(user);
    const second = await linkTokenFor(user);
    assert.deepEqual(
      proxy.calls.map(({ method, path, query, status }) => [method, path, query, status]),
      [
        ['POST', '/users', {}, 201],
        ['POST', '/tokens', { userId: proxy.calls[0].answer.data.user.id }, 201],
      ],
    );
    assert.deepEqual(proxy.calls[0].body, { externalMetadata: { appUserId: 'app-user-1' } });
    assert.equal(user.smileUserId, proxy.calls[0].answer.data.user.id);
    assert.deepEqual(first, { accessToken: proxy.calls[0].answer.data.token.accessToken });
    assert.deepEqual(second, { accessToken: proxy.calls[1].answer.data.accessToken });
    assert.equal(proxy.calls[0].authorization, `Basic ${Buffer.from('key_readme:secret_readme').toString('base64')}`);
  } finally {
    process.env = saved;
    await proxy.stop();
    await prism.stop();
  }
});

test("the README's trigger command reaches the README's receiver, which handles the event", async () => {
  const line = readme.match(/^SMILE_WEBHOOK_SECRET=… (npx wink-widget trigger .+)$/m)?.[1];
  assert.ok(line, 'the README shows the trigger command');
  const secret = 'whsec_readme_trigger';
  const receiver = await serveSnippet(await snippet('README.md', '## Webhooks', 'trigger-receiver.mjs'), {
    SMILE_WEBHOOK_SECRET: secret,
  });
  try {
    const [npx, ...args] = line.replace('localhost:3000', `localhost:${receiver.port}`).split(' ');
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const { stdout } = await promisify(execFile)(npx, ['--no-install', ...args], {
      cwd: root,
      env: { ...env, SMILE_WEBHOOK_SECRET: secret },
      timeout: 60_000,
    });
    const id = stdout.match(/^TASK_FINISHED (et-[0-9a-f]{32}) → 200\n/)?.[1];
    assert.ok(id, stdout);
    // The receiver's onEvent logs each event it handles: this one, once.
    assert.equal(await receiver.printed(`${id}\n`), `TASK_FINISHED ${id}\n`);
  } finally {
    await receiver.stop();
  }
});
