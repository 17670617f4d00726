// The inline step, without HTTP: claim, onEvent, done and publish; or let go so the retry is
// handled; duplicates and deliveries in progress; a store that fails; an onEvent that is late.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineHandler } from '../../../../dist/webhooks/receiver/steps/handle-inline.js';
import { MemoryWebhookStore, memoryEventBus } from '../../../../dist/webhooks/index.js';
import { event, settingsOf } from './support.mjs';

const statusOf = (answer) => [answer.status, answer.body];

test('handles once: claimed, onEvent, done, published; then a duplicate', async () => {
  const calls = [];
  const published = [];
  const bus = { ...memoryEventBus(), publish: async (published_) => void published.push(published_.id) };
  const handle = inlineHandler(settingsOf({ onEvent: (handled) => void calls.push(handled.id), bus }));
  assert.deepEqual(statusOf(await handle(event('evt_a'))), [200, { received: true }]);
  assert.deepEqual(statusOf(await handle(event('evt_a'))), [200, { received: true, duplicate: true }]);
  assert.deepEqual(calls, ['evt_a']);
  assert.deepEqual(published, ['evt_a']);
});

test('a throwing or rejecting onEvent is 500, and its claim is let go for the retry', async () => {
  let failures = 2;
  const errors = [];
  const handle = inlineHandler(
    settingsOf({
      onEvent: (handled) => {
        if (failures-- === 2) throw new Error('sync');
        if (failures === 0) return Promise.reject(new Error('async'));
        return handled;
      },
      onError: (error) => errors.push(error.message),
    }),
  );
  assert.deepEqual(statusOf(await handle(event())), [500, { error: 'HANDLER_FAILED' }]);
  assert.deepEqual(statusOf(await handle(event())), [500, { error: 'HANDLER_FAILED' }]);
  assert.deepEqual(statusOf(await handle(event())), [200, { received: true }]);
  assert.deepEqual(errors, ['sync', 'async']);
});

test('another delivery in progress is 409; a store that fails is 503 and onEvent does not run', async () => {
  let finish;
  const store = new MemoryWebhookStore();
  const handle = inlineHandler(settingsOf({ store, onEvent: () => new Promise((resolve) => (finish = resolve)) }));
  const first = handle(event('evt_busy'));
  assert.deepEqual(statusOf(await handle(event('evt_busy'))), [409, { error: 'IN_PROGRESS' }]);
  finish();
  assert.deepEqual(statusOf(await first), [200, { received: true }]);
  let ran = false;
  const broken = { claim: () => Promise.reject(new Error('down')), complete: async () => {}, release: async () => {} };
  const refused = await inlineHandler(settingsOf({ store: broken, onEvent: () => (ran = true) }))(event());
  assert.deepEqual(statusOf(refused), [503, { error: 'STORE_UNAVAILABLE' }]);
  assert.equal(ran, false);
});

test('an onEvent longer than handlerTimeoutMs is 503; it keeps its claim and settles it when it ends', async () => {
  let finish;
  const store = new MemoryWebhookStore();
  const handle = inlineHandler(
    settingsOf({ store, handlerTimeoutMs: 20, onEvent: () => new Promise((resolve) => (finish = resolve)) }),
  );
  assert.deepEqual(statusOf(await handle(event('evt_late'))), [503, { error: 'HANDLER_TIMEOUT' }]);
  assert.deepEqual(await store.claim('evt_late', 1000), { status: 'busy' });
  finish();
  // Done once it has ended: a retry is then a duplicate.
  for (let turn = 0; turn < 10 && (await store.claim('evt_late', 1000)).status !== 'done'; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(statusOf(await handle(event('evt_late'))), [200, { received: true, duplicate: true }]);
});
