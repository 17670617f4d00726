// The authenticate step, without HTTP: the signature over the exact bytes, then the event's shape
// and age, each refusal by its code; the synchronous step (node:crypto) and the asynchronous one
// (any provider, here Web Crypto) answer alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authenticatorAsync, authenticatorSync } from '../../../../dist/webhooks/receiver/steps/authenticate.js';
import { webCryptoProvider } from '../../../../dist/webhooks/signature/provider.js';
import { signWebhook } from '../../../../dist/webhooks/index.js';
import { event, secret, settingsOf } from './support.mjs';

const bytes = (text) => new TextEncoder().encode(text);
const HOUR = 3600_000;

/** The steps of one set of settings: sync (where the provider has one) and async. */
const stepsOf = (options) => {
  const settings = settingsOf(options);
  const web = { ...settings, provider: webCryptoProvider() };
  return [
    ['sync, node:crypto', (body, header) => authenticatorSync(settings)(body, header)],
    ['async, node:crypto', (body, header) => authenticatorAsync(settings)(body, header)],
    ['async, Web Crypto', (body, header) => authenticatorAsync(web)(body, header)],
  ];
};

test('Web Crypto has no synchronous step', () => {
  assert.equal(authenticatorSync({ ...settingsOf(), provider: webCryptoProvider() }), undefined);
});

test('a signed, well-formed, recent event goes on as the event', async () => {
  for (const [name, authenticate] of stepsOf()) {
    const raw = JSON.stringify(event());
    assert.deepEqual(await authenticate(bytes(raw), await signWebhook(raw, secret)), JSON.parse(raw), name);
  }
});

test('each refusal, by its code', async () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  for (const [name, authenticate] of stepsOf({ now: () => now })) {
    const at = (ms) => new Date(now + ms).toISOString();
    const refusal = async (raw, header) =>
      (await authenticate(bytes(raw), header ?? (await signWebhook(raw, secret)))).body?.error;
    const good = JSON.stringify(event('evt_ok', at(0)));
    assert.equal(await refusal(good, ''), 'MISSING_SIGNATURE', name);
    assert.equal(await refusal(good, 'zz'), 'BAD_SIGNATURE', name);
    assert.equal(await refusal(good, await signWebhook(`${good} `, secret)), 'BAD_SIGNATURE', name);
    assert.equal(await refusal('{"id":'), 'INVALID_JSON', name);
    assert.equal(await refusal('{"id":"x"}'), 'INVALID_EVENT', name);
    assert.equal(await refusal(JSON.stringify(event('evt_garbled', 'not a time'))), 'INVALID_EVENT', name);
    // The handler's clock decides the age: 23 h is the default window with a 24 h dedupe.
    assert.equal(await refusal(JSON.stringify(event('evt_old', at(-23.5 * HOUR)))), 'EVENT_TOO_OLD', name);
    assert.equal(await refusal(JSON.stringify(event('evt_ahead', at(10 * 60_000)))), 'EVENT_IN_FUTURE', name);
    assert.deepEqual(await authenticate(bytes(good), await signWebhook(good, secret)), JSON.parse(good), name);
  }
});
