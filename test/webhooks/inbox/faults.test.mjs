// The durable inbox with real processes and a real redis-server on loopback: Redis killed and
// restarted under deliveries, with AOF fsynced at every write as BullMQ asks of production; and
// four receivers and two workers under 10,000 deliveries of 5,000 events. Bounded in count and time.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { signWebhook } from '../../../dist/webhooks/index.js';
import { startInboxProcess } from '../../support/inbox-process.mjs';
import { startRedis } from '../../support/redis-server.mjs';

const secret = 'whsec_inbox_faults';
const body = (id) =>
  JSON.stringify({ id, version: 1, type: 'TASK_FINISHED', createdAt: new Date().toISOString(), data: { userId: 'u' } });

/** A condition to wait for, checked whenever `changed()` is called; bounded, and ended by `cancel()`. */
function condition(holds, what, timeout) {
  let check;
  let timer;
  const reached = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeout} ms`)), timeout);
    check = () => {
      if (!holds()) return;
      clearTimeout(timer);
      resolve();
    };
  });
  // A condition left unwaited for when the test fails early must not fail it again later.
  reached.catch(() => undefined);
  check();
  return { reached, changed: () => check(), cancel: () => clearTimeout(timer) };
}

/**
 * Delivers as Smile does, again after any non-2xx or failed connection, a bounded number of
 * times, until a 200; counts each answer in `statuses` (`error` for no answer), and calls
 * `onAnswer` after each.
 */
async function deliverUntilAcknowledged(port, raw, signature, statuses, { attempts, pause, onAnswer }) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let status = 'error';
    let answer;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/smile`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'smile-signature': signature },
        body: raw,
        signal: AbortSignal.timeout(5000),
      });
      status = response.status;
      answer = await response.json();
    } catch {
      // No answer: the receiver is unreachable. Smile tries again.
    }
    statuses[status] = (statuses[status] ?? 0) + 1;
    onAnswer?.();
    if (status === 200) return answer;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  throw new Error(`a delivery was never acknowledged in ${attempts} attempts: ${JSON.stringify(statuses)}`);
}

/** Counts each `handled <id>` line a worker prints, into `runs`; calls `changed` after each. */
const countHandled = (worker, runs, changed) =>
  worker.onLine((line) => {
    if (!line.startsWith('handled ')) return;
    const id = line.slice('handled '.length);
    runs.set(id, (runs.get(id) ?? 0) + 1);
    changed();
  });

describe('the inbox across a Redis restart, with AOF fsynced at every write', () => {
  const EVENTS = 600;
  let dir;
  after(() => dir && rm(dir, { recursive: true, force: true }));

  test(
    'deliveries while Redis is down get a 5xx; nothing answered 200 is lost; everything completes once it is back',
    { timeout: 120_000 },
    async (t) => {
      dir = await mkdtemp(join(tmpdir(), 'wink-widget-redis-'));
      let redis = await startRedis({ aofDir: dir });
      const env = { REDIS_URL: redis.url, WEBHOOK_SECRET: secret, QUEUE: 'inbox-restart' };
      const processes = [];
      const conditions = [];
      try {
        const receiver = await startInboxProcess({ ...env, ROLE: 'receiver' });
        processes.push(receiver);
        const runs = new Map();
        const acknowledged = new Set();
        const statuses = {};
        const refused = () =>
          Object.keys(statuses).reduce((sum, status) => sum + (status >= 500 ? statuses[status] : 0), 0);

        const ids = Array.from({ length: EVENTS }, (_, index) => `evt_restart_${index}`);
        const signed = await Promise.all(
          ids.map(async (id) => {
            const raw = body(id);
            return [id, raw, await signWebhook(raw, secret)];
          }),
        );
        const allHandled = condition(() => ids.every((id) => runs.has(id)), 'every event handled', 60_000);
        const third = condition(() => acknowledged.size >= EVENTS / 3, 'a third acknowledged', 30_000);
        const refusals = condition(() => refused() >= 5, 'five 5xx answers while Redis was down', 30_000);
        conditions.push(allHandled, third, refusals);

        // Eight deliveries in flight, as Smile sends them, while Redis goes down and comes back.
        let next = 0;
        const sender = async () => {
          while (next < signed.length) {
            const [id, raw, signature] = signed[next++];
            const answer = await deliverUntilAcknowledged(receiver.port, raw, signature, statuses, {
              attempts: 400,
              pause: 50,
              onAnswer: refusals.changed,
            });
            assert.ok(answer.queued || answer.duplicate, JSON.stringify(answer));
            acknowledged.add(id);
            third.changed();
          }
        };
        const senders = Promise.all(Array.from({ length: 8 }, sender));
        await third.reached;
        await redis.kill();
        const acknowledgedBeforeRestart = acknowledged.size;
        await refusals.reached;
        redis = await startRedis({ port: redis.port, aofDir: dir });
        await senders;
        // Only now a worker: every job acknowledged before the crash exists only in what Redis
        // wrote to its append-only file.
        const worker = await startInboxProcess({ ...env, ROLE: 'worker', CONCURRENCY: '8' });
        processes.push(worker);
        countHandled(worker, runs, allHandled.changed);
        await allHandled.reached;

        assert.equal(acknowledged.size, EVENTS, 'every event was acknowledged in the end');
        assert.ok(refused() >= 5, `deliveries during the restart were refused with a 5xx: ${JSON.stringify(statuses)}`);
        const lost = ids.filter((id) => !runs.has(id));
        assert.deepEqual(lost, [], 'no event answered 200 was lost');
        const again = [...runs.values()].filter((count) => count > 1).length;
        t.diagnostic(
          `${acknowledgedBeforeRestart} acknowledged before Redis was killed with kill -9; answers ${JSON.stringify(statuses)}; ${EVENTS} handled by the worker started after the restart, ${again} of them more than once`,
        );
      } finally {
        for (const waiting of conditions) waiting.cancel();
        await Promise.all(processes.map((child) => child.kill()));
        await redis.stop();
      }
    },
  );
});

describe('the inbox under load: four receivers and two workers on one Redis', () => {
  const EVENTS = 5000;

  test(
    '10,000 deliveries of 5,000 events, with concurrent duplicates: every event completes exactly once',
    { timeout: 150_000 },
    async (t) => {
      const redis = await startRedis();
      const env = { REDIS_URL: redis.url, WEBHOOK_SECRET: secret, QUEUE: 'inbox-load' };
      const processes = [];
      let allHandled;
      const queue = new Queue(env.QUEUE, { connection: { host: '127.0.0.1', port: redis.port } });
      try {
        const receivers = await Promise.all(
          Array.from({ length: 4 }, () => startInboxProcess({ ...env, ROLE: 'receiver' })),
        );
        processes.push(...receivers);
        // BullMQ's own lock duration: no worker dies here, so none of its jobs may run twice.
        const workers = await Promise.all(
          Array.from({ length: 2 }, () =>
            startInboxProcess({ ...env, ROLE: 'worker', CONCURRENCY: '16', LOCK_MS: '30000' }),
          ),
        );
        processes.push(...workers);
        const runs = new Map();
        const ids = Array.from({ length: EVENTS }, (_, index) => `evt_inbox_load_${index}`);
        allHandled = condition(() => runs.size === EVENTS, 'every event handled', 120_000);
        for (const worker of workers) countHandled(worker, runs, allHandled.changed);

        const signed = await Promise.all(
          ids.map(async (id) => {
            const raw = body(id);
            return [raw, await signWebhook(raw, secret)];
          }),
        );
        const statuses = {};
        const answers = { queued: 0, duplicate: 0 };
        const send = async (port, [raw, signature]) => {
          const answer = await deliverUntilAcknowledged(port, raw, signature, statuses, { attempts: 40, pause: 20 });
          answers[answer.queued ? 'queued' : 'duplicate']++;
        };
        const started = performance.now();
        // 32 events in flight; each is delivered twice, to two receivers: every third event with
        // both deliveries at the same moment, the others one after the other.
        let next = 0;
        const sender = async () => {
          while (next < EVENTS) {
            const index = next++;
            const [a, b] = [receivers[index % 4].port, receivers[(index + 1) % 4].port];
            if (index % 3 === 0) await Promise.all([send(a, signed[index]), send(b, signed[index])]);
            else {
              await send(a, signed[index]);
              await send(b, signed[index]);
            }
          }
        };
        await Promise.all(Array.from({ length: 32 }, sender));
        const delivered = (performance.now() - started) / 1000;
        await allHandled.reached;
        const completed = (performance.now() - started) / 1000;

        assert.equal(answers.queued + answers.duplicate, EVENTS * 2, 'every delivery was acknowledged');
        assert.ok(answers.queued <= EVENTS, `no event was queued twice: ${JSON.stringify(answers)}`);
        assert.deepEqual(new Set(runs.keys()), new Set(ids));
        assert.deepEqual(
          [...runs].filter(([, count]) => count !== 1),
          [],
          'each event handled exactly once',
        );
        assert.deepEqual(await queue.getJobCounts('completed', 'failed', 'waiting', 'active'), {
          completed: EVENTS,
          failed: 0,
          waiting: 0,
          active: 0,
        });
        // Both workers took jobs. A worker's line comes through its stdout, the completions through
        // Redis, so the line is waited for (bounded) rather than read at once.
        await Promise.all(workers.map((worker) => worker.until(/^handled /)));
        t.diagnostic(
          `${EVENTS * 2} deliveries acknowledged in ${delivered.toFixed(2)} s (${Math.round((EVENTS * 2) / delivered)} deliveries/s); all ${EVENTS} events completed ${completed.toFixed(2)} s after the first delivery (${Math.round(EVENTS / completed)} events/s); answers ${JSON.stringify(answers)}, statuses ${JSON.stringify(statuses)}`,
        );
      } finally {
        allHandled?.cancel();
        await queue.close();
        await Promise.all(processes.map((child) => child.kill()));
        await redis.stop();
      }
    },
  );
});
