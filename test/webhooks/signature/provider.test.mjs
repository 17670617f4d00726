// The two HMAC providers behind every signature check, in Node: node:crypto (synchronous, Node's
// default) and Web Crypto (asynchronous, what Deno, Bun and workers use), each against signatures
// made independently with createHmac; and the sync API, which only node:crypto can answer.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { defaultProvider, nodeCryptoProvider, webCryptoProvider } from '../../../dist/webhooks/signature/provider.js';
import {
  parseWebhook,
  parseWebhookSync,
  signWebhook,
  verifySignature,
  verifySignatureSync,
} from '../../../dist/webhooks/index.js';

const secret = 'whsec_provider_0123456789';
const raw = JSON.stringify({
  id: 'evt_provider',
  version: 1,
  type: 'USER_CREATED',
  createdAt: new Date().toISOString(),
  data: { userId: 'usr_1' },
});
const expected = createHmac('sha512', secret).update(raw).digest('hex');
const bytes = (text) => new TextEncoder().encode(text);
const hex = (array) => Buffer.from(array).toString('hex');
const providers = [
  ['node:crypto', nodeCryptoProvider(await import('node:crypto'))],
  ['web-crypto', webCryptoProvider()],
];

test('Node takes node:crypto by default', () => {
  assert.equal(defaultProvider.name, 'node:crypto');
  assert.equal(typeof defaultProvider.verifySync, 'function');
});

test('each provider signs as createHmac does, and verifies that signature and no other', async () => {
  for (const [name, provider] of providers) {
    assert.equal(provider.name, name);
    const signature = await provider.sign(bytes(raw), bytes(secret));
    assert.equal(hex(signature), expected, name);
    assert.equal(await provider.verify(bytes(raw), signature, [bytes(secret)]), true, name);
    assert.equal(await provider.verify(bytes(`${raw} `), signature, [bytes(secret)]), false, name);
    assert.equal(await provider.verify(bytes(raw), signature, [bytes('whsec_other'), bytes(secret)]), true, name);
    assert.equal(await provider.verify(bytes(raw), signature, [bytes('whsec_other')]), false, name);
    // Equal bytes in a new array are the same key.
    assert.equal(await provider.verify(bytes(raw), signature, [new Uint8Array(bytes(secret))]), true, name);
  }
});

test('the public API takes either provider; Web Crypto has no synchronous check', async () => {
  const web = webCryptoProvider();
  assert.equal(await signWebhook(raw, secret, web), expected);
  assert.equal(await verifySignature(raw, expected, secret, web), true);
  assert.equal(await verifySignature(raw, expected.toUpperCase(), secret, web), true);
  assert.equal(await verifySignature(raw, expected.slice(2), secret, web), false);
  assert.deepEqual(
    await parseWebhook(raw, { 'smile-signature': expected }, secret, { provider: web }),
    JSON.parse(raw),
  );
  assert.throws(() => verifySignatureSync(raw, expected, secret, web), /no synchronous HMAC: use verifySignature/);
  assert.throws(
    () => parseWebhookSync(raw, { 'smile-signature': expected }, secret, { provider: web }),
    /use parseWebhook/,
  );
});

test('the synchronous API answers at once, as the async one does', async () => {
  assert.equal(verifySignatureSync(raw, expected, secret), true);
  assert.equal(verifySignatureSync(raw, expected, [Buffer.from('whsec_old'), secret]), true);
  assert.equal(verifySignatureSync(`${raw} `, expected, secret), false);
  assert.equal(verifySignatureSync(raw, 'zz', secret), false);
  assert.deepEqual(parseWebhookSync(raw, { 'smile-signature': expected }, secret), JSON.parse(raw));
  assert.throws(() => parseWebhookSync(raw, {}, secret), { code: 'MISSING_SIGNATURE' });
  const flipped = `${expected[0] === 'a' ? 'b' : 'a'}${expected.slice(1)}`;
  assert.throws(() => parseWebhookSync(raw, { 'smile-signature': flipped }, secret), { code: 'BAD_SIGNATURE' });
});
