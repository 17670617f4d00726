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

  test('a handled id: its publish is held by one claim at a time, for its lease, and stays handled until done', async () => {
    let now = 1000;
    const store = new MemoryWebhookStore({ now: () => now });
    const first = await store.claim('et-1', 500);
    await store.handled('et-1', 'not-the-holder', 60_000);
    assert.deepEqual(await store.claim('et-1', 500), { status: 'busy' }, 'only the holder marks it handled');
    await store.handled('et-1', first.token, 60_000);
    const publishing = await store.claim('et-1', 500);
    assert.equal(publishing.status, 'handled');
    assert.deepEqual(await store.claim('et-1', 500), { status: 'busy' }, 'one publish at a time');
    // Its holder died: after the lease, the next claim takes the publish, and onEvent is not run.
    now += 500;
    const second = await store.claim('et-1', 500);
    assert.equal(second.status, 'handled');
    assert.notEqual(second.token, publishing.token);
    // Let go (the publish failed again): still handled, and free at once.
    await store.release('et-1', publishing.token);
    assert.deepEqual(
      await store.claim('et-1', 500),
      { status: 'busy' },
      "the stale holder cannot let go of another's publish",
    );
    await store.handled('et-1', second.token, 60_000);
    const third = await store.claim('et-1', 500);
    assert.equal(third.status, 'handled');
    await store.complete('et-1', third.token, 60_000);
    assert.deepEqual(await store.claim('et-1', 500), { status: 'done' });
    // A handled mark ends with its TTL.
    const other = await store.claim('et-2', 500);
    await store.handled('et-2', other.token, 1000);
    now += 1000;
    assert.equal((await store.claim('et-2', 500)).status, 'claimed');
  });

  test('stays within maxEntries, dropping the oldest first', async () => {
    const store = new MemoryWebhookStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await store.complete(id, 'token', 60_000);
    assert.equal(store.size, 3);
    assert.equal((await store.claim('a', 500)).status, 'claimed');
    assert.deepEqual(await store.claim('d', 500), { status: 'done' });
  });
});
