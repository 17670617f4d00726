// The receiver's guards: Smile's IP allowlist behind node:http, secret rotation, replay
// protection, and signWebhook, Stripe's test-header helper's counterpart.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import {
  SMILE_WEBHOOK_IPS,
  createWebhookHandler,
  signWebhook,
  toNodeHandler,
  verifySignature,
} from '../../../dist/webhooks/index.js';

const secret = 'whsec_guards_1';
const HOUR = 60 * 60 * 1000;
const body = (id = 'evt_guard', createdAt = new Date().toISOString()) =>
  JSON.stringify({ id, version: 1, type: 'USER_CREATED', createdAt, data: { userId: 'usr_1' } });
const post = async (raw, key = secret, headers = {}) =>
  new Request('https://receiver.test/webhooks/smile', {
    method: 'POST',
    headers: { 'smile-signature': await signWebhook(raw, key), ...headers },
    body: raw,
  });

function receiver(options = {}) {
  const calls = [];
  const errors = [];
  const handler = createWebhookHandler({
    secret,
    onEvent: (event) => void calls.push(event.id),
    onError: (error) => errors.push(error),
    ...options,
  });
  const answer = async (request) => {
    const response = await handler(request);
    return [response.status, await response.json()];
  };
  return { handler, answer, calls, errors };
}

describe('signWebhook', () => {
  test('is the lowercase hex HMAC-SHA512 of the raw body, as node:crypto computes it, and verifies', async () => {
    const raw = body();
    const signature = await signWebhook(raw, secret);
    assert.equal(signature, createHmac('sha512', secret).update(raw).digest('hex'));
    assert.equal(await verifySignature(raw, signature, secret), true);
    assert.equal(await verifySignature(`${raw} `, signature, secret), false);
    assert.equal(await signWebhook(new TextEncoder().encode(raw), secret), signature);
  });
});

describe('secret rotation', () => {
  test('a body signed with either secret passes, and its duplicate signed with the other is a duplicate', async () => {
    const { answer, calls } = receiver({ secret: ['whsec_old', 'whsec_new'] });
    const raw = body('evt_rotated');
    assert.deepEqual(await answer(await post(raw, 'whsec_old')), [200, { received: true }]);
    assert.deepEqual(await answer(await post(raw, 'whsec_new')), [200, { received: true, duplicate: true }]);
    const other = body('evt_new_only');
    assert.deepEqual(await answer(await post(other, 'whsec_new')), [200, { received: true }]);
    assert.deepEqual(await answer(await post(body('evt_neither'), 'whsec_stranger')), [
      401,
      { error: 'BAD_SIGNATURE' },
    ]);
    assert.deepEqual(calls, ['evt_rotated', 'evt_new_only']);
  });

  test('an empty list, or one with an empty secret, is refused when the receiver is made', () => {
    for (const bad of [[], [''], ['whsec_ok', '']]) {
      assert.throws(() => createWebhookHandler({ secret: bad, onEvent() {} }), TypeError);
    }
  });
});

describe('replay protection', () => {
  test('refuses an event older than the dedupe window less its margin, and one from the future', async () => {
    const { answer, calls } = receiver();
    const ago = (ms) => new Date(Date.now() - ms).toISOString();
    assert.deepEqual(await answer(await post(body('evt_old', ago(23.5 * HOUR)))), [400, { error: 'EVENT_TOO_OLD' }]);
    assert.deepEqual(await answer(await post(body('evt_ahead', ago(-10 * 60 * 1000)))), [
      400,
      { error: 'EVENT_IN_FUTURE' },
    ]);
    assert.deepEqual(await answer(await post(body('evt_recent', ago(22 * HOUR)))), [200, { received: true }]);
    assert.deepEqual(await answer(await post(body('evt_skewed', ago(-60 * 1000)))), [200, { received: true }]);
    assert.deepEqual(await answer(await post(body('evt_garbled', 'not a time'))), [400, { error: 'INVALID_EVENT' }]);
    assert.deepEqual(calls, ['evt_recent', 'evt_skewed']);
  });

  test('is configurable, and refuses a window that would outlast the dedupe window', async () => {
    const { answer } = receiver({ maxEventAgeMs: 60 * 1000, maxClockSkewMs: Infinity });
    const ago = (ms) => new Date(Date.now() - ms).toISOString();
    assert.deepEqual(await answer(await post(body('evt_2min', ago(2 * 60 * 1000)))), [400, { error: 'EVENT_TOO_OLD' }]);
    assert.deepEqual(await answer(await post(body('evt_far_ahead', ago(-48 * HOUR)))), [200, { received: true }]);
    assert.throws(() => createWebhookHandler({ secret, onEvent() {}, maxEventAgeMs: 25 * HOUR }), /doneTtlMs/);
  });
});

describe('the IP allowlist behind node:http', () => {
  /** A Node server of a receiver with these options; `use(port, calls)` runs against it. */
  async function withServer(options, use) {
    const { handler, calls, errors } = receiver(options);
    const server = createServer(toNodeHandler(handler));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await use(server.address().port, calls, errors);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  /**
   * Sends the headers at once and the body only after the answer has come, if it comes first:
   * resolves with the status and whether the body had been sent by then.
   */
  const deliver = (port, raw, headers = {}) =>
    new Promise((resolve, reject) => {
      let bodySent = false;
      const timer = setTimeout(() => {
        bodySent = true;
        outgoing.end(raw);
      }, 300);
      const outgoing = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/webhooks/smile',
          headers: { 'content-length': Buffer.byteLength(raw), 'smile-signature': headers.signature, ...headers.extra },
        },
        (response) => {
          const sentBeforeAnswer = bodySent;
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve({ status: response.statusCode, answer: JSON.parse(text), sentBeforeAnswer });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.flushHeaders();
    });

  test('a refused address gets 403 IP_NOT_ALLOWED before its body is read', async () => {
    await withServer({ allowedIps: SMILE_WEBHOOK_IPS }, async (port, calls) => {
      const raw = body('evt_stranger');
      const result = await deliver(port, raw, { signature: await signWebhook(raw, secret) });
      assert.deepEqual(result, { status: 403, answer: { error: 'IP_NOT_ALLOWED' }, sentBeforeAnswer: false });
      assert.deepEqual(calls, []);
    });
  });

  test('a spoofed X-Forwarded-For is not believed without trustProxy', async () => {
    await withServer({ allowedIps: SMILE_WEBHOOK_IPS }, async (port, calls) => {
      const raw = body('evt_spoofed');
      const result = await deliver(port, raw, {
        signature: await signWebhook(raw, secret),
        extra: { 'x-forwarded-for': '18.142.61.230' },
      });
      assert.equal(result.status, 403);
      assert.deepEqual(calls, []);
    });
  });

  for (const trustProxy of [1, ['127.0.0.1']]) {
    test(`Smile's address through a trusted hop (trustProxy ${JSON.stringify(trustProxy)}) is allowed`, async () => {
      await withServer({ allowedIps: SMILE_WEBHOOK_IPS, trustProxy }, async (port, calls) => {
        const raw = body(`evt_proxied_${calls.length}`);
        const result = await deliver(port, raw, {
          signature: await signWebhook(raw, secret),
          extra: { 'x-forwarded-for': '18.142.61.230' },
        });
        assert.deepEqual([result.status, result.answer], [200, { received: true }]);
        assert.equal(calls.length, 1);
      });
    });
  }

  test('the socket address is allowed when listed', async () => {
    await withServer({ allowedIps: ['127.0.0.1'] }, async (port, calls) => {
      const raw = body('evt_local');
      const result = await deliver(port, raw, { signature: await signWebhook(raw, secret) });
      assert.equal(result.status, 200);
      assert.deepEqual(calls, ['evt_local']);
    });
  });

  test('a fetch-style runtime says the address with clientIp; without one, the allowlist refuses', async () => {
    const known = receiver({ allowedIps: SMILE_WEBHOOK_IPS, clientIp: () => '::ffff:18.142.61.230' });
    assert.deepEqual(await known.answer(await post(body('evt_deno'))), [200, { received: true }]);
    const unknown = receiver({ allowedIps: SMILE_WEBHOOK_IPS });
    assert.deepEqual(await unknown.answer(await post(body('evt_nowhere'))), [403, { error: 'IP_NOT_ALLOWED' }]);
    assert.match(String(unknown.errors[0]), /clientIp/);
  });
});
