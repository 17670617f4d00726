// The README's event stream servers, run exactly as written: the one instance, and two instances
// of the Redis one sharing a real redis-server, a page's stream on one and Smile's webhook on the
// other. The page is the package's own client, on Node's EventSource.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { signWebhook } from '../../dist/webhooks/index.js';
import { openPage } from '../support/event-pages.mjs';
import { serveSnippet, snippet } from '../support/readme-snippets.mjs';
import { startRedis } from '../support/redis-server.mjs';

const secret = 'whsec_readme_events';
const session = { SESSION_ID: 'sess-readme-1', SMILE_USER_ID: 'usr-readme-1' };
const env = { SMILE_WEBHOOK_SECRET: secret, ...session };
let sequence = 0;
const webhook = (userId, type = 'TASK_FINISHED') => ({
  id: `et-readme-events-${++sequence}`,
  version: 1,
  type,
  createdAt: new Date().toISOString(),
  data: { userId, sourceId: 'acc-1', status: 'SUCCEEDED', datapoints: ['INCOMES'], loginName: 'not for the page' },
});
async function post(port, event) {
  const body = JSON.stringify(event);
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/smile`, {
    method: 'POST',
    body,
    headers: { 'smile-signature': await signWebhook(body, secret) },
  });
  return [response.status, await response.json()];
}
const pages = [];
// The page's session cookie is `session=<id>`: event-pages sends the fragment's value as it.
const pageOf = (port, options) => {
  const page = openPage(`http://127.0.0.1:${port}/smile/events`, session.SESSION_ID, options);
  pages.push(page);
  return page;
};
after(() => pages.forEach(({ page }) => page.close()));

test("one instance: the page of the session's user hears its events after onEvent, and no one else's; no session is refused", async () => {
  const server = await serveSnippet(await snippet('docs/events.md', '## One instance', 'events-one-instance.mjs'), env);
  try {
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/smile/events`)).status, 401);
    const since = new Date(Date.now() - 1);
    const early = webhook(session.SMILE_USER_ID, 'ACCOUNT_CONNECTED');
    assert.deepEqual(await post(server.port, early), [200, { received: true }]);
    // Subscribed after it arrived: `since` brings it from history.
    const page = pageOf(server.port, { since });
    await page.until(({ heard }) => heard.length === 1, 'the earlier event');
    const other = webhook('usr-someone-else');
    const mine = webhook(session.SMILE_USER_ID);
    assert.deepEqual(await post(server.port, other), [200, { received: true }]);
    assert.deepEqual(await post(server.port, mine), [200, { received: true }]);
    await page.until(({ heard }) => heard.length === 2, 'the next event');
    assert.deepEqual(
      page.heard.map((event) => event.id),
      [early.id, mine.id],
    );
    assert.deepEqual(page.heard[1].data, {
      userId: session.SMILE_USER_ID,
      sourceId: 'acc-1',
      datapoints: ['INCOMES'],
      status: 'SUCCEEDED',
    });
    // onEvent logged each before its 200, and so before the page heard it.
    assert.match(await server.printed(mine.id), new RegExp(`TASK_FINISHED ${mine.id}`));
  } finally {
    await server.stop();
  }
});

test('many instances: a webhook received by one reaches the page on the other, and the page resumes on it after a SIGTERM', async () => {
  const redis = await startRedis();
  const file = await snippet('docs/events.md', '## Many instances: a Redis bus', 'events-redis.mjs');
  const [one, two] = await Promise.all([
    serveSnippet(file, { ...env, REDIS_URL: redis.url }),
    serveSnippet(file, { ...env, REDIS_URL: redis.url }),
  ]);
  try {
    const page = pageOf(one.port, { since: new Date(Date.now() - 1), retryMs: 100 });
    const first = webhook(session.SMILE_USER_ID);
    assert.deepEqual(await post(two.port, first), [200, { received: true }]);
    await page.until(({ heard }) => heard.length === 1, 'the event from the other instance');
    // The same event delivered to the first instance too: a duplicate, not pushed again.
    assert.deepEqual(await post(one.port, first), [200, { received: true, duplicate: true }]);
    // Instance one shuts down as the snippet says: its streams end, and the page, told where it
    // left off, resumes on instance two (here its URL points there, as a balancer would).
    const resumed = pageOf(two.port, { since: page.page.lastEventId });
    await one.stop();
    const second = webhook(session.SMILE_USER_ID);
    assert.deepEqual(await post(two.port, second), [200, { received: true }]);
    await resumed.until(({ heard }) => heard.length === 1, 'the event after the resume');
    assert.deepEqual(
      [...page.heard, ...resumed.heard].map((event) => event.id),
      [first.id, second.id],
    );
    assert.equal(
      (await fetch(`http://127.0.0.1:${two.port}/smile/events`)).status,
      401,
      'still refusing the sessionless',
    );
  } finally {
    await Promise.all([one.stop(), two.stop()]);
    await redis.stop();
  }
});
