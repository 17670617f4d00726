// wink-widget/webhooks under Node's own runner: signatures made independently with node:crypto,
// every way a request can be wrong, the header shapes of fetch and Node, and the deduper.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest, createServer } from 'node:http';
import { describe, test } from 'node:test';
import {
  SMILE_WEBHOOK_TYPES,
  WebhookDeduplicator,
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
  createdAt: '2026-11-22T09:30:24Z',
  data: { userId: 'usr_1', accountId: 'acc_1', providerId: 'northwind', note: 'ünïcödé ✓' },
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
    for (const header of ['', '   ', undefined, null, `${signature.slice(0, -1)}g`, signature.slice(0, -2), `${signature}00`, `sha512=${signature}`, 'not a signature']) {
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
        const outgoing = httpRequest({ port: server.address().port, host: '127.0.0.1', method: 'POST', headers: { 'Smile-Signature': sign(body) } });
        outgoing.end(body);
      });
    });
    assert.deepEqual(parsed, event);
  });

  const failures = [
    ['MISSING_SIGNATURE', body, {}],
    ['MISSING_SIGNATURE', body, { 'smile-signature': '  ' }],
    ['BAD_SIGNATURE', body, { 'smile-signature': sign('something else') }],
    ['BAD_SIGNATURE', body, { 'smile-signature': 'zz' }],
    ['INVALID_JSON', '{"id": ', { 'smile-signature': sign('{"id": ') }],
    ['INVALID_EVENT', '[1,2]', { 'smile-signature': sign('[1,2]') }],
    ['INVALID_EVENT', JSON.stringify({ ...event, id: 7 }), { 'smile-signature': sign(JSON.stringify({ ...event, id: 7 })) }],
    ['INVALID_EVENT', JSON.stringify({ ...event, data: null }), { 'smile-signature': sign(JSON.stringify({ ...event, data: null })) }],
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

  test('knows the 26 documented types and the newer ones', () => {
    const documented = ['USER_CREATED', 'ACCOUNT_CREATED', 'ACCOUNT_CONNECTED', 'ACCOUNT_DISCONNECTED', 'ACCOUNT_FAILED', 'TASK_STARTED', 'TASK_FINISHED', 'ARCHIVE_STARTED', 'ARCHIVE_ANALYZED', 'ARCHIVE_REVOKED', 'ARCHIVE_FAILED', 'INVITE_INVITED', 'INVITE_LINKED', 'IDENTITY_ADDED', 'RATING_ADDED', 'TRANSACTIONS_ADDED', 'DOCUMENTS_ADDED', 'EMPLOYMENTS_ADDED', 'INCOMES_ADDED', 'EINCOMES_ADDED', 'CONTRIBUTIONS_ADDED', 'LIABILITIES_ADDED', 'INSIGHT_ADDED', 'LINK_ADDED', 'RECORD_CREATED', 'RECORD_COMPLETED'];
    assert.equal(documented.length, 26);
    for (const type of [...documented, 'ACCOUNT_SYNC_TASK_FINISHED', 'VERIFICATION_STARTED', 'VERIFICATION_COMPLETED', 'USER_SESSION_COMPLETED', 'USER_SESSION_RESET', 'EMPLOYMENTS_UPDATED']) {
      assert.ok(SMILE_WEBHOOK_TYPES.includes(type), type);
    }
    assert.equal(new Set(SMILE_WEBHOOK_TYPES).size, SMILE_WEBHOOK_TYPES.length);
  });
});

describe('WebhookDeduplicator', () => {
  test('drops a retry of the same id and accepts a new id', () => {
    const dedupe = new WebhookDeduplicator();
    assert.equal(dedupe.firstSeen('et-1'), true);
    assert.equal(dedupe.firstSeen('et-1'), false);
    assert.equal(dedupe.firstSeen('et-1'), false);
    assert.equal(dedupe.firstSeen('et-2'), true);
  });

  test('forgets an id after its TTL, and on request', () => {
    let now = 1000;
    const dedupe = new WebhookDeduplicator({ ttlMs: 60_000, now: () => now });
    dedupe.firstSeen('et-1');
    now += 59_999;
    assert.equal(dedupe.firstSeen('et-1'), false);
    now += 2;
    assert.equal(dedupe.firstSeen('et-1'), true);
    dedupe.forget('et-1');
    assert.equal(dedupe.firstSeen('et-1'), true);
  });

  test('stays within maxEntries, forgetting the oldest first', () => {
    const dedupe = new WebhookDeduplicator({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) dedupe.firstSeen(id);
    assert.equal(dedupe.size, 3);
    assert.equal(dedupe.firstSeen('a'), true);
    assert.equal(dedupe.firstSeen('d'), false);
  });
});

describe('runtime-agnostic and server-only', () => {
  test('uses Web Crypto only: no Node built-ins in the shipped module', async () => {
    for (const file of ['index', 'verify', 'parse', 'dedupe', 'types']) {
      const source = await readFile(new URL(`../../dist/webhooks/${file}.js`, import.meta.url), 'utf8');
      assert.doesNotMatch(source, /from ['"](node:|crypto|buffer)/, file);
    }
  });

  test('the browser bundle and the main entry contain no webhook code', async () => {
    const bundle = await readFile(new URL('../../dist/wink-widget.min.js', import.meta.url), 'utf8');
    for (const marker of ['Smile-Signature', 'smile-signature', 'WebhookVerificationError', 'HMAC', 'SHA-512', 'ACCOUNT_SYNC_TASK_FINISHED']) {
      assert.ok(!bundle.includes(marker), marker);
    }
    const index = await readFile(new URL('../../dist/index.js', import.meta.url), 'utf8');
    assert.doesNotMatch(index, /webhooks/);
  });
});
