// The durable inbox on BullMQ, with a real redis-server: a verified event is a job once Redis
// holds it, a duplicate adds nothing whatever its job's state, a failing onEvent is retried, and a
// job that used up its attempts stays as the dead letter until it is retried.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { createWebhookHandler, signWebhook, webhookJobId, webhookProcessor } from '../../../dist/webhooks/index.js';
import { startInboxProcess } from '../../support/inbox-process.mjs';
import { startRedis } from '../../support/redis-server.mjs';

const secret = 'whsec_inbox_0123456789';
const body = (id) =>
  JSON.stringify({ id, version: 1, type: 'TASK_FINISHED', createdAt: new Date().toISOString(), data: { userId: 'u' } });
const deliver = async (handler, id) => {
  const raw = body(id);
  const response = await handler(
    new Request('http://localhost/webhooks/smile', {
      method: 'POST',
      headers: { 'smile-signature': await signWebhook(raw, secret) },
      body: raw,
    }),
  );
  return [response.status, await response.json()];
};

let redis;
let connection;
before(async () => {
  redis = await startRedis();
  connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
});
after(() => redis?.stop());

let queueNumber = 0;
/** A queue of its own for each test, its worker, and the events of both; all closed after. */
async function inbox(onEvent, { attempts = 3, concurrency = 1 } = {}) {
  const name = `inbox-${++queueNumber}`;
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const handler = createWebhookHandler({ secret, queue, jobAttempts: attempts, jobBackoffMs: 60_000 });
  let worker;
  const startWorker = () => (worker = new Worker(name, webhookProcessor(onEvent), { connection, concurrency }));
  const close = async () => {
    await worker?.close();
    await events.close();
    await queue.close();
  };
  return { name, queue, events, handler, startWorker, close };
}

/** Resolves once the job of event `id` has reached `state` ('completed' or 'failed'); bounded. */
const reached = (events, id, state, timeout = 10_000) =>
  new Promise((resolve, reject) => {
    const jobId = webhookJobId(id);
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not reach ${state}`)), timeout);
    const listener = ({ jobId: done }) => {
      if (done !== jobId) return;
      clearTimeout(timer);
      events.off(state, listener);
      resolve();
    };
    events.on(state, listener);
  });

describe('the durable inbox', () => {
  test('job ids keep to BullMQ rules and keep event ids apart', () => {
    assert.equal(webhookJobId('123'), 'smile-123');
    assert.equal(webhookJobId('et-1:2'), 'smile-et-1%3A2');
    assert.notEqual(webhookJobId('a:b'), webhookJobId('a%3Ab'));
    assert.doesNotMatch(webhookJobId('x:y:z'), /:/);
  });

  test('a verified event is queued once Redis holds it, handled once, and its duplicates add nothing', async () => {
    const handled = [];
    const box = await inbox((event) => void handled.push(event.id));
    try {
      assert.deepEqual(await deliver(box.handler, 'evt_1'), [200, { received: true, queued: true }]);
      // Waiting: the duplicate adds nothing.
      assert.deepEqual(await deliver(box.handler, 'evt_1'), [200, { received: true, duplicate: true }]);
      assert.equal((await box.queue.getJobCounts('waiting')).waiting, 1);
      const done = reached(box.events, 'evt_1', 'completed');
      box.startWorker();
      await done;
      // Done: still a duplicate, and it runs no more.
      assert.deepEqual(await deliver(box.handler, 'evt_1'), [200, { received: true, duplicate: true }]);
      assert.deepEqual(handled, ['evt_1']);
      const counts = await box.queue.getJobCounts('waiting', 'completed');
      assert.deepEqual(counts, { waiting: 0, completed: 1 });
      // Kept for the dedupe window, its payload not: the envelope only, and the delivery stamp.
      const job = await box.queue.getJob(webhookJobId('evt_1'));
      const { id, type, version, createdAt } = JSON.parse(body('evt_1'));
      assert.deepEqual(job.data, {
        event: { id, type, version, createdAt: job.data.event.createdAt },
        delivery: job.data.delivery,
        handled: true,
      });
      assert.equal(typeof createdAt, 'string');
      assert.equal('data' in job.data.event, false, 'no payload is held once the job has completed');
    } finally {
      await box.close();
    }
  });

  test('a failing onEvent is retried; a job that used up its attempts is the dead letter, and retry() replays it', async () => {
    let failing = true;
    const handled = [];
    const box = await inbox(
      (event) => {
        if (failing) throw new Error('the database is down');
        handled.push(event.id);
      },
      { attempts: 2 },
    );
    try {
      box.startWorker();
      const failed = reached(box.events, 'evt_dead', 'failed');
      // The retry waits out its backoff as a delayed job; promote it instead of waiting a minute.
      const delayed = once(box.events, 'delayed', { signal: AbortSignal.timeout(10_000) });
      assert.deepEqual(await deliver(box.handler, 'evt_dead'), [200, { received: true, queued: true }]);
      await delayed;
      await box.queue.promoteJobs();
      await failed;
      const job = await box.queue.getJob(webhookJobId('evt_dead'));
      assert.equal(job.attemptsMade, 2);
      assert.equal(await job.getState(), 'failed');
      // The dead letter keeps its payload, to be retried.
      assert.deepEqual(job.data.event.data, { userId: 'u' });
      // Failed: a duplicate still adds nothing.
      assert.deepEqual(await deliver(box.handler, 'evt_dead'), [200, { received: true, duplicate: true }]);
      failing = false;
      const done = reached(box.events, 'evt_dead', 'completed');
      await job.retry();
      await done;
      assert.deepEqual(handled, ['evt_dead']);
    } finally {
      await box.close();
    }
  });

  test('with Redis out of reach, a delivery is answered 503 within a second', async () => {
    const down = await startRedis();
    const queue = new Queue('inbox-down', {
      // This Redis is not coming back: no reconnecting, so that the test ends quietly.
      connection: {
        host: '127.0.0.1',
        port: down.port,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => null,
      },
    });
    const errors = [];
    queue.on('error', (error) => errors.push(error));
    await queue.waitUntilReady();
    await down.kill();
    const handler = createWebhookHandler({ secret, queue });
    try {
      const started = performance.now();
      assert.deepEqual(await deliver(handler, 'evt_lost'), [503, { error: 'STORE_UNAVAILABLE' }]);
      assert.ok(performance.now() - started < 1500);
    } finally {
      await queue.close().catch(() => undefined);
    }
  });

  test('needs either onEvent or a queue, not both', () => {
    assert.throws(() => createWebhookHandler({ secret }), TypeError);
    assert.throws(() => createWebhookHandler({ secret, onEvent() {}, queue: {} }), TypeError);
  });
});

describe("an outage of onEvent under Smile's schedule, compressed", () => {
  // Smile's three attempts, T apart (a few dozen seconds in life); onEvent down for longer than
  // the whole schedule while every event arrives.
  const T = 200;
  const EVENTS = 5000;
  const ids = Array.from({ length: EVENTS }, (_, index) => `evt_outage_${index}`);

  /** Plays the schedule against `handler`: each event tried at 0, +T and +2T until a 2xx. */
  async function playSmile(handler, prefix) {
    const bodies = await Promise.all(
      ids.map(async (id) => {
        const raw = body(`${prefix}${id}`);
        return [raw, await signWebhook(raw, secret)];
      }),
    );
    let pending = bodies;
    for (let attempt = 0; attempt < 3 && pending.length; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, T));
      const answers = await Promise.all(
        pending.map(
          async ([raw, signature]) =>
            (
              await handler(
                new Request('http://localhost/webhooks/smile', {
                  method: 'POST',
                  headers: { 'smile-signature': signature },
                  body: raw,
                }),
              )
            ).status,
        ),
      );
      pending = pending.filter((_, index) => answers[index] >= 300);
    }
    return pending.length;
  }

  test('the inbox loses none; the synchronous mode loses what arrived during the outage', async (t) => {
    // The synchronous mode: onEvent inside the request, down all along.
    const handledInRequest = new Set();
    let down = true;
    const synchronous = createWebhookHandler({
      secret,
      onEvent(event) {
        if (down) throw new Error('the database is down');
        handledInRequest.add(event.id);
      },
    });
    const started = Date.now();
    const givenUp = await playSmile(synchronous, 'sync-');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5 * T - (Date.now() - started))));
    down = false;
    t.diagnostic(`synchronous mode: Smile gave up on ${givenUp} of ${EVENTS} events; ${handledInRequest.size} handled`);
    assert.equal(givenUp, EVENTS, 'with onEvent down throughout, every delivery fails in the synchronous mode');

    // The inbox: the same schedule and outage.
    let inboxDown = true;
    const handled = new Set();
    const runs = new Map();
    const box = await inbox(
      (event) => {
        runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
        if (inboxDown) throw new Error('the database is down');
        handled.add(event.id);
      },
      { attempts: 10, concurrency: 50 },
    );
    try {
      const queueStarted = Date.now();
      box.startWorker();
      assert.equal(await playSmile(box.handler, 'inbox-'), 0, 'every delivery was answered 2xx at its first try');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5 * T - (Date.now() - queueStarted))));
      inboxDown = false;
      // Recovered: the retries that wait out their backoff run now instead of in a minute.
      // Done when every job has completed: a job completes a moment after its onEvent returns.
      const completed = new Set();
      const allDone = new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${completed.size} of ${EVENTS} completed (${handled.size} handled)`)),
          60_000,
        );
        const check = ({ jobId } = {}) => {
          if (jobId) completed.add(jobId);
          if (completed.size < EVENTS) return;
          clearTimeout(timer);
          box.events.off('completed', check);
          resolve();
        };
        box.events.on('completed', check);
      });
      // A try that began before the recovery still fails, and waits out its backoff again: each
      // job that goes back to waiting is promoted too.
      const promote = () => void box.queue.promoteJobs().catch(() => undefined);
      box.events.on('delayed', promote);
      promote();
      await allDone;
      box.events.off('delayed', promote);
      t.diagnostic(`inbox: ${handled.size} of ${EVENTS} handled, 0 lost`);
      assert.equal(handled.size, EVENTS);
      assert.deepEqual(await box.queue.getJobCounts('completed', 'failed'), { completed: EVENTS, failed: 0 });
    } finally {
      await box.close();
    }
  });
});

describe('the inbox when processes die (kill -9)', () => {
  const start = (env) => startInboxProcess({ REDIS_URL: redis.url, WEBHOOK_SECRET: secret, ...env });

  test('a worker killed mid-job: the job is taken up again after the stall check, and completes', async () => {
    const name = `inbox-kill-${++queueNumber}`;
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    await events.waitUntilReady();
    const handler = createWebhookHandler({ secret, queue });
    const doomed = await start({ ROLE: 'worker', QUEUE: name, HANG_ID: 'evt_mid_job' });
    let survivor;
    try {
      assert.deepEqual(await deliver(handler, 'evt_mid_job'), [200, { received: true, queued: true }]);
      await doomed.until(/^handling evt_mid_job$/);
      await doomed.kill();
      const completed = reached(events, 'evt_mid_job', 'completed', 15_000);
      survivor = await start({ ROLE: 'worker', QUEUE: name });
      await completed;
      // The job's completion comes through Redis, the survivor's line through its stdout: either
      // may arrive first, so the line is waited for (bounded), not read at once.
      await survivor.until(/^handled evt_mid_job$/);
      // The doomed worker's output has closed (kill waits for it): all it printed is here.
      assert.ok(!doomed.lines().includes('handled evt_mid_job'));
      const job = await queue.getJob(webhookJobId('evt_mid_job'));
      assert.equal(await job.getState(), 'completed');
    } finally {
      await doomed.kill();
      await survivor?.kill();
      await events.close();
      await queue.close();
    }
  });

  test("a receiver killed mid-request: Smile's next attempt is accepted", async () => {
    const name = `inbox-receiver-${++queueNumber}`;
    const doomed = await start({ ROLE: 'receiver', QUEUE: name });
    let next;
    const queue = new Queue(name, { connection });
    try {
      const raw = body('evt_mid_request');
      const signature = await signWebhook(raw, secret);
      // Headers and half the body, then the receiver dies under it.
      const socket = connect(doomed.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(
        `POST /webhooks/smile HTTP/1.1\r\nHost: x\r\nContent-Length: ${raw.length}\r\nSmile-Signature: ${signature}\r\n\r\n${raw.slice(0, 40)}`,
      );
      socket.on('error', () => {});
      await doomed.kill();
      socket.destroy();
      next = await start({ ROLE: 'receiver', QUEUE: name });
      const response = await fetch(`http://127.0.0.1:${next.port}/webhooks/smile`, {
        method: 'POST',
        headers: { 'smile-signature': signature },
        body: raw,
        signal: AbortSignal.timeout(5000),
      });
      assert.deepEqual([response.status, await response.json()], [200, { received: true, queued: true }]);
      assert.equal((await queue.getJobCounts('waiting')).waiting, 1);
    } finally {
      await doomed.kill();
      await next?.kill();
      await queue.close();
    }
  });
});
