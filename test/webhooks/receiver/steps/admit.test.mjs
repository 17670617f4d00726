// The admit step, without HTTP: the method, Smile's IP allowlist and a declared length over the
// bound are refused before the body is read, and the body is let go unread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit } from '../../../../dist/webhooks/receiver/steps/admit.js';
import { delivery, settingsOf } from './support.mjs';

test('a POST within the bounds goes on, its body untouched', () => {
  const request = delivery({ headers: { 'content-length': '10' } });
  assert.equal(admit(request, settingsOf()), undefined);
  assert.deepEqual([request.dropped, request.read], [false, 0]);
});

test('anything but POST is 405 with Allow, and its body is dropped', () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'post']) {
    const request = delivery({ method });
    const answer = admit(request, settingsOf());
    assert.deepEqual(
      [answer.status, answer.body, answer.headers],
      [405, { error: 'METHOD_NOT_ALLOWED' }, { allow: 'POST' }],
    );
    assert.equal(request.dropped, true);
  }
});

test('a declared length over maxBodyBytes is 413 before reading', () => {
  const request = delivery({ headers: { 'content-length': '1001' } });
  assert.deepEqual(admit(request, settingsOf({ maxBodyBytes: 1000 })).body, { error: 'BODY_TOO_LARGE' });
  assert.equal(request.dropped, true);
  assert.equal(
    admit(delivery({ headers: { 'content-length': '1000' } }), settingsOf({ maxBodyBytes: 1000 })),
    undefined,
  );
});

test('the allowlist: the socket, a trusted proxy, clientIp; unknown is refused and told', () => {
  const errors = [];
  const allowed = settingsOf({ allowedIps: ['18.142.61.230'], onError: (error) => errors.push(error.message) });
  assert.equal(admit(delivery({ socketAddress: '::ffff:18.142.61.230' }), allowed), undefined);
  const stranger = delivery({ socketAddress: '10.0.0.9', headers: { 'x-forwarded-for': '18.142.61.230' } });
  assert.deepEqual(admit(stranger, allowed).body, { error: 'IP_NOT_ALLOWED' });
  assert.equal(stranger.dropped, true);
  const proxied = settingsOf({ allowedIps: ['18.142.61.230'], trustProxy: 1 });
  assert.equal(
    admit(delivery({ socketAddress: '10.0.0.9', headers: { 'x-forwarded-for': '18.142.61.230' } }), proxied),
    undefined,
  );
  const byHeader = settingsOf({
    allowedIps: ['18.142.61.230'],
    clientIp: (request) => request.headers.get('fly-client-ip'),
  });
  assert.equal(
    admit(delivery({ socketAddress: undefined, headers: { 'fly-client-ip': '18.142.61.230' } }), byHeader),
    undefined,
  );
  assert.deepEqual(admit(delivery({ socketAddress: undefined }), allowed).body, { error: 'IP_NOT_ALLOWED' });
  assert.match(errors[0], /no client address: pass clientIp/);
});

test("a signature header's shape is checked before reading: 128 hex digits, any case, whitespace around them", () => {
  const hex = '0123456789abcdefABCDEF'.repeat(6).slice(0, 128);
  for (const signature of [hex, ` ${hex}\t`, hex.toUpperCase()]) {
    assert.equal(admit(delivery({ headers: { 'smile-signature': signature } }), settingsOf()), undefined, signature);
  }
  for (const signature of [hex.slice(1), `${hex}0`, `${hex.slice(1)}g`, `${hex.slice(0, 64)} ${hex.slice(65)}`]) {
    const request = delivery({ headers: { 'smile-signature': signature } });
    assert.deepEqual(admit(request, settingsOf()).body, { error: 'BAD_SIGNATURE' }, signature);
    assert.equal(request.dropped, true);
  }
  assert.deepEqual(admit(delivery({ headers: { 'smile-signature': '  ' } }), settingsOf()).body, {
    error: 'MISSING_SIGNATURE',
  });
});
