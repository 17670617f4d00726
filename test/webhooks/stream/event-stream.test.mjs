// The event stream in one process, on the memory bus: what a page may see and whose events it
// gets, refusals, resume with Last-Event-ID and `since`, resync, publishing only after onEvent,
// and bad input. Real HTTP on loopback, with the package's own browser client on Node's EventSource.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  createEventStream,
  createWebhookHandler,
  memoryEventBus,
  readCursor,
  signWebhook,
  toNodeHandler,
  webhookProcessor,
} from '../../../dist/webhooks/index.js';
import { openPage, pollUntil, rawStream } from '../../support/event-pages.mjs';

const secret = 'whsec_event_stream';
let sequence = 0;
const webhook = (type, data, extra = {}) => ({
  id: `et-stream-${++sequence}`,
  version: 1,
  type,
  createdAt: new Date().toISOString(),
  data,
  ...extra,
});
const session = (request) => /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];

/** A server with the receiver at /webhooks and the stream at /events, on one bus. */
async function startApp({ bus = memoryEventBus(), onEvent = () => {}, streamOptions = {}, authorize } = {}) {
  const errors = [];
  const stream = createEventStream({
    bus,
    authorize:
      authorize ??
      ((request) => {
        const user = session(request);
        return user ? [decodeURIComponent(user)] : null;
      }),
    onError: (error) => errors.push(error),
    ...streamOptions,
  });
  const receive = toNodeHandler(createWebhookHandler({ secret, onEvent, bus, onError: (error) => errors.push(error) }));
  const events = toNodeHandler(stream);
  const server = createServer((request, response) =>
    request.url.startsWith('/events') ? events(request, response) : receive(request, response),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const post = async (event) => {
    const body = JSON.stringify(event);
    const response = await fetch(`${base}/webhooks`, {
      method: 'POST',
      body,
      headers: { 'smile-signature': await signWebhook(body, secret) },
    });
    await response.arrayBuffer();
    return response.status;
  };
  const stop = () => {
    stream.close();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { base, url: `${base}/events`, post, stream, bus, errors, stop };
}

const pages = [];
const open = (...args) => {
  const page = openPage(...args);
  pages.push(page);
  return page;
};
after(() => pages.forEach(({ page }) => page.close()));

describe('the event stream', () => {
  let app;
  before(async () => (app = await startApp()));
  after(() => app.stop());

  test("a page gets its own user's events only, with no personal data by default", async () => {
    const alice = open(app.url, 'usr-alice');
    const bob = open(app.url, 'usr-bob');
    await pollUntil(
      async () => app.stream.connections,
      (count) => count >= 2,
      'two streams open',
    );
    const sent = [
      webhook('ACCOUNT_CONNECTED', {
        userId: 'usr-alice',
        accountId: 'acc-1',
        loginName: 'alice@example.com',
        providers: ['p'],
      }),
      webhook('ACCOUNT_CONNECTED', {
        userId: 'usr-bob',
        accountId: 'acc-2',
        loginName: 'bob@example.com',
        providers: ['p'],
      }),
      webhook('TASK_FINISHED', {
        userId: 'usr-alice',
        sourceId: 'acc-1',
        status: 'SUCCEEDED',
        datapoints: ['INCOMES'],
        payload: { identity: { fullName: 'Alice Example', dob: '1990-01-01' } },
      }),
      webhook('USER_SESSION_COMPLETED', {
        session: { userId: 'usr-alice', channel: 'WinkSite', status: 'COMPLETED' },
        payload: { forms: [] },
      }),
      webhook('VERIFICATION_STARTED', { verificationId: 'ver-1' }),
    ];
    for (const event of sent) assert.equal(await app.post(event), 200);
    await alice.until(({ heard }) => heard.length >= 3, "alice's three events");
    assert.deepEqual(alice.heard, [
      {
        id: sent[0].id,
        type: 'ACCOUNT_CONNECTED',
        createdAt: sent[0].createdAt,
        data: { userId: 'usr-alice', accountId: 'acc-1', providers: ['p'] },
      },
      {
        id: sent[2].id,
        type: 'TASK_FINISHED',
        createdAt: sent[2].createdAt,
        data: { userId: 'usr-alice', sourceId: 'acc-1', datapoints: ['INCOMES'], status: 'SUCCEEDED' },
      },
      {
        id: sent[3].id,
        type: 'USER_SESSION_COMPLETED',
        createdAt: sent[3].createdAt,
        data: { session: { userId: 'usr-alice', channel: 'WinkSite', status: 'COMPLETED' } },
      },
    ]);
    await bob.until(({ heard }) => heard.length >= 1, "bob's event");
    assert.deepEqual(
      bob.heard.map((event) => event.id),
      [sent[1].id],
    );
    // A marker after the rest: had the event with no user been pushed, it would be there before it.
    const marker = webhook('TASK_STARTED', { userId: 'usr-bob', sourceId: 'acc-2' });
    await app.post(marker);
    await bob.until(({ heard }) => heard.length >= 2, "bob's marker");
    assert.deepEqual(
      bob.heard.map((event) => event.id),
      [sent[1].id, marker.id],
    );
    assert.equal(alice.heard.length, 3);
    assert.equal(JSON.stringify([...alice.heard, ...bob.heard]).includes('example.com'), false);
  });

  test('the typed client waits for the TASK_FINISHED of the account just connected', async () => {
    const carol = open(app.url, 'usr-carol');
    await pollUntil(
      async () => app.stream.connections,
      (count) => count >= 3,
      'the stream open',
    );
    const finished = carol.page.waitFor('TASK_FINISHED', (event) => event.data.sourceId === 'acc-9', {
      timeout: 10_000,
    });
    await app.post(webhook('TASK_FINISHED', { userId: 'usr-carol', sourceId: 'acc-8', status: 'SUCCEEDED' }));
    await app.post(
      webhook('TASK_FINISHED', {
        userId: 'usr-carol',
        sourceId: 'acc-9',
        status: 'SUCCEEDED',
        datapoints: ['EMPLOYMENTS'],
      }),
    );
    assert.deepEqual((await finished).data, {
      userId: 'usr-carol',
      sourceId: 'acc-9',
      status: 'SUCCEEDED',
      datapoints: ['EMPLOYMENTS'],
    });
    await assert.rejects(carol.page.waitFor('TASK_FINISHED', undefined, { timeout: 50 }), { code: 'TIMEOUT' });
    const aborted = new AbortController();
    const waiting = carol.page.waitFor('TASK_FINISHED', undefined, { signal: aborted.signal });
    aborted.abort(new Error('left the page'));
    await assert.rejects(waiting, /left the page/);
    const closing = carol.page.waitFor('ACCOUNT_CONNECTED');
    carol.page.close();
    await assert.rejects(closing, { code: 'CLOSED' });
  });

  test('a request without a session is refused with 401, one with no users with 403, and only GET is a stream', async () => {
    const none = await fetch(app.url);
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { error: 'UNAUTHORIZED' });
    const other = await startApp({ authorize: () => [] });
    try {
      const empty = await fetch(other.url);
      assert.equal(empty.status, 403);
      assert.deepEqual(await empty.json(), { error: 'FORBIDDEN' });
    } finally {
      await other.stop();
    }
    const posted = await fetch(app.url, { method: 'POST', headers: { cookie: 'session=usr-alice' } });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.get('allow'), 'GET');
    const throwing = await startApp({
      authorize: () => {
        throw new Error('session store down');
      },
    });
    try {
      const failed = await fetch(throwing.url);
      assert.equal(failed.status, 500);
      assert.match(String(throwing.errors[0]), /session store down/);
    } finally {
      await throwing.stop();
    }
  });

  test('the stream is headed for proxies, and says retry and heartbeats', async () => {
    const beating = await startApp({ streamOptions: { heartbeatMs: 50, retryMs: 1234 } });
    try {
      const { status, headers, text } = await rawStream(beating.url, { cookie: 'session=usr-x' }, (so) =>
        /\n:\n\n[\s\S]*\n:\n\n/.test(so),
      );
      assert.equal(status, 200);
      assert.equal(headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(headers.get('cache-control'), 'no-store, no-transform');
      assert.equal(headers.get('x-accel-buffering'), 'no');
      assert.match(text, /^retry: 1234\n\n/);
      assert.equal(text.split('\n:\n\n').length >= 3, true, text);
    } finally {
      await beating.stop();
    }
  });
});

describe('ending streams', () => {
  test('endStreams() ends every open stream and takes new ones; close() answers new ones 503 SHUTTING_DOWN', async () => {
    const app = await startApp();
    try {
      const first = await fetch(app.url, { headers: { cookie: 'session=usr-end' } });
      assert.equal(first.status, 200);
      const reader = first.body.getReader();
      await reader.read();
      assert.equal(app.stream.connections, 1);
      app.stream.endStreams();
      assert.equal(app.stream.connections, 0);
      // The ended stream ends for its client too.
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
      const again = await rawStream(app.url, { cookie: 'session=usr-end' }, (text) => text.startsWith('retry:'));
      assert.equal(again.status, 200, 'endStreams() leaves the stream open to new pages');
      const open = await fetch(app.url, { headers: { cookie: 'session=usr-end' } });
      assert.equal(open.status, 200);
      await open.body.getReader().read();
      app.stream.close();
      assert.equal(app.stream.connections, 0);
      const refused = await fetch(app.url, { headers: { cookie: 'session=usr-end' } });
      assert.equal(refused.status, 503);
      assert.deepEqual(await refused.json(), { error: 'SHUTTING_DOWN' });
      assert.equal(refused.headers.get('connection'), 'close');
      assert.equal(refused.headers.get('retry-after'), '1');
    } finally {
      await app.stop();
    }
  });
});

describe('resuming', () => {
  test('a reconnect with Last-Event-ID gets exactly the events it missed, and `since` a time gets those since then', async () => {
    const app = await startApp();
    try {
      const before = new Date(Date.now() - 1).toISOString();
      const sent = [];
      for (let index = 0; index < 6; index++) {
        const event = webhook('TASK_STARTED', { userId: index % 2 ? 'usr-dan' : 'usr-eve', sourceId: `s${index}` });
        sent.push(event);
        assert.equal(await app.post(event), 200);
      }
      const dans = sent.filter((event) => event.data.userId === 'usr-dan');
      // The page that subscribes after the events still gets them.
      const late = open(app.url, 'usr-dan', { since: new Date(before) });
      await late.until(({ heard }) => heard.length >= 3, 'the events since');
      assert.deepEqual(
        late.heard.map((event) => event.id),
        dans.map((event) => event.id),
      );
      // Last-Event-ID after the first: the two after it, nothing before.
      const { status, text } = await rawStream(
        app.url,
        { cookie: 'session=usr-dan', 'last-event-id': late.page.lastEventId },
        () => false,
        300,
      );
      assert.equal(status, 200, text);
      assert.match(text, /^retry: 2000\n\n/, 'a stream, not a refusal');
      assert.equal(text.includes('data:'), false, 'nothing after the last one heard');
      const first = await rawStream(
        app.url,
        { cookie: 'session=usr-dan', 'last-event-id': (await streamIds(app.url, 'usr-dan', before))[0] },
        (so) => so.split('data:').length > 2,
      );
      assert.deepEqual(
        [...first.text.matchAll(/"id":"(et-[^"]+)"/g)].map((match) => match[1]),
        dans.slice(1).map((event) => event.id),
      );
      late.page.close();
    } finally {
      await app.stop();
    }
  });

  test('history that no longer reaches back says resync, as does a garbled or huge Last-Event-ID; a `since` in the future misses nothing', async () => {
    const app = await startApp({ bus: memoryEventBus({ maxEvents: 3 }) });
    try {
      const before = new Date(Date.now() - 1).toISOString();
      for (let index = 0; index < 5; index++)
        await app.post(webhook('TASK_STARTED', { userId: 'usr-fay', sourceId: `s${index}` }));
      const trimmed = open(app.url, 'usr-fay', { since: before });
      await trimmed.until(({ resyncs }) => resyncs.length === 1, 'a resync');
      assert.deepEqual(trimmed.resyncs, [{ reason: 'history' }]);
      assert.deepEqual(trimmed.heard, []);
      // After the resync the page goes on live from where it is.
      const next = webhook('TASK_FINISHED', { userId: 'usr-fay', sourceId: 's5', status: 'SUCCEEDED' });
      await app.post(next);
      await trimmed.until(({ heard }) => heard.length === 1, 'the next event');
      assert.equal(trimmed.heard[0].id, next.id);
      trimmed.page.close();

      // Past Node's own header limit a request is refused with 431 before it reaches the stream.
      const huge = await fetch(app.url, {
        headers: { cookie: 'session=usr-fay', 'last-event-id': 'x'.repeat(100_000) },
      });
      assert.equal(huge.status, 431);
      for (const garbage of ['x'.repeat(10_000), 'not-an-id', '99999999999999999999999', '-5', '1e9']) {
        const { status, text } = await rawStream(
          app.url,
          { cookie: 'session=usr-fay', 'last-event-id': garbage },
          (so) => so.includes('event: resync'),
        );
        assert.equal(status, 200, garbage.slice(0, 20));
        assert.match(text, /event: resync\ndata: \{"reason":"cursor"\}/, garbage.slice(0, 20));
        assert.equal(text.includes('"type"'), false);
      }

      const future = open(app.url, 'usr-fay', { since: new Date(Date.now() + 24 * 3600_000) });
      const forgedId = open(app.url, 'usr-fay', { since: String(Number.MAX_SAFE_INTEGER) });
      await pollUntil(
        async () => app.stream.connections,
        (count) => count >= 2,
        'both open',
      );
      const live = webhook('TASK_STARTED', { userId: 'usr-fay', sourceId: 's6' });
      await app.post(live);
      await future.until(({ heard }) => heard.length === 1, 'the live event, after a future since');
      await forgedId.until(({ heard }) => heard.length === 1, 'the live event, after an id from the future');
      assert.equal(future.heard[0].id, live.id);
      assert.equal(forgedId.heard[0].id, live.id);
      assert.deepEqual([...future.resyncs, ...forgedId.resyncs], []);
    } finally {
      await app.stop();
    }
  });

  test('a forged Last-Event-ID or since cannot reach another user', async () => {
    const app = await startApp();
    try {
      const before = new Date(Date.now() - 1).toISOString();
      await app.post(webhook('TASK_FINISHED', { userId: 'usr-gus', sourceId: 'secret-source', status: 'SUCCEEDED' }));
      for (const headers of [{ 'last-event-id': '1' }, {}]) {
        const { status, text } = await rawStream(
          `${app.url}?since=${encodeURIComponent(before)}`,
          { cookie: 'session=usr-hal', ...headers },
          () => false,
          300,
        );
        assert.equal(status, 200, text);
        assert.match(text, /^retry: 2000\n\n/, 'a stream, not a refusal');
        assert.equal(text.includes('secret-source'), false);
      }
      const { text } = await rawStream(
        `${app.url}?since=${encodeURIComponent(before)}`,
        { cookie: 'session=usr-gus' },
        (so) => so.includes('secret-source'),
      );
      assert.equal(text.includes('secret-source'), true, 'the owner gets it');
    } finally {
      await app.stop();
    }
  });

  test('readCursor takes an id, or an ISO time as `since` only, and nothing else', () => {
    assert.equal(readCursor('123', null), 123);
    assert.equal(readCursor(null, '2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z') * 1000 - 1);
    assert.equal(readCursor(null, null), undefined);
    assert.equal(readCursor('', null), undefined);
    assert.ok(Number.isNaN(readCursor('2026-01-01T00:00:00Z', null)));
    assert.ok(Number.isNaN(readCursor(null, 'tomorrow')));
    assert.ok(Number.isNaN(readCursor(null, '9'.repeat(41))));
    assert.ok(Number.isNaN(readCursor('9'.repeat(20), null)));
  });
});

describe('publishing', () => {
  test('an event reaches the stream only once onEvent has finished with it', async () => {
    let finish;
    const handled = [];
    const app = await startApp({
      onEvent: (event) =>
        new Promise((resolve) => {
          finish = () => {
            finish = undefined;
            handled.push(event.id);
            resolve();
          };
        }),
    });
    try {
      const page = open(app.url, 'usr-ida');
      await pollUntil(
        async () => app.stream.connections,
        (count) => count >= 1,
        'the stream open',
      );
      const event = webhook('TASK_FINISHED', { userId: 'usr-ida', sourceId: 's', status: 'SUCCEEDED' });
      const posting = app.post(event);
      await pollUntil(async () => finish, Boolean, 'onEvent called');
      const heardFirst = page.page.waitFor('TASK_FINISHED').then(() => handled.length);
      finish();
      assert.equal(await posting, 200);
      assert.equal(await heardFirst, 1, 'heard after onEvent resolved');
      // A retry of the event, a duplicate by now, is not pushed again.
      assert.equal(await app.post(event), 200);
      const marker = webhook('TASK_STARTED', { userId: 'usr-ida', sourceId: 'm' });
      const posted = app.post(marker);
      await pollUntil(async () => finish, Boolean, 'onEvent called');
      finish();
      await posted;
      await page.until(({ heard }) => heard.length >= 2, 'the marker');
      assert.deepEqual(
        page.heard.map((heard) => heard.id),
        [event.id, marker.id],
      );
    } finally {
      await app.stop();
    }
  });

  test('an event onEvent fails on is not pushed, and the worker publishes after its onEvent', async () => {
    const bus = memoryEventBus();
    const app = await startApp({
      bus,
      onEvent: (event) => {
        if (event.data.sourceId === 'fails') throw new Error('down');
      },
    });
    try {
      const page = open(app.url, 'usr-jo');
      await pollUntil(
        async () => app.stream.connections,
        (count) => count >= 1,
        'the stream open',
      );
      assert.equal(await app.post(webhook('TASK_FINISHED', { userId: 'usr-jo', sourceId: 'fails' })), 500);
      const order = [];
      const process = webhookProcessor(async () => order.push('onEvent'), { bus });
      const queued = webhook('TASK_FINISHED', { userId: 'usr-jo', sourceId: 'queued' });
      page.page.addEventListener('TASK_FINISHED', () => order.push('heard'));
      await process({ data: { event: queued, delivery: 'd' } });
      await page.until(({ heard }) => heard.length >= 1, 'the worker-published event');
      assert.deepEqual(
        page.heard.map((heard) => heard.data.sourceId),
        ['queued'],
      );
      assert.deepEqual(order, ['onEvent', 'heard']);
      // A bus that fails is told, and fails neither the receiver's answer nor the job.
      const broken = { ...bus, publish: () => Promise.reject(new Error('bus down')) };
      const told = [];
      await webhookProcessor(() => {}, { bus: broken, onError: (error) => told.push(error.message) })({
        data: { event: queued, delivery: 'd' },
      });
      assert.deepEqual(told, ['bus down']);
      const brokenApp = await startApp({ bus: broken });
      try {
        assert.equal(await brokenApp.post(webhook('TASK_STARTED', { userId: 'usr-jo' })), 200);
        await pollUntil(
          async () => brokenApp.errors.length,
          (count) => count >= 1,
          'the failure told',
        );
        assert.match(String(brokenApp.errors[0]), /bus down/);
      } finally {
        await brokenApp.stop();
      }
      assert.throws(() => createWebhookHandler({ secret, queue: { add() {}, getJob() {} }, bus }), /webhookProcessor/);
    } finally {
      await app.stop();
    }
  });

  test('route sends an event with no user where it says', async () => {
    const bus = memoryEventBus({
      route: (event) => event.data.userId ?? (event.data.verificationId ? ['usr-kim', 'usr-kim', ''] : undefined),
    });
    const app = await startApp({ bus });
    try {
      const page = open(app.url, 'usr-kim');
      await pollUntil(
        async () => app.stream.connections,
        (count) => count >= 1,
        'the stream open',
      );
      await app.post(webhook('VERIFICATION_STARTED', { verificationId: 'ver-2' }));
      await page.until(({ heard }) => heard.length >= 1, 'the routed event');
      assert.deepEqual(page.heard[0].data, { verificationId: 'ver-2' });
    } finally {
      await app.stop();
    }
  });
});

describe('bad input', () => {
  test('thousands of connects and disconnects leave no stream open, and the stream still works', async () => {
    const app = await startApp();
    try {
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          Array.from({ length: 100 }, async (_, index) => {
            const controller = new AbortController();
            const response = await fetch(app.url, {
              headers: { cookie: `session=usr-${index % 7}` },
              signal: controller.signal,
            });
            // Half leave before reading anything, half after the first bytes.
            if (index % 2) await response.body.getReader().read();
            controller.abort();
          }),
        );
      }
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 0,
        'every stream closed',
      );
      const page = open(app.url, 'usr-3');
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 1,
        'one stream',
      );
      await app.post(webhook('TASK_STARTED', { userId: 'usr-3' }));
      await page.until(({ heard }) => heard.length === 1, 'an event after all that');
    } finally {
      await app.stop();
    }
  });

  test('a client that stops reading is ended once its queue is full, and resumes with nothing lost', async () => {
    const app = await startApp({ streamOptions: { maxQueuedBytes: 64 * 1024 } });
    try {
      const controller = new AbortController();
      const response = await fetch(app.url, { headers: { cookie: 'session=usr-slow' }, signal: controller.signal });
      assert.equal(response.status, 200);
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 1,
        'the stream open',
      );
      const big = 'x'.repeat(2000);
      // Never read: the socket fills, then the stream's queue, and the server ends it.
      for (let index = 0; index < 20_000 && app.stream.connections > 0; index++) {
        await app.bus.publish(webhook('TASK_STARTED', { userId: 'usr-slow', sourceId: `${index}-${big}` }));
      }
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 0,
        'the slow stream ended',
      );
      controller.abort();
    } finally {
      await app.stop();
    }
  });
});

/** The SSE ids a fresh stream of `user` since `since` sends. */
async function streamIds(url, user, since) {
  const { text } = await rawStream(
    `${url}?since=${encodeURIComponent(since)}`,
    { cookie: `session=${user}` },
    (so) => so.split('data:').length > 3,
  );
  return [...text.matchAll(/^id: (\d+)$/gm)].map((match) => match[1]);
}
