// The event stream's latency for `npm run bench`: from a webhook's 200 to its arrival at the page.
// Two instance processes (test/fixtures/events-instance.mjs) on one redis-server on loopback,
// 200 pages (the package's client, on Node's EventSource) spread over both, and webhooks sent to
// both receivers in turn, 20 at a time, each to the page of its user on the other instance.
import { fileURLToPath } from 'node:url';
import { signWebhook } from '../dist/webhooks/index.js';
import { openPage } from '../test/support/event-pages.mjs';
import { startInboxProcess } from '../test/support/inbox-process.mjs';
import { startRedis } from '../test/support/redis-server.mjs';

const INSTANCE = fileURLToPath(new URL('../test/fixtures/events-instance.mjs', import.meta.url));
const secret = 'whsec_bench_events';
const PAGES = 200;
const AT_ONCE = 20;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Resolves with the latencies' p50, p99 and max in ms, and the counts. */
export async function benchEventLatency(events = 4000) {
  const redis = await startRedis();
  const instances = await Promise.all(
    ['bench-one', 'bench-two'].map((name) =>
      startInboxProcess({ REDIS_URL: redis.url, WEBHOOK_SECRET: secret, NAME: name }, INSTANCE),
    ),
  );
  const arrived = new Map();
  const pages = Array.from({ length: PAGES }, (_, index) => {
    // From just before now: the warm-up event comes from history if it beats the connection.
    const page = openPage(`http://127.0.0.1:${instances[index % 2].port}/events`, `usr-bench-${index}`, {
      since: new Date(Date.now() - 1),
    });
    page.page.addEventListener('webhook', ({ detail }) => arrived.set(detail.id, performance.now()));
    return page;
  });
  try {
    // Every page connected: one event each, until each has heard it.
    await Promise.all(pages.map((page, index) => send(instances[(index + 1) % 2].port, page.user, `warm-${index}`)));
    await Promise.all(pages.map((page) => page.until(({ heard }) => heard.length >= 1, 'the warm-up event', 30_000)));
    const answered = new Map();
    for (let start = 0; start < events; start += AT_ONCE) {
      await Promise.all(
        Array.from({ length: AT_ONCE }, async (_, offset) => {
          const index = start + offset;
          const page = pages[index % PAGES];
          // Sent to the instance that does not hold the page: the bus carries it across.
          const port = instances[(index % PAGES) % 2 === 0 ? 1 : 0].port;
          const id = await send(port, page.user, `bench-${index}`);
          answered.set(id, performance.now());
        }),
      );
    }
    const total = events + PAGES;
    await Promise.all(
      pages.map((page) => page.until(({ heard }) => heard.length >= total / PAGES, 'every event', 60_000)),
    );
    const latencies = [...answered].map(([id, at]) => arrived.get(id) - at).sort((a, b) => a - b);
    return {
      events,
      pages: PAGES,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      beforeAnswer: latencies.filter((latency) => latency < 0).length,
    };
  } finally {
    for (const { page } of pages) page.close();
    await Promise.all(instances.map((instance) => instance.kill()));
    await redis.stop();
  }
}

async function send(port, userId, suffix) {
  const id = `et-bench-${suffix}`;
  const body = JSON.stringify({
    id,
    version: 1,
    type: 'TASK_FINISHED',
    createdAt: new Date().toISOString(),
    data: { userId, sourceId: 'acc', status: 'SUCCEEDED', datapoints: ['INCOMES'] },
  });
  const response = await fetch(`http://127.0.0.1:${port}/webhooks`, {
    method: 'POST',
    body,
    headers: { 'smile-signature': await signWebhook(body, secret) },
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${id} answered ${response.status}`);
  return id;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await benchEventLatency());
}
