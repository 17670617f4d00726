// MemoryWebhookStore, the receiver's default deduper: claims, leases, done marks and its bound.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryWebhookStore } from '../../../dist/webhooks/index.js';

describe('MemoryWebhookStore', () => {
  test('claims an id once; busy while claimed; done once completed', async () => {
    const store = new MemoryWebhookStore();
    const claim = await store.claim('et-1', 1000);
    assert.equal(claim.status, 'claimed');
    assert.deepEqual(await store.claim('et-1', 1000), { status: 'busy' });
    await store.complete('et-1', claim.token, 60_000);
    assert.deepEqual(await store.claim('et-1', 1000), { status: 'done' });
    assert.equal((await store.claim('et-2', 1000)).status, 'claimed');
  });

  test('a claim expires after its lease, a done id after its TTL; only the holder releases', async () => {
    let now = 1000;
    const store = new MemoryWebhookStore({ now: () => now });
    const first = await store.claim('et-1', 500);
    await store.release('et-1', 'not-the-holder');
    assert.deepEqual(await store.claim('et-1', 500), { status: 'busy' });
    now += 500;
    const second = await store.claim('et-1', 500);
    assert.equal(second.status, 'claimed');
    await store.release('et-1', first.token);
    assert.deepEqual(
      await store.claim('et-1', 500),
      { status: 'busy' },
      "the expired holder cannot release the new holder's claim",
    );
    await store.complete('et-1', second.token, 60_000);
    now += 59_999;
    assert.deepEqual(await store.claim('et-1', 500), { status: 'done' });
    now += 1;
    assert.equal((await store.claim('et-1', 500)).status, 'claimed');
  });

  test('stays within maxEntries, dropping the oldest first', async () => {
    const store = new MemoryWebhookStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await store.complete(id, 'token', 60_000);
    assert.equal(store.size, 3);
    assert.equal((await store.claim('a', 500)).status, 'claimed');
    assert.deepEqual(await store.claim('d', 500), { status: 'done' });
  });
});
