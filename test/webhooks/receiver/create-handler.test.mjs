// createWebhookHandler's contract as a fetch-style handler: each status it answers, the claim
// around onEvent, and hostile input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MemoryWebhookStore,
  createWebhookHandler,
  memoryEventBus,
  parseWebhook,
  signWebhook,
} from '../../../dist/webhooks/index.js';

const secret = 'whsec_handler_5e';
const sign = (raw) => signWebhook(raw, secret);
const body = (id = 'evt_1') =>
  JSON.stringify({
    id,
    version: 1,
    type: 'ARCHIVE_STARTED',
    createdAt: new Date().toISOString(),
    data: { userId: 'usr_1', archiveId: 'arc_1' },
  });
const post = async (raw, headers) =>
  new Request('https://receiver.test/webhooks/smile', {
    method: 'POST',
    headers: headers ?? { 'smile-signature': await sign(raw) },
    body: raw,
  });

/** A handler that records each onEvent call; `behave(event)` decides what onEvent does. */
function receiver(behave = () => undefined, options = {}) {
  const calls = [];
  const errors = [];
  const handler = createWebhookHandler({
    secret,
    onEvent: (event) => {
      calls.push(event.id);
      return behave(event);
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  const answer = async (request) => {
    const response = await handler(await request);
    return [response.status, await response.json()];
  };
  return { handler, answer, calls, errors };
}

describe('createWebhookHandler', () => {
  test('handles a new event once: 200, then a retry is a duplicate and onEvent does not run again', async () => {
    const { answer, calls } = receiver();
    assert.deepEqual(await answer(post(body())), [200, { received: true }]);
    assert.deepEqual(await answer(post(body())), [200, { received: true, duplicate: true }]);
    assert.deepEqual(calls, ['evt_1']);
  });

  test('405 for anything but POST', async () => {
    const { handler, calls } = receiver();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await handler(
        new Request('https://receiver.test/', { method, body: method === 'GET' ? undefined : body() }),
      );
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'POST');
    }
    assert.deepEqual(calls, []);
  });

  test('401 for a missing or bad signature, 400 for a body that is not an event', async () => {
    const { answer, calls } = receiver();
    assert.deepEqual(await answer(post(body(), {})), [401, { error: 'MISSING_SIGNATURE' }]);
    assert.deepEqual(await answer(post(body(), { 'smile-signature': await sign('other') })), [
      401,
      { error: 'BAD_SIGNATURE' },
    ]);
    assert.deepEqual(await answer(post('{"id": 1')), [400, { error: 'INVALID_JSON' }]);
    assert.deepEqual(await answer(post('{"id":"x"}')), [400, { error: 'INVALID_EVENT' }]);
    assert.deepEqual(calls, []);
  });

  test('a throwing onEvent gives 500 and lets go of the claim, so that the retry is handled', async () => {
    let tries = 0;
    const { answer, calls, errors } = receiver(() => {
      if (++tries === 1) throw new Error('database down');
    });
    assert.deepEqual(await answer(post(body())), [500, { error: 'HANDLER_FAILED' }]);
    assert.equal(errors[0].message, 'database down');
    assert.deepEqual(await answer(post(body())), [200, { received: true }]);
    assert.deepEqual(await answer(post(body())), [200, { received: true, duplicate: true }]);
    assert.deepEqual(calls, ['evt_1', 'evt_1']);
  });

  test('a delivery that arrives while the first is still being handled gets 409', async () => {
    let finish;
    let onEventCalled;
    const started = new Promise((resolve) => (onEventCalled = resolve));
    const { answer, calls } = receiver(() => {
      onEventCalled();
      return new Promise((resolve) => (finish = resolve));
    });
    const first = answer(post(body()));
    // Bounded: onEvent is called within a few turns, or the test fails here.
    await Promise.race([
      started,
      new Promise((_, reject) => setTimeout(() => reject(new Error('onEvent was never called')), 2000)),
    ]);
    assert.deepEqual(await answer(post(body())), [409, { error: 'IN_PROGRESS' }]);
    finish();
    assert.deepEqual(await first, [200, { received: true }]);
    assert.deepEqual(await answer(post(body())), [200, { received: true, duplicate: true }]);
    assert.deepEqual(calls, ['evt_1']);
  });

  test('an onEvent that never settles is answered 503 after handlerTimeoutMs; its claim stands until the lease', async () => {
    const store = new MemoryWebhookStore();
    const { answer, errors } = receiver(() => new Promise(() => {}), { handlerTimeoutMs: 50, store });
    assert.deepEqual(await answer(post(body())), [503, { error: 'HANDLER_TIMEOUT' }]);
    assert.match(errors[0].message, /longer than 50 ms/);
    assert.deepEqual(await store.claim('evt_1', 1000), { status: 'busy' });
  });

  test('an unreachable store gives 503, and onEvent does not run', async () => {
    const broken = {
      claim: () => Promise.reject(new Error('ECONNREFUSED')),
      complete: async () => {},
      release: async () => {},
    };
    const { answer, calls, errors } = receiver(undefined, { store: broken });
    assert.deepEqual(await answer(post(body())), [503, { error: 'STORE_UNAVAILABLE' }]);
    assert.deepEqual(calls, []);
    assert.equal(errors[0].message, 'ECONNREFUSED');
  });

  test('413 for a body over maxBodyBytes, declared or not, read no further than the bound', async () => {
    const { answer } = receiver(undefined, { maxBodyBytes: 1000 });
    assert.deepEqual(await answer(post('x'.repeat(1001), { 'smile-signature': await sign('x') })), [
      413,
      { error: 'BODY_TOO_LARGE' },
    ]);
    let pulled = 0;
    const endless = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100));
      },
    });
    const streamed = new Request('https://receiver.test/', {
      method: 'POST',
      body: endless,
      duplex: 'half',
      headers: { 'smile-signature': await sign('x') },
    });
    assert.deepEqual(await answer(streamed), [413, { error: 'BODY_TOO_LARGE' }]);
    assert.ok(pulled <= 12, `pulled ${pulled} chunks of 100 bytes`);
  });

  test('hostile input: non-UTF-8 bytes, a repeated or non-string signature header, a broken stream', async () => {
    const { handler, answer, calls } = receiver();
    const bytes = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","version":1}')]);
    assert.deepEqual(await answer(post(bytes, { 'smile-signature': await sign(bytes) })), [
      400,
      { error: 'INVALID_JSON' },
    ]);
    // Two valid signatures of the very body sent, repeated: joined, they are no signature.
    const signed = body();
    const repeated = new Headers();
    repeated.append('smile-signature', await sign(signed));
    repeated.append('smile-signature', await sign(signed));
    assert.deepEqual(await answer(post(signed, repeated)), [401, { error: 'BAD_SIGNATURE' }]);
    const broken = new ReadableStream({ start: (controller) => controller.error(new Error('connection reset')) });
    const response = await handler(
      new Request('https://receiver.test/', {
        method: 'POST',
        body: broken,
        duplex: 'half',
        headers: { 'smile-signature': await sign('x') },
      }),
    );
    assert.deepEqual([response.status, await response.json()], [400, { error: 'BODY_UNREADABLE' }]);
    assert.deepEqual(calls, []);
  });

  test('refuses to be created without a secret or an onEvent', () => {
    assert.throws(() => createWebhookHandler({ secret: '', onEvent: () => {} }), TypeError);
    assert.throws(() => createWebhookHandler({ secret }), TypeError);
    // A store of the user's own without handled() cannot keep a failed publish for its retry.
    const bus = memoryEventBus();
    const { claim, complete, release } = new MemoryWebhookStore();
    const store = { claim, complete, release };
    assert.doesNotThrow(() => createWebhookHandler({ secret, onEvent: () => {}, store }));
    assert.throws(
      () => createWebhookHandler({ secret, onEvent: () => {}, store, bus }),
      /handled\(\), which a bus needs/,
    );
  });
});

test('the age check goes by the handler’s clock, `now`, and parseWebhook takes the same rules', async () => {
  const createdAt = '2026-01-01T00:00:00.000Z';
  const raw = JSON.stringify({ id: 'evt_clock', version: 1, type: 'USER_CREATED', createdAt, data: { userId: 'u' } });
  const then = Date.parse(createdAt);
  const at = (ms) => receiver(undefined, { now: () => then + ms });
  assert.deepEqual(await at(60_000).answer(post(raw)), [200, { received: true }]);
  assert.deepEqual(await at(23.5 * 3600_000).answer(post(raw)), [400, { error: 'EVENT_TOO_OLD' }]);
  assert.deepEqual(await at(-10 * 60_000).answer(post(raw)), [400, { error: 'EVENT_IN_FUTURE' }]);
  const headers = { 'smile-signature': await sign(raw) };
  await assert.rejects(parseWebhook(raw, headers, secret), { code: 'EVENT_TOO_OLD' });
  assert.equal((await parseWebhook(raw, headers, secret, { now: () => then })).id, 'evt_clock');
  await assert.rejects(
    parseWebhook(raw, headers, secret, { now: () => then, maxClockSkewMs: 0, maxEventAgeMs: 1 }).then(() =>
      parseWebhook(raw, headers, secret, { now: () => then - 1, maxClockSkewMs: 0 }),
    ),
    { code: 'EVENT_IN_FUTURE' },
  );
});
