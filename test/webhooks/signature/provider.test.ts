// Webhook signatures where there is no node:crypto, as in Deno, Bun and edge workers: Web Crypto,
// here in each browser engine, against a signature node:crypto computed.
import { expect } from '@open-wc/testing';
import { signWebhook, verifySignature } from '../../../src/webhooks/signature/verify.js';

const secret = 'whsec_vector';
const body = '{"id":"evt_vector","type":"USER_CREATED"}';
// createHmac('sha512', secret).update(body).digest('hex'), in Node.
const NODE_SIGNATURE =
  '1103c45b93376f26365b596abb1b8f72c198a626f5e6af8fe72e9f63155bb8973a6c098549a34934c9547d3b46ae28feefd4f3ab25ac1e5e14681d406a49bcd0';

describe('webhook signatures with Web Crypto', () => {
  it('there is no node:crypto to take the other path', () => {
    expect((globalThis as { process?: unknown }).process).to.equal(undefined);
  });

  it('signs as node:crypto does, and verifies that signature, and no other', async () => {
    expect(await signWebhook(body, secret)).to.equal(NODE_SIGNATURE);
    expect(await verifySignature(body, NODE_SIGNATURE, secret)).to.equal(true);
    expect(await verifySignature(body, NODE_SIGNATURE.toUpperCase(), secret)).to.equal(true);
    expect(await verifySignature(`${body} `, NODE_SIGNATURE, secret)).to.equal(false);
    expect(await verifySignature(body, NODE_SIGNATURE, 'whsec_other')).to.equal(false);
    expect(await verifySignature(body, NODE_SIGNATURE, ['whsec_other', secret])).to.equal(true);
    expect(await verifySignature(body, NODE_SIGNATURE.slice(2), secret)).to.equal(false);
  });
});
