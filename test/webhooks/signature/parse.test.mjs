// parseWebhook: verify, then read the event, from the header shapes of fetch and Node; each
// refusal by its code.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request as httpRequest, createServer } from 'node:http';
import { describe, test } from 'node:test';
import { WebhookVerificationError, isKnownWebhookType, parseWebhook } from '../../../dist/webhooks/index.js';

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
