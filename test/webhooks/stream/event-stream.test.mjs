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
import { allOpen, openPage, pollUntil, rawStream } from '../../support/event-pages.mjs';

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
    await allOpen([alice, bob]);
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
    await allOpen([carol]);
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

describe('bounds, lifetimes and logouts', () => {
  /** Opens a raw stream of `user` and reads its first bytes; its `cancel()` leaves. */
  async function openRaw(url, user, headers = {}) {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { cookie: `session=${user}`, ...headers },
      signal: controller.signal,
    });
    if (response.status === 200) await response.body.getReader().read();
    return { response, cancel: () => controller.abort() };
  }

  test('maxStreamsPerUser and maxStreams: one stream more is 429 TOO_MANY_STREAMS', async () => {
    const app = await startApp({ streamOptions: { maxStreamsPerUser: 2, maxStreams: 3 } });
    const open = [];
    try {
      open.push(await openRaw(app.url, 'usr-many'), await openRaw(app.url, 'usr-many'));
      const third = await openRaw(app.url, 'usr-many');
      assert.equal(third.response.status, 429);
      assert.deepEqual(await third.response.json(), { error: 'TOO_MANY_STREAMS' });
      assert.equal(third.response.headers.get('retry-after'), '2');
      // Another user still gets one; then the instance is full for everyone.
      open.push(await openRaw(app.url, 'usr-other'));
      assert.equal(open.at(-1).response.status, 200);
      assert.equal((await openRaw(app.url, 'usr-third')).response.status, 429);
      // A stream that leaves gives its place back.
      open.shift().cancel();
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 2,
        'a stream gone',
      );
      const again = await openRaw(app.url, 'usr-many');
      open.push(again);
      assert.equal(again.response.status, 200);
    } finally {
      for (const stream of open) stream.cancel();
      await app.stop();
    }
  });

  test('maxStreamMs ends a stream, whose page reconnects authorized again and misses nothing', async () => {
    let authorized = 0;
    const app = await startApp({
      streamOptions: { maxStreamMs: 300, heartbeatMs: 25, retryMs: 50 },
      authorize: (request) => {
        const user = session(request);
        if (!user) return null;
        authorized++;
        return [user];
      },
    });
    try {
      const page = open(app.url, 'usr-lifetime');
      await pollUntil(
        async () => authorized,
        (count) => count >= 2,
        'the page authorized again after its stream ended',
        10_000,
      );
      const event = webhook('TASK_STARTED', { userId: 'usr-lifetime', sourceId: 'after-the-end' });
      assert.equal(await app.post(event), 200);
      await page.until(({ heard }) => heard.some((heard_) => heard_.id === event.id), 'the event after a reconnect');
      assert.equal(page.heard.filter((heard_) => heard_.id === event.id).length, 1);
      page.page.close();
    } finally {
      await app.stop();
    }
  });

  test('endStreamsFor(user) ends that user’s streams only, and says how many', async () => {
    const app = await startApp();
    const open = [];
    try {
      open.push(
        await openRaw(app.url, 'usr-logout'),
        await openRaw(app.url, 'usr-logout'),
        await openRaw(app.url, 'usr-stays'),
      );
      assert.equal(app.stream.connections, 3);
      assert.equal(app.stream.endStreamsFor('usr-logout'), 2);
      assert.equal(app.stream.connections, 1);
      assert.equal(app.stream.endStreamsFor('usr-nobody'), 0);
      assert.equal(app.stream.connections, 1);
    } finally {
      for (const stream of open) stream.cancel();
      await app.stop();
    }
  });
});

describe('what a stream tells of others', () => {
  test('a resync carries the bus’s clock, never its newest id: nothing of other users’ events', async () => {
    // A bus whose newest id is another user's event, far from the clock.
    const real = memoryEventBus();
    const bus = {
      ...real,
      history: async (users, after) => ({ ...(await real.history(users, after)), head: 987654321987654 }),
    };
    const app = await startApp({ bus });
    try {
      const before = Date.now() * 1000;
      const { status, text } = await rawStream(
        app.url,
        { cookie: 'session=usr-quiet', 'last-event-id': 'garbage' },
        (so) => so.includes('event: resync'),
      );
      assert.equal(status, 200);
      const id = Number(text.match(/id: (\d+)\nevent: resync/)[1]);
      assert.notEqual(id, 987654321987654);
      assert.ok(id >= before - 1 && id <= Date.now() * 1000, `the resync id ${id} is the clock's`);
    } finally {
      await app.stop();
    }
  });

  test('the memory bus’s resume point is its clock, whatever other users published', async () => {
    const bus = memoryEventBus();
    const empty = await bus.history(['usr-a'], 0);
    for (let index = 0; index < 50; index++) await bus.publish(webhook('TASK_STARTED', { userId: 'usr-b' }));
    const after = await bus.history(['usr-a'], 0);
    assert.ok(after.head > empty.head, 'the head moved with usr-b’s events');
    assert.ok(
      after.resume >= empty.resume && after.resume <= Date.now() * 1000,
      'the resume point only moved with the clock',
    );
    // Every id published from then on is above it.
    await bus.publish(webhook('TASK_STARTED', { userId: 'usr-a' }));
    const [entry] = (await bus.history(['usr-a'], after.resume)).entries;
    assert.ok(entry.id > after.resume);
  });
});

describe('other sites', () => {
  test('a cross-site request is refused 403 unless its Origin is listed; a listed one gets exact CORS with credentials', async () => {
    const app = await startApp({ streamOptions: { allowedOrigins: ['https://app.example'] } });
    try {
      const headersOf = (origin, site) => ({ cookie: 'session=usr-cors', origin, 'sec-fetch-site': site });
      const refused = await fetch(app.url, { headers: headersOf('https://evil.example', 'cross-site') });
      assert.equal(refused.status, 403);
      assert.deepEqual(await refused.json(), { error: 'ORIGIN_NOT_ALLOWED' });
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      assert.equal(refused.headers.get('x-content-type-options'), 'nosniff');
      const listed = await rawStream(app.url, headersOf('https://app.example', 'cross-site'), (so) =>
        so.startsWith('retry:'),
      );
      assert.equal(listed.status, 200);
      assert.equal(listed.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.equal(listed.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(listed.headers.get('vary'), 'Origin');
      assert.equal(listed.headers.get('x-content-type-options'), 'nosniff');
      // The page's own origin needs no CORS; every answer still varies by Origin.
      const own = await rawStream(app.url, headersOf(app.base, 'same-origin'), (so) => so.startsWith('retry:'));
      assert.equal(own.status, 200);
      assert.equal(own.headers.get('access-control-allow-origin'), null);
      assert.equal(own.headers.get('vary'), 'Origin');
      // A bearer token is no simple request: a listed origin's preflight is answered.
      const preflight = await fetch(app.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-headers': 'authorization' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
      assert.equal(
        (await fetch(app.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })).status,
        405,
      );
    } finally {
      await app.stop();
    }
  });

  test('with no origin listed, a cross-site request is refused, and no answer names an origin', async () => {
    const app = await startApp();
    try {
      const refused = await fetch(app.url, {
        headers: { cookie: 'session=usr-x', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(refused.status, 403);
      const sameSite = await rawStream(app.url, { cookie: 'session=usr-x', 'sec-fetch-site': 'same-site' }, (so) =>
        so.startsWith('retry:'),
      );
      assert.equal(sameSite.status, 200);
      assert.equal(sameSite.headers.get('access-control-allow-origin'), null);
      assert.equal(sameSite.headers.get('x-content-type-options'), 'nosniff');
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
      await process({ data: { event: queued, delivery: 'd' }, updateData: async () => {} });
      await page.until(({ heard }) => heard.length >= 1, 'the worker-published event');
      assert.deepEqual(
        page.heard.map((heard) => heard.data.sourceId),
        ['queued'],
      );
      assert.deepEqual(order, ['onEvent', 'heard']);
      // A bus that fails is told: it fails the job, whose retry publishes only.
      const broken = { ...bus, publish: () => Promise.reject(new Error('bus down')) };
      const told = [];
      const job = { data: { event: queued, delivery: 'd' }, updateData: async (data) => void (job.data = data) };
      await assert.rejects(
        webhookProcessor(() => {}, { bus: broken, onError: (error) => told.push(error.message) })(job),
        /bus down/,
      );
      assert.deepEqual(told, ['bus down']);
      assert.equal(job.data.handled, true, 'its retry publishes only');
      const brokenApp = await startApp({ bus: broken });
      try {
        // In store mode, the answer waits for the publish: 503, whose retry only publishes.
        assert.equal(await brokenApp.post(webhook('TASK_STARTED', { userId: 'usr-jo' })), 503);
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
