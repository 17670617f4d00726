// A publish that fails is never dropped: in store mode the answer is 503 PUBLISH_FAILED and the
// event's record says "handled, not published", so that Smile's retry publishes it without running
// onEvent again; in the durable inbox the job's retries only publish. Real HTTP on loopback, a real
// redis-server for the Redis store and BullMQ, and the package's own client as the page.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  createEventStream,
  createWebhookHandler,
  memoryEventBus,
  MemoryWebhookStore,
  redisEventBus,
  redisWebhookStore,
  signWebhook,
  toNodeHandler,
  webhookJobId,
  webhookProcessor,
} from '../../../dist/webhooks/index.js';
import { allOpen, openPage, pollUntil } from '../../support/event-pages.mjs';
import { startRedis } from '../../support/redis-server.mjs';

const secret = 'whsec_republish_0123456789abcdef';
let sequence = 0;
const webhook = (userId) => ({
  id: `et-republish-${++sequence}`,
  version: 1,
  type: 'TASK_FINISHED',
  createdAt: new Date().toISOString(),
  data: { userId, sourceId: `src-${sequence}`, status: 'SUCCEEDED' },
});
const session = (request) => /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];

/**
 * A bus that fails while `down()` says so, and counts what it published; the rest is the real
 * bus underneath, so that the page hears what was published, through the real stream.
 */
function flakyBus(bus, down) {
  const published = [];
  let attempts = 0;
  return {
    published,
    get attempts() {
      return attempts;
    },
    bus: {
      ...bus,
      publish: async (event) => {
        attempts++;
        if (down(attempts)) throw new Error(`bus down (publish ${attempts})`);
        await bus.publish(event);
        published.push(event.id);
      },
      subscribe: (...args) => bus.subscribe(...args),
      history: (...args) => bus.history(...args),
      close: () => bus.close(),
    },
  };
}

/** The receiver at /webhooks (or none, with a queue's worker publishing) and the stream at /events. */
async function startApp({ bus, receiver }) {
  const errors = [];
  const stream = createEventStream({
    bus,
    authorize: (request) => (session(request) ? [decodeURIComponent(session(request))] : null),
    onError: (error) => errors.push(error),
  });
  const receive = toNodeHandler(createWebhookHandler({ secret, onError: (error) => errors.push(error), ...receiver }));
  const events = toNodeHandler(stream);
  const server = createServer((request, response) =>
    request.url.startsWith('/events') ? events(request, response) : receive(request, response),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  /** One delivery, as Smile makes it: its status and `error` code, if any. */
  const post = async (event) => {
    const body = JSON.stringify(event);
    const response = await fetch(`${base}/webhooks`, {
      method: 'POST',
      body,
      headers: { 'smile-signature': await signWebhook(body, secret) },
    });
    const answer = await response.json();
    return `${response.status}${answer.error ? ` ${answer.error}` : answer.duplicate ? ' duplicate' : ''}`;
  };
  const stop = () => {
    stream.close();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url: `${base}/events`, post, stream, errors, stop };
}

const pages = [];
const open = async (app, user) => {
  const page = openPage(app.url, user);
  pages.push(page);
  await allOpen([page]);
  return page;
};
after(() => pages.forEach(({ page }) => page.close()));

let redis;
let client;
before(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
after(async () => {
  client?.disconnect();
  await redis?.stop();
});

/** Waits for one more event than the page has now, `marker`, so that nothing else can still be on its way. */
async function drained(app, page, user, post = app.post) {
  const marker = webhook(user);
  assert.equal(await post(marker), '200');
  await page.until(({ heard }) => heard.some((event) => event.id === marker.id), 'the marker');
  return page.heard.map((event) => event.id).filter((id) => id !== marker.id);
}

describe('a publish that fails is never dropped', () => {
  for (const [storeName, makeStore] of [
    ['the memory store', () => new MemoryWebhookStore()],
    ['the Redis store', () => redisWebhookStore({ client, prefix: `republish:${++sequence}:` })],
  ]) {
    test(`${storeName}: a bus that fails the first two publishes; Smile's third delivery publishes it once, and onEvent ran once`, async () => {
      const flaky = flakyBus(memoryEventBus(), (attempt) => attempt <= 2);
      const handled = [];
      const app = await startApp({
        bus: flaky.bus,
        receiver: { store: makeStore(), bus: flaky.bus, onEvent: (event) => void handled.push(event.id) },
      });
      try {
        const page = await open(app, 'usr-ana');
        const event = webhook('usr-ana');
        // Smile's first delivery and its two retries.
        assert.deepEqual(
          [await app.post(event), await app.post(event), await app.post(event)],
          ['503 PUBLISH_FAILED', '503 PUBLISH_FAILED', '200'],
        );
        // Published once: a further delivery is a duplicate as before.
        assert.equal(await app.post(event), '200 duplicate');
        assert.deepEqual(await drained(app, page, 'usr-ana'), [event.id], 'the page heard it exactly once');
        assert.deepEqual(handled.slice(0, 1), [event.id]);
        assert.equal(handled.filter((id) => id === event.id).length, 1, 'onEvent ran once');
        assert.deepEqual(
          app.errors.map((error) => error.message),
          ['bus down (publish 1)', 'bus down (publish 2)'],
        );
      } finally {
        await app.stop();
      }
    });

    test(`${storeName}: two retries at once after a failed publish: one publishes, the other is told to come back`, async () => {
      let release;
      const gate = new Promise((resolve) => (release = resolve));
      const bus = memoryEventBus();
      let attempts = 0;
      const slowBus = {
        ...bus,
        subscribe: (...args) => bus.subscribe(...args),
        history: (...args) => bus.history(...args),
        close: () => bus.close(),
        publish: async (event) => {
          attempts++;
          if (attempts === 1) throw new Error('bus down');
          // The second publish waits, so that the third delivery comes while it holds the publish.
          if (attempts === 2) await gate;
          return bus.publish(event);
        },
      };
      let runs = 0;
      const app = await startApp({
        bus: slowBus,
        receiver: { store: makeStore(), bus: slowBus, onEvent: () => void runs++ },
      });
      try {
        const page = await open(app, 'usr-ben');
        const event = webhook('usr-ben');
        assert.equal(await app.post(event), '503 PUBLISH_FAILED');
        const first = app.post(event);
        await pollUntil(
          async () => attempts,
          (count) => count >= 2,
          'the retry publishing',
        );
        assert.equal(await app.post(event), '409 IN_PROGRESS');
        release();
        assert.equal(await first, '200');
        assert.equal(await app.post(event), '200 duplicate');
        assert.deepEqual(await drained(app, page, 'usr-ben'), [event.id]);
        assert.equal(runs, 2, 'onEvent ran for the event once, and for the marker');
        assert.equal(attempts, 3, 'the event was published once after its failure, and the marker once');
      } finally {
        await app.stop();
      }
    });
  }

  test("a bus down for longer than Smile's schedule: each failure told, nothing published, and a later delivery publishes once", async () => {
    let down = true;
    const flaky = flakyBus(redisEventBus({ client, prefix: `republish-bus:${++sequence}:` }), () => down);
    let runs = 0;
    const prefix = `republish-down:${sequence}:`;
    const store = redisWebhookStore({ client, prefix });
    const app = await startApp({ bus: flaky.bus, receiver: { store, bus: flaky.bus, onEvent: () => void runs++ } });
    try {
      const page = await open(app, 'usr-cleo');
      const event = webhook('usr-cleo');
      // Smile's whole schedule for one event: the first delivery and two retries, all refused.
      const answers = [];
      for (let delivery = 0; delivery < 3; delivery++) answers.push(await app.post(event));
      assert.deepEqual(answers, Array(3).fill('503 PUBLISH_FAILED'));
      assert.equal(app.errors.length, 3, 'onError told of each failed publish');
      assert.equal(runs, 1, 'onEvent ran once, on the first delivery');
      assert.deepEqual(flaky.published, []);
      // The record says handled, not published: a delivery after the bus is back (a replay by
      // hand) publishes it once, and runs no onEvent.
      assert.match(await client.get(prefix + event.id), /^handled$/);
      down = false;
      assert.equal(await app.post(event), '200');
      assert.equal(await app.post(event), '200 duplicate');
      assert.deepEqual(await drained(app, page, 'usr-cleo'), [event.id]);
      assert.equal(runs, 2, 'onEvent ran for the marker only');
      assert.deepEqual(flaky.published.slice(0, 1), [event.id]);
      assert.equal(flaky.published.filter((id) => id === event.id).length, 1, 'published once');
    } finally {
      await app.stop();
      await flaky.bus.close();
    }
  });

  test('the inbox: a bus that fails the first two publishes; the job retries only publish, the page hears it once', async () => {
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
    const name = `republish-${++sequence}`;
    const queue = new Queue(name, { connection });
    const queueEvents = new QueueEvents(name, { connection });
    await queueEvents.waitUntilReady();
    const flaky = flakyBus(memoryEventBus(), (attempt) => attempt <= 2);
    const handled = [];
    const failures = [];
    const app = await startApp({ bus: flaky.bus, receiver: { queue, jobBackoffMs: 20, jobAttempts: 5 } });
    const worker = new Worker(
      name,
      webhookProcessor((event) => void handled.push(event.id), {
        bus: flaky.bus,
        onError: (error) => failures.push(error.message),
      }),
      { connection },
    );
    try {
      const page = await open(app, 'usr-dan');
      const event = webhook('usr-dan');
      const completed = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the job did not complete within 20 s')), 20_000);
        queueEvents.on('completed', ({ jobId }) => {
          if (jobId !== webhookJobId(event.id)) return;
          clearTimeout(timer);
          resolve();
        });
      });
      assert.equal(await app.post(event), '200');
      await completed;
      const job = await queue.getJob(webhookJobId(event.id));
      assert.equal(job.attemptsMade, 3, 'two failed publishes, then the third try');
      assert.deepEqual(failures, ['bus down (publish 1)', 'bus down (publish 2)']);
      assert.equal(await app.post(event), '200 duplicate');
      assert.deepEqual(handled, [event.id], 'onEvent ran once');
      const heard = await drained(app, page, 'usr-dan');
      assert.deepEqual(heard, [event.id], 'the page heard it exactly once');
      assert.equal(flaky.published.filter((id) => id === event.id).length, 1);
    } finally {
      await worker.close();
      await queueEvents.close();
      await queue.close();
      await app.stop();
    }
  });
});
