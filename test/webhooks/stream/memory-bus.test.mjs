// The memory bus's bound on users: past `maxUsers`, the history not published to for longest is
// dropped whole, and a user published to again since keeps theirs. What a page sees of it is
// `history()`: complete for a kept user, incomplete (so the page resyncs) for a dropped one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryEventBus } from '../../../dist/webhooks/index.js';

let sequence = 0;
const event = (userId) => ({
  id: `et-memory-bus-${++sequence}`,
  version: 1,
  type: 'TASK_STARTED',
  createdAt: new Date().toISOString(),
  data: { userId, sourceId: `src-${sequence}` },
});

test('past maxUsers the user not published to for longest is dropped; one published to again is kept', async () => {
  const bus = memoryEventBus({ maxUsers: 3 });
  for (const user of ['usr_a', 'usr_b', 'usr_c']) await bus.publish(event(user));
  // usr_a is published to again: of the three, usr_b is now the one not published to for longest.
  await bus.publish(event('usr_a'));
  await bus.publish(event('usr_d'));

  const dropped = await bus.history(['usr_b'], 0);
  assert.equal(dropped.complete, false, "usr_b's history was dropped: its page must resync");
  assert.deepEqual(dropped.entries, []);
  for (const [user, count] of [
    ['usr_a', 2],
    ['usr_c', 1],
    ['usr_d', 1],
  ]) {
    const kept = await bus.history([user], 0);
    assert.equal(kept.entries.length, count, `${user} keeps its events`);
  }

  // Another new user: usr_c is the oldest not published to since, ahead of usr_a (passed over once).
  await bus.publish(event('usr_e'));
  assert.equal((await bus.history(['usr_c'], 0)).entries.length, 0, 'usr_c dropped next');
  assert.equal((await bus.history(['usr_a'], 0)).entries.length, 2, 'usr_a still kept');
});

test('a history within maxUsers is complete from any cursor it still reaches', async () => {
  const bus = memoryEventBus({ maxUsers: 2 });
  await bus.publish(event('usr_x'));
  const first = await bus.history(['usr_x'], 0);
  await bus.publish(event('usr_x'));
  const after = await bus.history(['usr_x'], first.entries[0].id);
  assert.equal(after.complete, true);
  assert.equal(after.entries.length, 1, 'only what came after the cursor');
});
