// Where the client address comes from: the socket's, unless trustProxy says which proxies to
// believe; IPv4-mapped IPv6 addresses; Smile's address.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SMILE_WEBHOOK_IPS, clientAddress, normalizeIp } from '../../../dist/webhooks/index.js';

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
