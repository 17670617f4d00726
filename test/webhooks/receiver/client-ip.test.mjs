// Where the client address comes from: the socket's, unless trustProxy says which proxies to
// believe; IPv4-mapped IPv6 addresses; Smile's address; CIDR ranges, and ports in X-Forwarded-For.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SMILE_WEBHOOK_IPS, clientAddress, createWebhookHandler, normalizeIp } from '../../../dist/webhooks/index.js';

describe('where the client address comes from', () => {
  test('the socket, unless trustProxy says which proxies to believe', () => {
    assert.equal(clientAddress('10.0.0.9', '18.142.61.230', undefined), '10.0.0.9');
    assert.equal(clientAddress('10.0.0.9', '18.142.61.230', 1), '18.142.61.230');
    assert.equal(clientAddress('10.0.0.9', '6.6.6.6, 18.142.61.230', 1), '18.142.61.230');
    assert.equal(clientAddress('10.0.0.9', '6.6.6.6, 18.142.61.230, 10.0.0.8', 2), '18.142.61.230');
    assert.equal(clientAddress('10.0.0.9', '18.142.61.230', 5), '18.142.61.230');
    assert.equal(
      clientAddress('10.0.0.9', '6.6.6.6, 18.142.61.230, 10.0.0.8', ['10.0.0.9', '10.0.0.8']),
      '18.142.61.230',
    );
    assert.equal(clientAddress('10.0.0.9', '18.142.61.230', ['10.0.0.1']), '10.0.0.9');
    assert.equal(clientAddress(undefined, '18.142.61.230', 1), undefined);
  });

  test('an IPv4-mapped IPv6 address counts as its IPv4 address', () => {
    assert.equal(normalizeIp('::ffff:18.142.61.230'), '18.142.61.230');
    assert.equal(normalizeIp('::FFFF:18.142.61.230'), '18.142.61.230');
    assert.equal(normalizeIp('[2001:DB8::1]'), '2001:db8::1');
    assert.equal(clientAddress('::ffff:10.0.0.9', '::ffff:18.142.61.230', 1), '18.142.61.230');
  });

  test("Smile's address is exported", () => {
    assert.deepEqual(SMILE_WEBHOOK_IPS, ['18.142.61.230']);
  });
});

describe('CIDR ranges and forwarded ports', () => {
  test('allowedIps and trustProxy take CIDR ranges as well as addresses, matched by node:net’s BlockList', async () => {
    const { allowList } = await import('../../../dist/webhooks/receiver/client-ip.js');
    const list = allowList(['18.142.61.0/24', 'fd00::/8', '203.0.113.7', '::1']);
    for (const address of [
      '18.142.61.230',
      '18.142.61.1',
      '::ffff:18.142.61.230',
      'fd12:3456::1',
      '203.0.113.7',
      '::1',
      '[::1]',
    ]) {
      assert.equal(list.allows(address), true, address);
    }
    for (const address of ['18.142.62.1', '203.0.113.8', 'fe80::1', '10.0.0.1', 'not-an-ip', '']) {
      assert.equal(list.allows(address), false, address);
    }
    assert.equal(clientAddress('10.1.2.3', '18.142.61.230', ['10.0.0.0/8']), '18.142.61.230');
    assert.equal(clientAddress('10.1.2.3', '18.142.61.230, 10.9.9.9', ['10.0.0.0/8']), '18.142.61.230');
    assert.equal(clientAddress('192.0.2.1', '18.142.61.230', ['10.0.0.0/8']), '192.0.2.1');
  });

  test('an address with its port, in X-Forwarded-For, is read as the address', () => {
    assert.equal(clientAddress('10.0.0.9', '18.142.61.230:4711', 1), '18.142.61.230');
    assert.equal(clientAddress('10.0.0.9', '[2001:db8::1]:4711', 1), '2001:db8::1');
    assert.equal(clientAddress('10.0.0.9', '[2001:DB8::1]', 1), '2001:db8::1');
    assert.equal(normalizeIp('18.142.61.230:443'), '18.142.61.230');
  });

  test('an entry that is neither an address nor a CIDR range is a TypeError naming it', async () => {
    for (const entry of ['10.0.0.0/33', 'fd00::/129', 'not-an-ip', '1.2.3.4/8/1', '10.0.0.0/x', '', 42]) {
      assert.throws(
        () => createWebhookHandler({ secret: 'whsec_client_ip_0123456789', onEvent() {}, allowedIps: [entry] }),
        (error) =>
          error instanceof TypeError &&
          error.message.includes('allowedIps') &&
          error.message.includes(JSON.stringify(entry)),
        String(entry),
      );
      assert.throws(
        () => createWebhookHandler({ secret: 'whsec_client_ip_0123456789', onEvent() {}, trustProxy: [entry] }),
        /trustProxy/,
        String(entry),
      );
    }
  });
});
