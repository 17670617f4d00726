// The receiver's guards: Smile's IP allowlist behind node:http, secret rotation, replay
// protection, signWebhook (Stripe's test-header helper's counterpart), secrets that would let
// anyone sign, bodies refused before or while they are read, and a store that forgets early.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import { connect } from 'node:net';
import {
  SMILE_WEBHOOK_IPS,
  WeakSecretWarning,
  createWebhookHandler,
  parseWebhook,
  parseWebhookSync,
  signWebhook,
  toNodeHandler,
  verifySignature,
  verifySignatureSync,
} from '../../../dist/webhooks/index.js';

const secret = 'whsec_guards_0123456789';
const HOUR = 60 * 60 * 1000;
const body = (id = 'evt_guard', createdAt = new Date().toISOString()) =>
  JSON.stringify({ id, version: 1, type: 'USER_CREATED', createdAt, data: { userId: 'usr_1' } });
const post = async (raw, key = secret, headers = {}) =>
  new Request('https://receiver.test/webhooks/smile', {
    method: 'POST',
    headers: { 'smile-signature': await signWebhook(raw, key), ...headers },
    body: raw,
  });

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
        headers: {
          'content-length': Buffer.byteLength(raw),
          ...(headers.signature === undefined ? {} : { 'smile-signature': headers.signature }),
          ...headers.extra,
        },
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
  test('refuses an event older than an hour by default, and one from the future', async () => {
    const { answer, calls } = receiver();
    const ago = (ms) => new Date(Date.now() - ms).toISOString();
    assert.deepEqual(await answer(await post(body('evt_old', ago(61 * 60 * 1000)))), [400, { error: 'EVENT_TOO_OLD' }]);
    assert.deepEqual(await answer(await post(body('evt_day_old', ago(22 * HOUR)))), [400, { error: 'EVENT_TOO_OLD' }]);
    assert.deepEqual(await answer(await post(body('evt_ahead', ago(-10 * 60 * 1000)))), [
      400,
      { error: 'EVENT_IN_FUTURE' },
    ]);
    assert.deepEqual(await answer(await post(body('evt_recent', ago(50 * 60 * 1000)))), [200, { received: true }]);
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

describe('secrets', () => {
  const empties = () => [
    '',
    Buffer.alloc(0),
    new Uint8Array(0),
    new ArrayBuffer(0),
    new DataView(new ArrayBuffer(0)),
    // What a missing or non-hex environment variable decodes to.
    Buffer.from(process.env.WINK_NO_SUCH_VARIABLE ?? '', 'hex'),
    Buffer.from('not hex', 'hex'),
  ];

  test('a secret of zero bytes is a TypeError everywhere, alone or in a rotation list', async () => {
    const raw = body('evt_empty');
    const signature = await signWebhook(raw, secret);
    for (const empty of empties()) {
      for (const given of [empty, [secret, empty], [empty, secret]]) {
        const what = `${Object.prototype.toString.call(empty)} ${Array.isArray(given) ? 'in a list' : 'alone'}`;
        assert.throws(() => createWebhookHandler({ secret: given, onEvent() {} }), TypeError, what);
        assert.throws(() => parseWebhook(raw, { 'smile-signature': signature }, given), TypeError, what);
        assert.throws(() => parseWebhookSync(raw, { 'smile-signature': signature }, given), TypeError, what);
        assert.throws(() => verifySignature(raw, signature, given), TypeError, what);
        assert.throws(() => verifySignatureSync(raw, signature, given), TypeError, what);
      }
      assert.throws(() => signWebhook(raw, empty), TypeError);
    }
  });

  test('a secret under 16 bytes is told to onError, as a WeakSecretWarning; 16 and more is not', () => {
    const told = [];
    createWebhookHandler({
      secret: ['whsec_short', 'x'.repeat(16)],
      onEvent() {},
      onError: (error) => told.push(error),
    });
    assert.equal(told.length, 1);
    assert.ok(told[0] instanceof WeakSecretWarning);
    assert.equal(told[0].code, 'WEAK_SECRET');
    assert.match(told[0].message, /11 bytes is shorter than 16/);
    assert.ok(!told[0].message.includes('whsec_short'), 'the secret itself is never in the message');
    told.length = 0;
    createWebhookHandler({ secret: Buffer.alloc(16, 1), onEvent() {}, onError: (error) => told.push(error) });
    assert.deepEqual(told, []);
  });
});

describe('bodies, before and while they are read (behind node:http)', () => {
  /** A Node server of a receiver with these options; `use(port, calls, errors)` runs against it. */
  async function withReceiver(options, use) {
    const { handler, calls, errors } = receiver(options);
    const server = createServer(toNodeHandler(handler));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await use(server.address().port, calls, errors, server);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  /**
   * Resolves once the server's requests have read `bytes` of body in all; bounded. Listening on
   * each request after the receiver has (its handler runs first), so the receiver has taken the
   * bytes by then.
   */
  const bodiesRead = (server, bytes, timeout = 5000) =>
    new Promise((resolve, reject) => {
      let read = 0;
      const timer = setTimeout(() => reject(new Error(`the server read ${read} of ${bytes} bytes of body`)), timeout);
      server.on('request', (request) =>
        request.on('data', (chunk) => {
          read += chunk.length;
          if (read < bytes) return;
          clearTimeout(timer);
          resolve();
        }),
      );
    });

  /**
   * Sends the request's head and then as much of its body as `sent` says, as raw bytes; resolves
   * with the answer's status line, its headers and whether the server closed the connection,
   * once it has closed or `wait` ms have passed.
   */
  const rawRequest = (port, { headers, sent = '', wait = 5000 }) =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      let closed = false;
      const timer = setTimeout(() => (socket.destroy(), finish()), wait);
      const finish = () => {
        clearTimeout(timer);
        const [head = ''] = text.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), head: head.toLowerCase(), text, closed });
      };
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => (closed = true));
      socket.on('close', finish);
      socket.on('error', (error) => (error.code === 'ECONNRESET' ? ((closed = true), finish()) : reject(error)));
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      socket.write(`POST /webhooks/smile HTTP/1.1\r\nhost: 127.0.0.1\r\n${lines.join('\r\n')}\r\n\r\n${sent}`);
    });

  test('no Smile-Signature, or one that is not 128 hex digits, is 401 before a byte of the body is read', async () => {
    await withReceiver({}, async (port, calls) => {
      const raw = body('evt_unsigned');
      for (const [headers, code] of [
        [{}, 'MISSING_SIGNATURE'],
        [{ 'smile-signature': 'zz' }, 'BAD_SIGNATURE'],
        [{ 'smile-signature': 'g'.repeat(128) }, 'BAD_SIGNATURE'],
        [{ 'smile-signature': 'a'.repeat(127) }, 'BAD_SIGNATURE'],
      ]) {
        const result = await deliver(port, raw, { signature: headers['smile-signature'] });
        assert.deepEqual([result.status, result.answer, result.sentBeforeAnswer], [401, { error: code }, false]);
      }
      assert.deepEqual(calls, []);
    });
  });

  test('a body that has not all arrived within bodyTimeoutMs is 408, and its connection closed', async () => {
    await withReceiver({ bodyTimeoutMs: 200 }, async (port, calls) => {
      const raw = body('evt_slow');
      const started = Date.now();
      const answer = await rawRequest(port, {
        headers: { 'content-length': raw.length, 'smile-signature': await signWebhook(raw, secret) },
        sent: raw.slice(0, 20),
      });
      assert.equal(answer.status, 408);
      assert.match(answer.text, /\{"error":"BODY_TIMEOUT"\}/);
      assert.match(answer.head, /\r\nconnection: close/);
      assert.equal(answer.closed, true, 'the server closed the connection');
      assert.ok(Date.now() - started < 3000, `answered after ${Date.now() - started} ms`);
      assert.deepEqual(calls, []);
    });
  });

  test('the bytes of all bodies held at once are bounded: past maxBytesInFlight is 503 SERVER_BUSY, not buffered', async () => {
    await withReceiver(
      { maxBodyBytes: 10_000, maxBytesInFlight: 10_000, bodyTimeoutMs: 1500 },
      async (port, calls, _, server) => {
        const signature = 'ab'.repeat(64);
        const received = bodiesRead(server, 2 * 4000);
        // Two stalled senders hold 8,000 bytes of their 4,500-byte bodies' 9,000.
        const stalled = [0, 1].map(() =>
          rawRequest(port, {
            headers: { 'content-length': 4500, 'smile-signature': signature },
            sent: 'x'.repeat(4000),
          }),
        );
        await received;
        // Declared, it does not fit: refused before reading. Chunked, it is refused when it would not.
        const declared = await rawRequest(port, {
          headers: { 'content-length': 4000, 'smile-signature': signature },
          sent: 'x'.repeat(4000),
        });
        assert.equal(declared.status, 503);
        assert.match(declared.text, /\{"error":"SERVER_BUSY"\}/);
        assert.match(declared.head, /\r\nretry-after: 1/);
        const chunk = 'x'.repeat(3000);
        const chunked = await rawRequest(port, {
          headers: { 'transfer-encoding': 'chunked', 'smile-signature': signature },
          sent: `${chunk.length.toString(16)}\r\n${chunk}\r\n`,
        });
        assert.equal(chunked.status, 503);
        // The stalled ones time out and give their bytes back: a new delivery is received.
        for (const answer of await Promise.all(stalled)) assert.equal(answer.status, 408);
        const raw = body('evt_after');
        const after = await deliver(port, raw, { signature: await signWebhook(raw, secret) });
        assert.deepEqual([after.status, after.answer], [200, { received: true }]);
        assert.deepEqual(calls, ['evt_after']);
      },
    );
  });

  test('a fetch-style body that never ends is 408 after bodyTimeoutMs', async () => {
    const { handler } = receiver({ bodyTimeoutMs: 100 });
    const never = new ReadableStream({ start: (controller) => controller.enqueue(new Uint8Array(10)) });
    const response = await handler(
      new Request('https://receiver.test/', {
        method: 'POST',
        body: never,
        duplex: 'half',
        headers: { 'smile-signature': 'ab'.repeat(64) },
      }),
    );
    assert.deepEqual([response.status, await response.json()], [408, { error: 'BODY_TIMEOUT' }]);
    assert.equal(response.headers.get('connection'), 'close');
  });
});

describe('what the default store remembers', () => {
  test('onError is told when the memory store forgets a handled id before its TTL', async () => {
    const { handler, errors } = receiver();
    const events = Array.from({ length: 10_001 }, (_, index) => body(`evt_many_${index}`));
    for (const raw of events.slice(0, 10_000)) await handler(await post(raw));
    assert.deepEqual(errors, []);
    await handler(await post(events[10_000]));
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /forgot the handled id evt_many_0 \d+ s early/);
    assert.match(errors[0].message, /redisWebhookStore/);
  });
});
