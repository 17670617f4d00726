// The package on a real Redis Cluster that the suite starts (3 masters of Debian's redis-server on
// loopback, made with redis-cli --cluster create, torn down after), with both ioredis's Cluster and
// node-redis's createCluster: the event stream across two instance processes (isolation, resume
// after a killed instance, 1,000 streams under 10,000 events), the store, and the inbox with its
// dedupe. Bounded in count and time.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import {
  createWebhookHandler,
  redisEventBus,
  redisWebhookStore,
  signWebhook,
  webhookJobId,
  webhookProcessor,
} from '../../../dist/webhooks/index.js';
import { allOpen, openPage, pollUntil } from '../../support/event-pages.mjs';
import { startFailoverProxy } from '../../support/failover-proxy.mjs';
import { startInboxProcess } from '../../support/inbox-process.mjs';
import { startRedisCluster } from '../../support/redis-cluster.mjs';

const INSTANCE = fileURLToPath(new URL('../../fixtures/events-instance.mjs', import.meta.url));
const secret = 'whsec_event_stream_cluster';
let sequence = 0;

const webhook = (userId, extra = {}) => ({
  id: `et-cluster-${++sequence}`,
  version: 1,
  type: 'TASK_FINISHED',
  createdAt: new Date().toISOString(),
  data: { userId, sourceId: `src-${sequence}`, status: 'SUCCEEDED', ...extra },
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

let cluster;
let ioCluster;
let nodeCluster;
const processes = [];
const pages = [];
const startInstance = async (name, env = {}) => {
  const instance = await startInboxProcess(
    {
      REDIS_CLUSTER: cluster.nodes.map(({ port }) => port).join(','),
      WEBHOOK_SECRET: secret,
      NAME: name,
      ...env,
    },
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

before(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  ioCluster = new Cluster(cluster.nodes);
  await new Promise((resolve, reject) => (ioCluster.once('ready', resolve), ioCluster.once('error', reject)));
  nodeCluster = createCluster({
    rootNodes: cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
  });
  nodeCluster.on('error', () => {});
  await nodeCluster.connect();
});
after(async () => {
  for (const { page } of pages) page.close();
  await Promise.all(processes.map((instance) => instance.kill()));
  ioCluster?.disconnect();
  await nodeCluster?.close().catch(() => {});
  await cluster?.stop();
});

describe('the event stream on a Redis Cluster, across instances', () => {
  let one;
  let two;
  before(async () => {
    // One instance on ioredis's Cluster, the other on node-redis's createCluster: one bus.
    [one, two] = await Promise.all([startInstance('cluster-one'), startInstance('cluster-two', { CLIENT: 'redis' })]);
  });

  test("users' pages spread over two instances each get exactly their own user's events, each once", async () => {
    const users = Array.from({ length: 40 }, (_, index) => `usr-cluster-iso-${index}`);
    const streams = users.map((user, index) => open(`http://127.0.0.1:${(index % 2 ? one : two).port}/events`, user));
    await allOpen(streams);
    const expected = new Map(users.map((user) => [user, []]));
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        users.map(async (user, index) => {
          const event = webhook(user);
          expected.get(user).push(event.id);
          assert.equal(await post((index + round) % 2 ? two.port : one.port, event), 200);
        }),
      );
    }
    await Promise.all(
      users.map((user, index) => post(index % 2 ? one.port : two.port, webhook(user, { sourceId: 'marker' }))),
    );
    for (const stream of streams) {
      await stream.until(({ heard }) => heard.some((event) => event.data.sourceId === 'marker'), 'the marker');
      const ids = stream.heard.filter((event) => event.data.sourceId !== 'marker').map((event) => event.id);
      assert.deepEqual([...ids].sort(), [...expected.get(stream.user)].sort(), stream.user);
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(stream.heard.every((event) => event.data.userId === stream.user));
      stream.page.close();
    }
    // The users' keys are spread over the masters: no one slot holds the bus.
    const slots = new Set(
      await Promise.all(users.map((user) => ioCluster.cluster('KEYSLOT', `wink-widget:events:history:{${user}}`))),
    );
    assert.ok(slots.size > 30, `${slots.size} slots for 40 users`);
  });

  test('a page whose instance is killed resumes on the other with nothing lost or repeated', async () => {
    const three = await startInstance('cluster-three', { HEARTBEAT_MS: '500', LEASE_MS: '1000' });
    const four = await startInstance('cluster-four', { HEARTBEAT_MS: '500', LEASE_MS: '1000', CLIENT: 'redis' });
    const proxy = await startFailoverProxy([three.port, four.port]);
    try {
      const page = open(`http://127.0.0.1:${proxy.port}/events`, 'usr-cluster-resume', { retryMs: 100 });
      await pollUntil(
        async () => (await stats(three.port)).connections + (await stats(four.port)).connections,
        (count) => count === 1,
        'the page connected',
      );
      const sent = [];
      // As Smile delivers: again to the other receiver after a failed connection or a non-2xx; bounded.
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
          const event = webhook('usr-cluster-resume');
          sent.push(event.id);
          await deliver(event, sent.length % 2 ? four.port : three.port);
        }
      };
      await send(20);
      await page.until(({ heard }) => heard.length === 20, 'the first twenty');
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
      const ids = page.heard.map((event) => event.id);
      assert.deepEqual([...ids].sort(), [...sent].sort(), 'nothing lost');
      assert.equal(new Set(ids).size, ids.length, 'nothing repeated');
      page.page.close();
    } finally {
      await proxy.close();
    }
  });

  test('1,000 streams over two instances under 10,000 events: each reaches its page exactly once', async () => {
    const users = Array.from({ length: 1000 }, (_, index) => `usr-cluster-scale-${index}`);
    const streams = users.map((user, index) => open(`http://127.0.0.1:${(index % 2 ? one : two).port}/events`, user));
    await allOpen(streams, 60_000);
    const sentAt = Date.now();
    const events = Array.from({ length: 10_000 }, (_, index) => webhook(users[index % 1000]));
    for (let start = 0; start < events.length; start += 50) {
      const statuses = await Promise.all(
        events.slice(start, start + 50).map((event, index) => post(index % 2 ? one.port : two.port, event)),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
    }
    for (const stream of streams) await stream.until(({ heard }) => heard.length >= 10, `${stream.user}'s ten`, 60_000);
    assert.equal(
      streams.reduce((sum, stream) => sum + stream.heard.length, 0),
      10_000,
    );
    for (const stream of streams) {
      assert.equal(new Set(stream.heard.map((event) => event.id)).size, 10);
      assert.ok(stream.heard.every((event) => event.data.userId === stream.user));
    }
    console.log(`On a 3-master Cluster, 1,000 streams, 10,000 events: all delivered in ${Date.now() - sentAt} ms`);
    for (const stream of streams) stream.page.close();
    await pollUntil(
      async () => (await stats(one.port)).connections + (await stats(two.port)).connections,
      (count) => count === 0,
      'every stream closed',
    );
  });
});

describe('the bus, the store and the inbox on a Redis Cluster, with each client', () => {
  for (const [name, client] of [
    ['ioredis Cluster', () => ioCluster],
    ['node-redis createCluster', () => nodeCluster],
  ]) {
    test(`${name}: a publish tried again adds nothing; a stream's users must share a hash tag, which hashTag gives`, async () => {
      const prefix = `cluster-bus-${++sequence}:`;
      const bus = redisEventBus({ client: client(), prefix });
      const grouped = redisEventBus({ client: client(), prefix, hashTag: (user) => user.split('/')[0] });
      try {
        const event = webhook('usr-cluster-again');
        await bus.publish(event);
        await bus.publish(event);
        const { entries } = await bus.history(['usr-cluster-again'], 0);
        assert.equal(entries.length, 1, 'published once');
        await assert.rejects(bus.history(['usr-a', 'usr-b'], 0), { code: 'CROSS_SLOT_STREAM' });
        await assert.rejects(bus.subscribe(['usr-a', 'usr-b'], { entry() {}, lost() {} }), {
          code: 'CROSS_SLOT_STREAM',
        });
        // One household's users, one tag: their events in one history, in id order.
        const heard = [];
        const stop = await grouped.subscribe(['home-1/ana', 'home-1/ben'], {
          entry: (entry) => heard.push(entry),
          lost() {},
        });
        await grouped.publish(webhook('home-1/ana'));
        await grouped.publish(webhook('home-1/ben'));
        await pollUntil(
          async () => heard.length,
          (count) => count === 2,
          'both heard',
        );
        stop();
        const history = await grouped.history(['home-1/ana', 'home-1/ben'], 0);
        assert.deepEqual(
          history.entries.map(({ id }) => id),
          heard.map(({ id }) => id),
        );
        assert.ok(heard[0].id < heard[1].id);
      } finally {
        await bus.close();
        await grouped.close();
      }
    });

    test(`${name}: the store claims once, marks done, and hands a handled id's publish to one caller`, async () => {
      const store = redisWebhookStore({ client: client(), prefix: `cluster-store-${++sequence}:` });
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim('evt_a', 10_000)));
      const [won] = claims.filter((claim) => claim.status === 'claimed');
      assert.equal(claims.filter((claim) => claim.status === 'busy').length, 9);
      await store.handled('evt_a', won.token, 60_000);
      const again = await Promise.all(Array.from({ length: 10 }, () => store.claim('evt_a', 10_000)));
      const [publishing] = again.filter((claim) => claim.status === 'handled');
      assert.equal(again.filter((claim) => claim.status === 'busy').length, 9);
      await store.complete('evt_a', publishing.token, 60_000);
      assert.deepEqual(await store.claim('evt_a', 10_000), { status: 'done' });
      const other = await store.claim('evt_b', 10_000);
      await store.release('evt_b', other.token);
      assert.equal((await store.claim('evt_b', 10_000)).status, 'claimed');
    });
  }

  test("the inbox on a Cluster with BullMQ's '{smile}' prefix: queued once, duplicates add nothing, handled once", async () => {
    const connection = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: null } });
    const name = `cluster-inbox-${++sequence}`;
    const queue = new Queue(name, { connection, prefix: '{smile}' });
    const queueEvents = new QueueEvents(name, { connection, prefix: '{smile}' });
    await queueEvents.waitUntilReady();
    const warnings = [];
    const handler = createWebhookHandler({ secret, queue, onError: (error) => warnings.push(error) });
    const handled = [];
    const worker = new Worker(
      name,
      webhookProcessor((event) => void handled.push(event.id)),
      { connection, prefix: '{smile}' },
    );
    try {
      assert.deepEqual(warnings, [], 'a hash-tagged prefix is what a Cluster needs');
      const event = webhook('usr-cluster-inbox');
      const completed = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the job did not complete within 20 s')), 20_000);
        queueEvents.on('completed', ({ jobId }) => {
          if (jobId !== webhookJobId(event.id)) return;
          clearTimeout(timer);
          resolve();
        });
      });
      const deliver = async () => {
        const body = JSON.stringify(event);
        const response = await handler(
          new Request('http://localhost/webhooks', {
            method: 'POST',
            body,
            headers: { 'smile-signature': await signWebhook(body, secret) },
          }),
        );
        return response.json();
      };
      assert.deepEqual(await deliver(), { received: true, queued: true });
      assert.deepEqual(await deliver(), { received: true, duplicate: true });
      await completed;
      assert.deepEqual(await deliver(), { received: true, duplicate: true });
      assert.deepEqual(handled, [event.id]);
      // BullMQ's default prefix on a Cluster: told once, when the receiver is made.
      const plain = new Queue(`${name}-plain`, { connection });
      const told = [];
      createWebhookHandler({ secret, queue: plain, onError: (error) => told.push(error) });
      assert.equal(told.length, 1);
      assert.equal(told[0].code, 'QUEUE_PREFIX_NOT_HASH_TAGGED');
      assert.match(told[0].message, /\{smile\}/);
      await plain.close();
    } finally {
      await worker.close();
      await queueEvents.close();
      await queue.close();
      connection.disconnect();
    }
  });
});
