// verifySignature and signWebhook: Smile-Signature, the hex HMAC-SHA512 of the raw body, checked
// against signatures made independently with node:crypto, and every way a header can be wrong.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { verifySignature } from '../../../dist/webhooks/index.js';

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
