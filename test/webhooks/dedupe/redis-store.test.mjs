// The webhook receiver across several instances, on a real Redis (Debian's redis-server on a
// loopback port, started here): the store's atomic steps with both clients, a bounded load test
// of four receiver processes, and a receiver killed while handling.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { redisWebhookStore, signWebhook } from '../../../dist/webhooks/index.js';
import { followOutput } from '../../support/child-output.mjs';
import { pollUntil } from '../../support/event-pages.mjs';
import { startRedis } from '../../support/redis-server.mjs';

const secret = 'whsec_redis_load';
const RECEIVER = fileURLToPath(new URL('../../fixtures/webhook-receiver.mjs', import.meta.url));

let redis;
let nodeRedis;
let ioRedis;
before(async () => {
  redis = await startRedis();
  nodeRedis = await createClient({ url: redis.url }).connect();
  ioRedis = new Redis(redis.url);
});
after(async () => {
  await nodeRedis?.quit();
  ioRedis?.disconnect();
  await redis?.stop();
});

const body = (id) =>
  JSON.stringify({
    id,
    version: 1,
    type: 'ACCOUNT_CONNECTED',
    createdAt: new Date().toISOString(),
    data: { userId: 'usr_1', accountId: `acc_${id}`, loginName: 'login', providers: ['northwind'] },
  });
const sign = (raw) => signWebhook(raw, secret);

/** One receiver process; `lines()` is what it printed, `until(line)` waits for a line (bounded). */
async function startReceiver(env) {
  const child = spawn(process.execPath, [RECEIVER], {
    env: { ...process.env, REDIS_URL: redis.url, WEBHOOK_SECRET: secret, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = followOutput(child);
  const lines = () => output.text().split('\n');
  const until = async (match) => {
    await output.printed((text) => text.split('\n').some((line) => match.test(line)), `line matching ${match}`);
    return lines().find((line) => match.test(line));
  };
  // 'close' comes after the last of its output has been read.
  const stopped = new Promise((resolve) => child.once('close', resolve));
  const kill = () => (child.kill('SIGKILL'), stopped);
  // One that never comes up is not left running.
  const port = Number(
    (await until(/^listening \d+$/).catch(async (error) => (await kill(), Promise.reject(error)))).split(' ')[1],
  );
  return { port, lines, until, kill };
}

/** POSTs a signed delivery of event `id`; resolves with the status and JSON answer. */
async function deliver(port, id) {
  const raw = body(id);
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/smile`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'smile-signature': await sign(raw) },
    body: raw,
  });
  return { status: response.status, answer: await response.json() };
}

for (const [name, client] of [
  ['redis (node-redis)', () => nodeRedis],
  ['ioredis', () => ioRedis],
]) {
  describe(`redisWebhookStore with ${name}`, () => {
    const prefix = `test:${name.replace(/\W/g, '')}:`;
    const store = () => redisWebhookStore({ client: client(), prefix });

    test('claims an id once; a second claim is busy; once done, it is done', async () => {
      const first = await store().claim('evt_a', 10000);
      assert.equal(first.status, 'claimed');
      assert.deepEqual(await store().claim('evt_a', 10000), { status: 'busy' });
      await store().complete('evt_a', first.token, 60000);
      assert.deepEqual(await store().claim('evt_a', 10000), { status: 'done' });
      const ttl = await ioRedis.pttl(`${prefix}evt_a`);
      assert.ok(ttl > 50000 && ttl <= 60000, `done TTL ${ttl}`);
    });

    test('release lets a retry claim the id, but only the holder can release it', async () => {
      const first = await store().claim('evt_b', 10000);
      await store().release('evt_b', 'someone-else');
      assert.deepEqual(await store().claim('evt_b', 10000), { status: 'busy' });
      await store().release('evt_b', first.token);
      assert.equal((await store().claim('evt_b', 10000)).status, 'claimed');
    });

    test('a claim expires after its lease', async () => {
      assert.equal((await store().claim('evt_c', 200)).status, 'claimed');
      const ttl = await ioRedis.pttl(`${prefix}evt_c`);
      assert.ok(ttl > 0 && ttl <= 200, `lease ${ttl}`);
    });

    test('of 20 simultaneous claims of one id, exactly one wins', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, () => store().claim('evt_d', 10000)));
      assert.equal(claims.filter((claim) => claim.status === 'claimed').length, 1);
      assert.equal(claims.filter((claim) => claim.status === 'busy').length, 19);
    });

    test('a handled id: of 20 simultaneous claims one takes its publish; its lease ends, the mark keeps its TTL', async () => {
      const first = await store().claim('evt_e', 10000);
      await store().handled('evt_e', 'someone-else', 60000);
      assert.deepEqual(await store().claim('evt_e', 10000), { status: 'busy' }, 'only the holder marks it handled');
      await store().handled('evt_e', first.token, 60000);
      const claims = await Promise.all(Array.from({ length: 20 }, () => store().claim('evt_e', 150)));
      const taken = claims.filter((claim) => claim.status === 'handled');
      assert.equal(taken.length, 1);
      assert.equal(claims.filter((claim) => claim.status === 'busy').length, 19);
      const ttl = await ioRedis.pttl(`${prefix}evt_e`);
      assert.ok(ttl > 50000 && ttl <= 60000, `the handled mark's TTL stays, ${ttl}`);
      // Its holder died: once its lease is over, the next claim takes the publish.
      const next = await pollUntil(
        () => store().claim('evt_e', 10000),
        (claim) => claim.status !== 'busy',
        'the lease over',
      );
      assert.equal(next.status, 'handled');
      await store().release('evt_e', taken[0].token);
      assert.deepEqual(
        await store().claim('evt_e', 10000),
        { status: 'busy' },
        "the stale holder cannot let go of another's publish",
      );
      await store().release('evt_e', next.token);
      const again = await store().claim('evt_e', 10000);
      assert.equal(again.status, 'handled', 'let go, it stays handled');
      await store().complete('evt_e', again.token, 60000);
      assert.deepEqual(await store().claim('evt_e', 10000), { status: 'done' });
    });
  });
}

describe('four receivers sharing one Redis', () => {
  const EVENTS = 5000;
  const MAX_ATTEMPTS = 40;

  test(
    '10,000 deliveries of 5,000 events: each event handled exactly once, none lost',
    { timeout: 120000 },
    async (t) => {
      // Two instances on node-redis, two on ioredis; every tenth event's first try fails.
      const receivers = await Promise.all(
        ['redis', 'redis', 'ioredis', 'ioredis'].map((CLIENT) => startReceiver({ CLIENT, FAIL_FIRST: '0$' })),
      );
      try {
        const ids = Array.from({ length: EVENTS }, (_, index) => `evt_load_${index}`);
        const statuses = {};
        /** Delivers as Smile does: again after any non-2xx, bounded, until it is acknowledged. */
        const deliverUntilAcknowledged = async (port, id) => {
          for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            const { status } = await deliver(port, id);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 200) return;
            await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
          }
          throw new Error(`${id} was never acknowledged in ${MAX_ATTEMPTS} attempts`);
        };
        const started = performance.now();
        // 32 events in flight at once. Every event is delivered twice, to two different instances:
        // every third one with both deliveries at the same moment, the others one after the other.
        let next = 0;
        const worker = async () => {
          while (next < ids.length) {
            const index = next++;
            const [a, b] = [receivers[index % 4].port, receivers[(index + 1) % 4].port];
            if (index % 3 === 0)
              await Promise.all([deliverUntilAcknowledged(a, ids[index]), deliverUntilAcknowledged(b, ids[index])]);
            else {
              await deliverUntilAcknowledged(a, ids[index]);
              await deliverUntilAcknowledged(b, ids[index]);
            }
          }
        };
        await Promise.all(Array.from({ length: 32 }, worker));
        const seconds = (performance.now() - started) / 1000;
        // Every answer is in; stopping the instances reads the last of what they printed.
        await Promise.all(receivers.map((receiver) => receiver.kill()));

        const handled = receivers.flatMap(({ lines }) =>
          lines()
            .filter((line) => line.startsWith('handled '))
            .map((line) => line.slice(8)),
        );
        assert.equal(handled.length, EVENTS, 'one successful onEvent per event');
        assert.deepEqual(new Set(handled), new Set(ids));
        assert.ok(statuses[500] >= EVENTS / 10, `the failing first tries answered 500: ${JSON.stringify(statuses)}`);
        assert.ok(
          receivers.every(({ lines }) => lines().some((line) => line.startsWith('handled '))),
          'every instance handled events',
        );
        const requests = Object.values(statuses).reduce((sum, count) => sum + count, 0);
        t.diagnostic(
          `${EVENTS * 2} deliveries (${requests} requests with retries) in ${seconds.toFixed(2)} s: ${Math.round((EVENTS * 2) / seconds)} deliveries/s, ${Math.round(EVENTS / seconds)} events/s; answers ${JSON.stringify(statuses)}`,
        );
      } finally {
        await Promise.all(receivers.map((receiver) => receiver.kill()));
      }
    },
  );

  test(
    'a receiver killed while handling: after the lease, the retry is handled by another',
    { timeout: 30000 },
    async () => {
      const LEASE_MS = 1000;
      const doomed = await startReceiver({ CLIENT: 'redis', LEASE_MS: String(LEASE_MS), HANG_ID: 'evt_killed' });
      const survivor = await startReceiver({ CLIENT: 'ioredis', LEASE_MS: String(LEASE_MS) });
      try {
        const first = deliver(doomed.port, 'evt_killed').catch((error) => error);
        await doomed.until(/^handling evt_killed$/);
        await doomed.kill();
        assert.ok((await first) instanceof Error, 'the killed instance never answered');
        // Within the lease the claim still stands: Smile is told to retry later.
        const early = await deliver(survivor.port, 'evt_killed');
        assert.deepEqual(early, { status: 409, answer: { error: 'IN_PROGRESS' } });
        // The claim's key expires with the lease (Redis keeps it no longer, checked on its own clock).
        const deadline = Date.now() + LEASE_MS + 5000;
        while ((await ioRedis.exists('wink-widget:webhook:evt_killed')) === 1) {
          assert.ok(Date.now() < deadline, 'the claim outlived its lease');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.deepEqual(await deliver(survivor.port, 'evt_killed'), { status: 200, answer: { received: true } });
        await survivor.until(/^handled evt_killed$/);
        assert.deepEqual(await deliver(survivor.port, 'evt_killed'), {
          status: 200,
          answer: { received: true, duplicate: true },
        });
      } finally {
        await Promise.all([doomed.kill(), survivor.kill()]);
      }
    },
  );
});
