// wink-widget/webhooks under Node's own runner: signatures made independently with node:crypto,
// every way a request can be wrong, the header shapes of fetch and Node, and the deduper.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { request as httpRequest, createServer } from 'node:http';
import { describe, test } from 'node:test';
import {
  MemoryWebhookStore,
  WebhookVerificationError,
  isKnownWebhookType,
  parseWebhook,
  verifySignature,
} from '../../dist/webhooks/index.js';

const secret = 'whsec_test_4b1d';
const sign = (body, key = secret) => createHmac('sha512', key).update(body).digest('hex');
const event = {
  id: 'et-123abc456def789abc123def456abc78',
  version: 1,
  type: 'ACCOUNT_CONNECTED',
  createdAt: new Date().toISOString(),
  data: { userId: 'usr_1', accountId: 'acc_1', loginName: 'ünïcödé ✓', providers: ['northwind'] },
};
// Serialised the way a server might send it: spaced, so that re-serialising changes the bytes.
const body = JSON.stringify(event, null, 2);

describe('verifySignature', () => {
  test('accepts a signature computed independently with node:crypto createHmac("sha512")', async () => {
    assert.equal(await verifySignature(body, sign(body), secret), true);
    assert.equal(await verifySignature(Buffer.from(body), sign(body), secret), true);
    assert.equal(await verifySignature(new TextEncoder().encode(body).buffer, sign(body), secret), true);
    assert.equal(await verifySignature(body, sign(body), new TextEncoder().encode(secret)), true);
  });

  test('tolerates upper case and surrounding whitespace in the header', async () => {
    assert.equal(await verifySignature(body, `  ${sign(body).toUpperCase()}\n`, secret), true);
  });

  test('rejects a body with one byte changed', async () => {
    const bytes = Buffer.from(body);
    bytes[bytes.length >> 1] ^= 1;
    assert.equal(await verifySignature(bytes, sign(body), secret), false);
  });

  test('rejects a signature with one character changed', async () => {
    const signature = sign(body);
    const changed = signature.slice(0, 40) + (signature[40] === 'a' ? 'b' : 'a') + signature.slice(41);
    assert.equal(await verifySignature(body, changed, secret), false);
  });

  test('rejects re-serialised JSON, the documented pitfall: sign the raw bytes, not a parsed object', async () => {
    const reserialised = JSON.stringify(JSON.parse(body));
    assert.notEqual(reserialised, body);
    assert.equal(await verifySignature(reserialised, sign(body), secret), false);
  });

  test('rejects the wrong secret', async () => {
    assert.equal(await verifySignature(body, sign(body, 'another-secret'), secret), false);
  });

  test('rejects empty, missing, non-hex and wrong-length headers', async () => {
    const signature = sign(body);
    for (const header of [
      '',
      '   ',
      undefined,
      null,
      `${signature.slice(0, -1)}g`,
      signature.slice(0, -2),
      `${signature}00`,
      `sha512=${signature}`,
      'not a signature',
    ]) {
      assert.equal(await verifySignature(body, header, secret), false, JSON.stringify(header));
    }
  });

  test('verifies a 1 MB body', async () => {
    const large = JSON.stringify({ ...event, data: { ...event.data, blob: 'x'.repeat(1024 * 1024) } });
    assert.ok(large.length > 1024 * 1024);
    assert.equal(await verifySignature(large, sign(large), secret), true);
    assert.equal(await verifySignature(`${large} `, sign(large), secret), false);
  });
});

describe('parseWebhook', () => {
  test('returns the typed event from a Headers object, a plain record in any case, and Node headers', async () => {
    assert.deepEqual(await parseWebhook(body, new Headers({ 'Smile-Signature': sign(body) }), secret), event);
    assert.deepEqual(await parseWebhook(body, { 'SMILE-SIGNATURE': sign(body) }, secret), event);
    assert.deepEqual(await parseWebhook(body, { 'smile-signature': [sign(body)] }, secret), event);

    // A real Node request, so its headers are the IncomingHttpHeaders Node makes.
    const parsed = await new Promise((resolve, reject) => {
      const server = createServer(async (request, response) => {
        const chunks = [];
        for await (const chunk of request) chunks.push(chunk);
        try {
          resolve(await parseWebhook(Buffer.concat(chunks), request.headers, secret));
        } catch (error) {
          reject(error);
        }
        response.end();
        server.close();
      }).listen(0, '127.0.0.1', () => {
        const outgoing = httpRequest({
          port: server.address().port,
          host: '127.0.0.1',
          method: 'POST',
          headers: { 'Smile-Signature': sign(body) },
        });
        outgoing.end(body);
      });
    });
    assert.deepEqual(parsed, event);
  });

  const failures = [
    ['MISSING_SIGNATURE', body, {}],
    ['MISSING_SIGNATURE', body, { 'smile-signature': '  ' }],
    // Not a string: no value, never an exception.
    ['MISSING_SIGNATURE', body, { 'smile-signature': 12345 }],
    ['MISSING_SIGNATURE', body, { 'smile-signature': [null, { toString: () => 'x' }] }],
    ['MISSING_SIGNATURE', body, { get: () => 42 }],
    // Repeated: joined, as fetch joins it, so two copies never pass as one.
    ['BAD_SIGNATURE', body, { 'smile-signature': [sign(body), sign(body)] }],
    ['BAD_SIGNATURE', body, { 'smile-signature': sign('something else') }],
    ['BAD_SIGNATURE', body, { 'smile-signature': 'zz' }],
    ['INVALID_JSON', '{"id": ', { 'smile-signature': sign('{"id": ') }],
    ['INVALID_EVENT', '[1,2]', { 'smile-signature': sign('[1,2]') }],
    [
      'INVALID_EVENT',
      JSON.stringify({ ...event, id: 7 }),
      { 'smile-signature': sign(JSON.stringify({ ...event, id: 7 })) },
    ],
    [
      'INVALID_EVENT',
      JSON.stringify({ ...event, data: null }),
      { 'smile-signature': sign(JSON.stringify({ ...event, data: null })) },
    ],
  ];
  for (const [code, raw, headers] of failures) {
    test(`throws ${code} for ${raw.slice(0, 24)}… with ${JSON.stringify(headers).slice(0, 40)}`, async () => {
      await assert.rejects(parseWebhook(raw, headers, secret), (error) => {
        assert.ok(error instanceof WebhookVerificationError);
        assert.equal(error.code, code);
        assert.ok(error.message);
        return true;
      });
    });
  }

  test('parses a type it does not know as a generic event', async () => {
    const future = JSON.stringify({ ...event, type: 'SOMETHING_NEW_ADDED', data: { anything: true } });
    const parsed = await parseWebhook(future, { 'smile-signature': sign(future) }, secret);
    assert.equal(parsed.type, 'SOMETHING_NEW_ADDED');
    assert.equal(isKnownWebhookType(parsed.type), false);
  });
});

describe('MemoryWebhookStore', () => {
  test('claims an id once; busy while claimed; done once completed', async () => {
    const store = new MemoryWebhookStore();
    const claim = await store.claim('et-1', 1000);
    assert.equal(claim.status, 'claimed');
    assert.deepEqual(await store.claim('et-1', 1000), { status: 'busy' });
    await store.complete('et-1', claim.token, 60_000);
    assert.deepEqual(await store.claim('et-1', 1000), { status: 'done' });
    assert.equal((await store.claim('et-2', 1000)).status, 'claimed');
  });

  test('a claim expires after its lease, a done id after its TTL; only the holder releases', async () => {
    let now = 1000;
    const store = new MemoryWebhookStore({ now: () => now });
    const first = await store.claim('et-1', 500);
    await store.release('et-1', 'not-the-holder');
    assert.deepEqual(await store.claim('et-1', 500), { status: 'busy' });
    now += 500;
    const second = await store.claim('et-1', 500);
    assert.equal(second.status, 'claimed');
    await store.release('et-1', first.token);
    assert.deepEqual(
      await store.claim('et-1', 500),
      { status: 'busy' },
      "the expired holder cannot release the new holder's claim",
    );
    await store.complete('et-1', second.token, 60_000);
    now += 59_999;
    assert.deepEqual(await store.claim('et-1', 500), { status: 'done' });
    now += 1;
    assert.equal((await store.claim('et-1', 500)).status, 'claimed');
  });

  test('stays within maxEntries, dropping the oldest first', async () => {
    const store = new MemoryWebhookStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await store.complete(id, 'token', 60_000);
    assert.equal(store.size, 3);
    assert.equal((await store.claim('a', 500)).status, 'claimed');
    assert.deepEqual(await store.claim('d', 500), { status: 'done' });
  });
});

describe('runtime-agnostic and server-only', () => {
  test('imports no Node built-in in any shipped module: node:crypto is found at run time, where there is one', async () => {
    const files = (await readdir(new URL('../../dist/', import.meta.url), { recursive: true })).filter((file) =>
      /^(webhooks|webhook-types)\/.*\.js$|^page-events\.js$/.test(file),
    );
    assert.ok(files.length > 20, files.join(', '));
    for (const file of files) {
      const source = await readFile(new URL(`../../dist/${file}`, import.meta.url), 'utf8');
      assert.doesNotMatch(source, /from ['"](node:|crypto|buffer)/, file);
    }
  });

  test('the browser bundle and the main entry contain no webhook code', async () => {
    const bundle = await readFile(new URL('../../dist/wink-widget.min.js', import.meta.url), 'utf8');
    for (const marker of [
      'Smile-Signature',
      'smile-signature',
      'WebhookVerificationError',
      'HMAC',
      'SHA-512',
      'ACCOUNT_SYNC_TASK_FINISHED',
    ]) {
      assert.ok(!bundle.includes(marker), marker);
    }
    const index = await readFile(new URL('../../dist/index.js', import.meta.url), 'utf8');
    assert.doesNotMatch(index, /webhooks/);
  });
});

describe('the bounds on store steps', () => {
  test('one timer for all: a step that settles in time passes through, one that never settles fails at its deadline', async () => {
    const { Deadlines } = await import('../../dist/webhooks/deadlines.js');
    const deadlines = new Deadlines(100);
    const started = Date.now();
    const fast = deadlines.bound(Promise.resolve('fast'), () => 'fast was late');
    const failing = deadlines.bound(Promise.reject(new Error('refused')), () => 'failing was late');
    const hung = deadlines.bound(new Promise(() => {}), () => 'hung was late');
    assert.equal(await fast, 'fast');
    await assert.rejects(failing, /refused/);
    await assert.rejects(hung, /hung was late/);
    const waited = Date.now() - started;
    assert.ok(waited >= 95 && waited < 1000, `the hung step failed after ${waited} ms`);
    // Later steps get their own deadline, after the first sweep.
    const later = deadlines.bound(new Promise(() => {}), () => 'later was late');
    await assert.rejects(later, /later was late/);
    // No bound: the step itself, with no timer that would overflow and fire at once.
    const step = new Promise((resolve) => setTimeout(resolve, 50, 'unbounded'));
    const unbounded = new Deadlines(Infinity).bound(step, () => 'never late');
    assert.equal(unbounded, step);
    assert.equal(await unbounded, 'unbounded');
  });
});
