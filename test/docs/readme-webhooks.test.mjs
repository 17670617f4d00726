// The README's webhook receivers, run exactly as written, against requests signed with
// node:crypto: Node's, the fetch-style one, and two instances of the Redis one sharing a real
// redis-server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serveSnippet, snippet } from '../support/readme-snippets.mjs';
import { startRedis } from '../support/redis-server.mjs';
import { signWebhook } from '../../dist/webhooks/index.js';

const secret = 'whsec_readme_0123456789';
const body = JSON.stringify({
  id: 'et-readme-1',
  version: 1,
  type: 'ACCOUNT_CONNECTED',
  createdAt: new Date().toISOString(),
  data: { userId: 'u', accountId: 'a', loginName: 'l', providers: ['p'] },
});
const signature = await signWebhook(body, secret);

/** Runs a snippet as a server; resolves once it prints `listening`, with `post`, `printed` and `stop`. */
async function serve(file, env) {
  const { port, printed, stop } = await serveSnippet(file, env);
  const post = async (headers, raw = body) => {
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body: raw });
    return [response.status, await response.json()];
  };
  return { post, printed, stop };
}

test('the README’s receiver is the guide’s Node receiver, which the next test runs as written', async () => {
  const { readFile } = await import('node:fs/promises');
  const read = (file) => readFile(new URL(file, import.meta.url), 'utf8');
  const [inReadme, inGuide] = await Promise.all([
    snippet('README.md', '## Webhooks', 'readme-receiver.mjs'),
    snippet('docs/webhooks.md', '## Node\n', 'guide-receiver.mjs'),
  ]);
  assert.equal(await read(inReadme), await read(inGuide));
});

test('the Node receiver handles once, answers duplicates, and refuses', async () => {
  const receiver = await serve(await snippet('docs/webhooks.md', '## Node\n', 'node-receiver.mjs'), {
    SMILE_WEBHOOK_SECRET: secret,
  });
  try {
    assert.deepEqual(await receiver.post({ 'smile-signature': signature }), [200, { received: true }]);
    assert.deepEqual(await receiver.post({ 'Smile-Signature': signature }), [200, { received: true, duplicate: true }]);
    assert.deepEqual(
      await receiver.post({ 'smile-signature': signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
      [401, { error: 'BAD_SIGNATURE' }],
    );
    assert.deepEqual(await receiver.post({}), [401, { error: 'MISSING_SIGNATURE' }]);
    // onEvent logs before its 200, so the line is in the pipe by now; only one was ever printed.
    assert.equal(
      await receiver.printed('et-readme-1\n'),
      'ACCOUNT_CONNECTED et-readme-1\n',
      'handled once, though delivered twice',
    );
  } finally {
    await receiver.stop();
  }
});

test('the fetch-style handler handles once, answers duplicates, and refuses', async (t) => {
  const handler = (await import(await snippet('docs/webhooks.md', '## A fetch-style handler', 'fetch-handler.mjs')))
    .default;
  const logged = [];
  t.mock.method(console, 'log', (...args) => logged.push(args.join(' ')));
  const env = { SMILE_WEBHOOK_SECRET: secret };
  const request = (headers, method = 'POST') =>
    new Request('https://example.test/webhooks/smile', { method, headers, body });
  const answer = async (response) => [response.status, await response.json()];
  assert.deepEqual(await answer(await handler.fetch(request({ 'Smile-Signature': signature }), env)), [
    200,
    { received: true },
  ]);
  assert.deepEqual(await answer(await handler.fetch(request({ 'Smile-Signature': signature }), env)), [
    200,
    { received: true, duplicate: true },
  ]);
  assert.deepEqual(await answer(await handler.fetch(request({ 'Smile-Signature': '0'.repeat(128) }), env)), [
    401,
    { error: 'BAD_SIGNATURE' },
  ]);
  assert.deepEqual(await answer(await handler.fetch(request({}), env)), [401, { error: 'MISSING_SIGNATURE' }]);
  assert.deepEqual(await answer(await handler.fetch(request({}, 'PUT'), env)), [405, { error: 'METHOD_NOT_ALLOWED' }]);
  assert.deepEqual(logged, ['ACCOUNT_CONNECTED et-readme-1']);
});

test('two instances of the Redis receiver share one Redis: an event sent to both is handled once', async () => {
  const redis = await startRedis();
  const file = await snippet('docs/webhooks.md', '## Several instances: Redis', 'redis-receiver.mjs');
  const env = { SMILE_WEBHOOK_SECRET: secret, REDIS_URL: redis.url };
  const instances = [];
  try {
    instances.push(await serve(file, env), await serve(file, env));
    assert.deepEqual(await instances[0].post({ 'smile-signature': signature }), [200, { received: true }]);
    assert.deepEqual(await instances[1].post({ 'smile-signature': signature }), [
      200,
      { received: true, duplicate: true },
    ]);
    assert.deepEqual(await instances[1].post({}), [401, { error: 'MISSING_SIGNATURE' }]);
    assert.equal(await instances[0].printed('et-readme-1\n'), 'ACCOUNT_CONNECTED et-readme-1\n');
    // The second instance answered after the first had handled it; it never ran onEvent.
    await instances[1].stop();
    assert.equal(await instances[1].printed(''), '');
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis.stop();
  }
});

/** With Redis down: three deliveries in a row, each answered 503 within a second (and a margin). */
async function expectUnavailable(receiver) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    assert.deepEqual(await receiver.post({ 'smile-signature': signature }), [503, { error: 'STORE_UNAVAILABLE' }]);
    assert.ok(performance.now() - started < 1500, `answered in ${Math.round(performance.now() - started)} ms`);
  }
}

/** Delivers again while the answer is 503, as Smile retries, bounded; resolves with the last answer. */
async function retryWhileUnavailable(deliver) {
  let answer;
  for (let attempt = 0; attempt < 40; attempt++) {
    answer = await deliver();
    if (answer[0] !== 503) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return answer;
}

test('the README Redis receiver answers 503 within a second while Redis is down, stays up, and recovers by itself', async () => {
  let redis = await startRedis();
  const file = await snippet('docs/webhooks.md', '## Several instances: Redis', 'redis-receiver-outage.mjs');
  const receiver = await serve(file, { SMILE_WEBHOOK_SECRET: secret, REDIS_URL: redis.url });
  try {
    assert.deepEqual(await receiver.post({ 'smile-signature': signature }), [200, { received: true }]);
    await redis.kill();
    await expectUnavailable(receiver);
    // The process lived through the client's errors; Redis comes back on the same port.
    redis = await startRedis({ port: redis.port });
    // Smile retries; so does this, bounded. The new Redis is empty, so the event is new to it.
    assert.deepEqual(await retryWhileUnavailable(() => receiver.post({ 'smile-signature': signature })), [
      200,
      { received: true },
    ]);
  } finally {
    await receiver.stop();
    await redis.stop();
  }
});

test('the README durable inbox queues, runs each event once, and answers duplicates', async () => {
  const redis = await startRedis();
  const file = await snippet('docs/webhooks.md', '## Durable inbox: BullMQ', 'inbox-receiver.mjs');
  const receiver = await serve(file, { SMILE_WEBHOOK_SECRET: secret, REDIS_URL: redis.url });
  try {
    assert.deepEqual(await receiver.post({ 'smile-signature': signature }), [200, { received: true, queued: true }]);
    assert.equal(await receiver.printed('et-readme-1\n'), 'ACCOUNT_CONNECTED et-readme-1\n');
    assert.deepEqual(await receiver.post({ 'smile-signature': signature }), [200, { received: true, duplicate: true }]);
    assert.deepEqual(await receiver.post({}), [401, { error: 'MISSING_SIGNATURE' }]);
  } finally {
    await receiver.stop();
    await redis.stop();
  }
  // It ran the event once, and nothing after.
  assert.equal(await receiver.printed(''), 'ACCOUNT_CONNECTED et-readme-1\n');
});

test('the README durable inbox answers 503 within a second while Redis is down, stays up, and recovers by itself', async () => {
  let redis = await startRedis();
  const file = await snippet('docs/webhooks.md', '## Durable inbox: BullMQ', 'inbox-receiver-outage.mjs');
  const receiver = await serve(file, { SMILE_WEBHOOK_SECRET: secret, REDIS_URL: redis.url });
  try {
    assert.deepEqual(await receiver.post({ 'smile-signature': signature }), [200, { received: true, queued: true }]);
    assert.equal(await receiver.printed('et-readme-1\n'), 'ACCOUNT_CONNECTED et-readme-1\n');
    await redis.kill();
    await expectUnavailable(receiver);
    // The receiver and its worker lived through their clients' errors; Redis comes back on the same port.
    redis = await startRedis({ port: redis.port });
    const later = JSON.stringify({ ...JSON.parse(body), id: 'et-readme-after', createdAt: new Date().toISOString() });
    const laterSignature = await signWebhook(later, secret);
    // Smile retries; so does this, bounded.
    assert.deepEqual(await retryWhileUnavailable(() => receiver.post({ 'smile-signature': laterSignature }, later)), [
      200,
      { received: true, queued: true },
    ]);
    // The worker, reconnected by itself, runs it.
    assert.match(await receiver.printed('et-readme-after\n'), /ACCOUNT_CONNECTED et-readme-after\n$/);
  } finally {
    await receiver.stop();
    await redis.stop();
  }
});
