// The event stream across instances: real instance processes (test/fixtures/events-instance.mjs)
// on a real redis-server on loopback, behind a loopback load balancer. Isolation of users spread
// over two instances, resume after a cut and after a kill, 1,000 streams under 10,000 events with
// constant Redis connections, and subscriptions back to their baseline. Bounded in count and time.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { signWebhook } from '../../../dist/webhooks/index.js';
import { allOpen, openPage, pollUntil, rawStream } from '../../support/event-pages.mjs';
import { startFailoverProxy } from '../../support/failover-proxy.mjs';
import { startInboxProcess } from '../../support/inbox-process.mjs';
import { startRedis } from '../../support/redis-server.mjs';

const INSTANCE = fileURLToPath(new URL('../../fixtures/events-instance.mjs', import.meta.url));
const secret = 'whsec_event_stream_redis';
let sequence = 0;

const webhook = (userId, extra = {}) => ({
  id: `et-redis-${++sequence}`,
  version: 1,
  type: 'TASK_FINISHED',
  createdAt: new Date().toISOString(),
  data: { userId, sourceId: `src-${sequence}`, status: 'SUCCEEDED', datapoints: ['INCOMES'], ...extra },
});

async function post(port, event) {
  const body = JSON.stringify(event);
  const response = await fetch(`http://127.0.0.1:${port}/webhooks`, {
    method: 'POST',
    body,
    headers: { 'smile-signature': await signWebhook(body, secret) },
  });
  await response.arrayBuffer();
  return response.status;
}

const stats = async (port) => (await fetch(`http://127.0.0.1:${port}/stats`)).json();

let redis;
let admin;
const processes = [];
const pages = [];
const startInstance = async (name, env = {}) => {
  const instance = await startInboxProcess(
    { REDIS_URL: redis.url, WEBHOOK_SECRET: secret, NAME: name, ...env },
    INSTANCE,
  );
  processes.push(instance);
  return instance;
};
const open = (url, user, options) => {
  const page = openPage(url, user, options);
  pages.push(page);
  return page;
};
/** Redis connections named `name`, and the channels subscribed on the whole server. */
const connectionsOf = async (name) =>
  (await admin.client('LIST')).split('\n').filter((line) => line.includes(` name=${name} `)).length;
const channels = async () => (await admin.pubsub('CHANNELS', 'wink-widget:events:live:*')).length;

before(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
after(async () => {
  for (const { page } of pages) page.close();
  await Promise.all(processes.map((instance) => instance.kill()));
  admin.disconnect();
  await redis.stop();
});

describe('the event stream across instances, on Redis', () => {
  let one;
  let two;
  before(async () => {
    // One instance on ioredis, the other on node-redis: both clients, one bus.
    [one, two] = await Promise.all([startInstance('events-one'), startInstance('events-two', { CLIENT: 'redis' })]);
  });

  test("users' pages spread over two instances each get exactly their own user's events, each once", async () => {
    const users = Array.from({ length: 40 }, (_, index) => `usr-iso-${index}`);
    const streams = users.map((user, index) => open(`http://127.0.0.1:${(index % 2 ? one : two).port}/events`, user));
    await allOpen(streams);
    const expected = new Map(users.map((user) => [user, []]));
    // Interleaved: each round sends one event per user, half to each instance's receiver.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        users.map(async (user, index) => {
          const event = webhook(user);
          expected.get(user).push(event.id);
          assert.equal(await post((index + round) % 2 ? two.port : one.port, event), 200);
        }),
      );
    }
    for (const stream of streams) {
      await stream.until(({ heard }) => heard.length >= 5, `${stream.user}'s five events`);
    }
    // Give a stray event the time to arrive, should one be on its way: a marker per page, last.
    await Promise.all(
      users.map((user, index) => post(index % 2 ? one.port : two.port, webhook(user, { sourceId: 'marker' }))),
    );
    for (const stream of streams) {
      await stream.until(({ heard }) => heard.some((event) => event.data.sourceId === 'marker'), 'the marker');
      const ids = stream.heard.filter((event) => event.data.sourceId !== 'marker').map((event) => event.id);
      // The events of one user posted at once arrive in the order the bus gave them ids, which
      // is the order they were published in: compare as sets, and that none repeats.
      assert.deepEqual([...ids].sort(), [...expected.get(stream.user)].sort(), stream.user);
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(stream.heard.every((event) => event.data.userId === stream.user));
      stream.page.close();
    }
  });

  test('a forged Last-Event-ID or since on either instance cannot reach another user', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const secretEvent = webhook('usr-owner', { sourceId: 'owner-only' });
    assert.equal(await post(one.port, secretEvent), 200);
    const owner = open(`http://127.0.0.1:${two.port}/events`, 'usr-owner', { since });
    await owner.until(({ heard }) => heard.length === 1, "the owner's event, from history");
    const ownerId = owner.page.lastEventId;
    for (const port of [one.port, two.port]) {
      for (const headers of [{ 'last-event-id': String(Number(ownerId) - 1) }, { 'last-event-id': '0' }, {}]) {
        const { text } = await rawStream(
          `http://127.0.0.1:${port}/events?since=${encodeURIComponent(since)}`,
          { cookie: 'session=usr-intruder', ...headers },
          () => false,
          300,
        );
        assert.equal(text.includes('owner-only'), false);
      }
    }
    owner.page.close();
    const refused = await fetch(`http://127.0.0.1:${one.port}/events`);
    assert.equal(refused.status, 401);
  });

  test('a page cut by the server, then by a killed instance, resumes on the other with nothing lost or repeated', async () => {
    // A short lease: a delivery the killed instance had claimed is handled again within a second.
    const three = await startInstance('events-three', { HEARTBEAT_MS: '500', LEASE_MS: '1000' });
    const four = await startInstance('events-four', { HEARTBEAT_MS: '500', LEASE_MS: '1000' });
    const proxy = await startFailoverProxy([three.port, four.port]);
    try {
      const page = open(`http://127.0.0.1:${proxy.port}/events`, 'usr-resume', { retryMs: 100 });
      await pollUntil(
        async () => (await stats(three.port)).connections + (await stats(four.port)).connections,
        (count) => count === 1,
        'the page connected',
      );
      const sent = [];
      // Delivered as Smile does: again after a failed connection or a non-2xx, to the other
      // receiver (the app's balancer), until a 200; bounded.
      const deliver = async (event, first) => {
        const ports = [first, first === three.port ? four.port : three.port];
        for (let attempt = 0; attempt < 100; attempt++) {
          const status = await post(ports[attempt % 2], event).catch(() => 'refused');
          if (status === 200) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`${event.id} was never answered 200`);
      };
      const send = async (count) => {
        for (let index = 0; index < count; index++) {
          const event = webhook('usr-resume');
          sent.push(event.id);
          await deliver(event, sent.length % 2 ? four.port : three.port);
        }
      };
      await send(20);
      await page.until(({ heard }) => heard.length === 20, 'the first twenty');
      // The server ends every stream (a deploy); events go on meanwhile.
      const sending = send(20);
      await fetch(`http://127.0.0.1:${three.port}/close`, { method: 'POST' });
      await fetch(`http://127.0.0.1:${four.port}/close`, { method: 'POST' });
      await sending;
      await page.until(({ heard }) => heard.length === 40, 'forty after the cut');
      // The instance holding the page is killed mid-stream.
      const holder = (await stats(three.port)).connections === 1 ? three : four;
      const survivor = holder === three ? four : three;
      const killing = send(20);
      await holder.kill();
      await killing;
      await page.until(({ heard }) => heard.length >= sent.length, 'every event after the kill', 30_000);
      await pollUntil(
        async () => (await stats(survivor.port)).connections,
        (count) => count === 1,
        'the page on the survivor',
      );
      // Two receivers publish at once in no set order: compared as sets, and that none repeats.
      const ids = page.heard.map((event) => event.id);
      assert.deepEqual([...ids].sort(), [...sent].sort(), 'nothing lost');
      assert.equal(new Set(ids).size, ids.length, 'nothing repeated');
      page.page.close();
    } finally {
      await proxy.close();
    }
  });

  test('1,000 streams over two instances under 10,000 events: each reaches its page once, on constant Redis connections', async () => {
    const baseline = { one: await connectionsOf('events-one'), two: await connectionsOf('events-two') };
    assert.deepEqual(baseline, { one: 2, two: 2 }, 'a client and a subscriber each');
    const users = Array.from({ length: 1000 }, (_, index) => `usr-scale-${index}`);
    const streams = users.map((user, index) => open(`http://127.0.0.1:${(index % 2 ? one : two).port}/events`, user));
    await allOpen(streams, 60_000);
    assert.deepEqual({ one: await connectionsOf('events-one'), two: await connectionsOf('events-two') }, baseline);
    const sentAt = Date.now();
    // 10,000 events, ten per user, through both receivers, 50 deliveries at a time.
    const events = Array.from({ length: 10_000 }, (_, index) => webhook(users[index % 1000]));
    for (let start = 0; start < events.length; start += 50) {
      const statuses = await Promise.all(
        events.slice(start, start + 50).map((event, index) => post(index % 2 ? one.port : two.port, event)),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
    }
    for (const stream of streams) await stream.until(({ heard }) => heard.length >= 10, `${stream.user}'s ten`, 60_000);
    const received = streams.reduce((sum, stream) => sum + stream.heard.length, 0);
    assert.equal(received, 10_000);
    for (const stream of streams) {
      assert.equal(new Set(stream.heard.map((event) => event.id)).size, 10);
      assert.ok(stream.heard.every((event) => event.data.userId === stream.user));
    }
    assert.deepEqual({ one: await connectionsOf('events-one'), two: await connectionsOf('events-two') }, baseline);
    console.log(`1,000 streams, 10,000 events: all delivered in ${Date.now() - sentAt} ms`);
    for (const stream of streams) stream.page.close();
    await pollUntil(
      async () => (await stats(one.port)).connections + (await stats(two.port)).connections,
      (count) => count === 0,
      'every stream closed',
    );
  });

  test('thousands of connects and disconnects: open streams and Redis subscriptions return to their baseline', async () => {
    const before = await channels();
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 200 }, async (_, index) => {
          const controller = new AbortController();
          const port = index % 2 ? one.port : two.port;
          const response = await fetch(`http://127.0.0.1:${port}/events`, {
            headers: { cookie: `session=usr-churn-${index % 50}`, 'last-event-id': index % 3 ? 'garbled' : '1' },
            signal: controller.signal,
          }).catch(() => undefined);
          if (response && index % 2)
            await response.body
              .getReader()
              .read()
              .catch(() => undefined);
          controller.abort();
        }),
      );
    }
    await pollUntil(
      async () => (await stats(one.port)).connections + (await stats(two.port)).connections,
      (count) => count === 0,
      'every stream closed',
    );
    await pollUntil(channels, (count) => count === before, 'subscriptions back to the baseline');
    assert.deepEqual(
      { one: await connectionsOf('events-one'), two: await connectionsOf('events-two') },
      { one: 2, two: 2 },
    );
    // And both still serve.
    const page = open(`http://127.0.0.1:${one.port}/events`, 'usr-after-churn');
    await pollUntil(
      async () => (await stats(one.port)).connections,
      (count) => count === 1,
      'connected',
    );
    await post(two.port, webhook('usr-after-churn'));
    await page.until(({ heard }) => heard.length === 1, 'an event after the churn');
    page.page.close();
  });
});
