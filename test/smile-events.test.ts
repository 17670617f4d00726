// The browser client of the event stream, `wink-widget/events`, in each engine's own EventSource:
// Smile's webhooks, signed and received by the package's receiver on the test server, reach the
// page of their user only, typed; waitFor finds the one awaited; a server cut is resumed with
// nothing lost or repeated; and a refused stream is retried until the page has its session.
import { expect } from '@open-wc/testing';
import { SmileEvents, type StreamedWebhookEvent } from '../src/smile-events.js';
import { mountWidget } from './support/widget.js';

const STREAM = '/test/events';
let userCount = 0;
const clients: SmileEvents[] = [];

/** This page's session: the cookie the test server's authorize reads. */
function signInAs(user: string) {
  document.cookie = `wink-test-user=${encodeURIComponent(user)}; path=/`;
}
function signOut() {
  document.cookie = 'wink-test-user=; path=/; max-age=0';
}
const newUser = () => `usr-browser-${Date.now()}-${++userCount}`;

async function send(type: string, data: Record<string, unknown>): Promise<string> {
  const response = await fetch('/test/events/send', { method: 'POST', body: JSON.stringify({ type, data }) });
  const { id, status } = (await response.json()) as { id: string; status: number };
  expect(status).to.equal(200);
  return id;
}

/** Every webhook a client hears, in order; `until(count)` resolves once it has heard that many. */
function record(client: SmileEvents) {
  const heard: StreamedWebhookEvent[] = [];
  const waiters = new Set<() => void>();
  client.addEventListener('webhook', ({ detail }) => {
    heard.push(detail);
    for (const wake of waiters) wake();
  });
  const until = (count: number, timeout = 10000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (heard.length < count) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`heard ${heard.length} of ${count} within ${timeout} ms`));
      }, timeout);
      waiters.add(check);
      check();
    });
  return { heard, until };
}

/** A client of the stream, resuming from just before now. */
function connect(options: ConstructorParameters<typeof SmileEvents>[1] = {}) {
  const client = new SmileEvents(STREAM, { since: new Date(Date.now() - 1), ...options });
  clients.push(client);
  return client;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  signOut();
});

describe('SmileEvents, the browser client of the event stream', function () {
  this.timeout(30000);

  it("hears its own user's webhooks as typed events, and no one else's", async () => {
    const user = newUser();
    signInAs(user);
    const client = connect();
    const { heard, until } = record(client);
    const finished: string[][] = [];
    client.addEventListener('TASK_FINISHED', (event) => finished.push(event.detail.data.datapoints ?? []));
    const connected = await send('ACCOUNT_CONNECTED', {
      userId: user,
      accountId: 'acc-1',
      loginName: 'me@example.com',
      providers: ['p'],
    });
    await send('ACCOUNT_CONNECTED', { userId: 'usr-somebody-else', accountId: 'acc-2', providers: ['p'] });
    await send('TASK_FINISHED', {
      userId: user,
      sourceId: 'acc-1',
      status: 'SUCCEEDED',
      datapoints: ['INCOMES'],
      providers: ['p'],
    });
    await until(2);
    // A marker after the rest: had another user's event come, it would be before it.
    await send('TASK_STARTED', { userId: user, sourceId: 'marker', providers: ['p'] });
    await until(3);
    expect(heard.map((event) => event.type)).to.deep.equal(['ACCOUNT_CONNECTED', 'TASK_FINISHED', 'TASK_STARTED']);
    expect(heard[0]).to.include({ id: connected, type: 'ACCOUNT_CONNECTED' });
    expect(heard[0].data).to.deep.equal({ userId: user, accountId: 'acc-1', providers: ['p'] });
    expect(finished).to.deep.equal([['INCOMES']]);
    expect(client.lastEventId).to.match(/^\d+$/);
  });

  it('ships as one file for a page with no build step, dist/events.min.js, which works as the module does', async () => {
    // Loaded as a page would load it, from the package's files, with no bundler or import map.
    const shipped = (await import(`${location.origin}/dist/events.min.js`)) as {
      SmileEvents: typeof SmileEvents;
    };
    expect(shipped.SmileEvents).to.not.equal(SmileEvents);
    const user = newUser();
    signInAs(user);
    const client = new shipped.SmileEvents(STREAM, { since: new Date(Date.now() - 1) });
    clients.push(client);
    const ready = client.waitFor('TASK_FINISHED', undefined, { timeout: 10000 });
    await send('TASK_FINISHED', { userId: user, sourceId: 'acc-min', status: 'SUCCEEDED', providers: ['p'] });
    expect((await ready).data).to.deep.equal({
      userId: user,
      sourceId: 'acc-min',
      status: 'SUCCEEDED',
      providers: ['p'],
    });
  });

  it('waitFor resolves with the TASK_FINISHED of the account just connected', async () => {
    const user = newUser();
    signInAs(user);
    const client = connect();
    const ready = client.waitFor('TASK_FINISHED', (event) => event.data.sourceId === 'acc-mine', { timeout: 10000 });
    await send('TASK_FINISHED', { userId: user, sourceId: 'acc-other', status: 'SUCCEEDED', providers: ['p'] });
    await send('TASK_FINISHED', {
      userId: user,
      sourceId: 'acc-mine',
      status: 'SUCCEEDED',
      datapoints: ['EMPLOYMENTS'],
      providers: ['p'],
    });
    const event = await ready;
    expect(event.data).to.deep.equal({
      userId: user,
      sourceId: 'acc-mine',
      status: 'SUCCEEDED',
      datapoints: ['EMPLOYMENTS'],
      providers: ['p'],
    });
    let timedOut: unknown;
    await client.waitFor('TASK_FINISHED', undefined, { timeout: 50 }).catch((error: unknown) => (timedOut = error));
    expect(timedOut).to.include({ code: 'TIMEOUT' });
  });

  it('resumes after the server ends the stream, with nothing lost and nothing repeated', async () => {
    const user = newUser();
    signInAs(user);
    const client = connect();
    const { heard, until } = record(client);
    const sent: string[] = [];
    for (let index = 0; index < 5; index++)
      sent.push(await send('TASK_STARTED', { userId: user, sourceId: `a${index}`, providers: ['p'] }));
    await until(5);
    await fetch('/test/events/cut', { method: 'POST' });
    // Sent while the page is away: the reconnect's Last-Event-ID brings them back from history.
    for (let index = 5; index < 10; index++)
      sent.push(await send('TASK_STARTED', { userId: user, sourceId: `a${index}`, providers: ['p'] }));
    await until(10);
    await send('TASK_STARTED', { userId: user, sourceId: 'marker', providers: ['p'] });
    await until(11);
    expect(heard.slice(0, 10).map((event) => event.id)).to.deep.equal(sent);
    expect(new Set(heard.map((event) => event.id)).size).to.equal(heard.length);
  });

  it('retries a refused stream with backoff, and once the page has its session gets what came since', async () => {
    signOut();
    const user = newUser();
    const client = connect({ retryMs: 100 });
    const { heard, until } = record(client);
    // Refused (401): EventSource gives up at once, and the client tries again later.
    const id = await send('ACCOUNT_CONNECTED', { userId: user, accountId: 'acc-late', providers: ['p'] });
    signInAs(user);
    await until(1, 15000);
    expect(heard[0].id).to.equal(id);
  });

  it('close() ends the stream and rejects what waits', async () => {
    signInAs(newUser());
    const client = connect();
    const waiting = client.waitFor('TASK_FINISHED');
    client.close();
    let closed: unknown;
    await waiting.catch((error: unknown) => (closed = error));
    expect(closed).to.include({ code: 'CLOSED', name: 'SmileEventsError' });
  });
});

describe('SmileEvents with headers: a page that signs in with a bearer token', function () {
  this.timeout(30000);
  let tokenCount = 0;
  const tokenOf = (user: string) => `tok:${encodeURIComponent(user)}:${++tokenCount}`;
  const unauthorized = async () =>
    ((await (await fetch('/test/events/unauthorized')).json()) as { unauthorized: number }).unauthorized;

  it("hears its own user's webhooks over fetch, with no cookie, and no one else's", async () => {
    signOut();
    const user = newUser();
    const client = connect({ headers: { Authorization: `Bearer ${tokenOf(user)}` } });
    const { heard, until } = record(client);
    const first = await send('TASK_FINISHED', {
      userId: user,
      sourceId: 'acc-1',
      status: 'SUCCEEDED',
      providers: ['p'],
    });
    await send('TASK_FINISHED', {
      userId: 'usr-somebody-else',
      sourceId: 'acc-2',
      status: 'SUCCEEDED',
      providers: ['p'],
    });
    const marker = await send('TASK_STARTED', { userId: user, sourceId: 'marker', providers: ['p'] });
    await until(2);
    expect(heard.map((event) => event.id)).to.deep.equal([first, marker]);
    expect(heard[0].data).to.deep.equal({ userId: user, sourceId: 'acc-1', status: 'SUCCEEDED', providers: ['p'] });
    expect(client.lastEventId).to.match(/^\d+$/);
  });

  it('calls an async headers function at each connect: a refreshed token resumes with nothing lost or repeated', async () => {
    signOut();
    const user = newUser();
    const tokens: string[] = [];
    const client = connect({
      retryMs: 100,
      headers: async () => {
        await Promise.resolve();
        tokens.push(tokenOf(user));
        return { authorization: `Bearer ${tokens.at(-1)!}` };
      },
    });
    const { heard, until } = record(client);
    const sent = [await send('TASK_STARTED', { userId: user, sourceId: 'a0', providers: ['p'] })];
    await until(1);
    // The first token is revoked and the stream cut: the reconnect asks for headers again.
    await fetch(`/test/events/revoke?token=${encodeURIComponent(tokens[0])}`, { method: 'POST' });
    await fetch('/test/events/cut', { method: 'POST' });
    for (let index = 1; index < 4; index++)
      sent.push(await send('TASK_STARTED', { userId: user, sourceId: `a${index}`, providers: ['p'] }));
    await until(4);
    sent.push(await send('TASK_STARTED', { userId: user, sourceId: 'marker', providers: ['p'] }));
    await until(5);
    expect(heard.map((event) => event.id)).to.deep.equal(sent);
    expect(tokens.length).to.be.at.least(2);
  });

  it('a refused connect (a revoked token) and a headers function that throws are retried with backoff', async () => {
    signOut();
    const user = newUser();
    const revoked = tokenOf(user);
    await fetch(`/test/events/revoke?token=${encodeURIComponent(revoked)}`, { method: 'POST' });
    const before = await unauthorized();
    let calls = 0;
    const client = connect({
      retryMs: 50,
      headers: () => {
        calls++;
        if (calls === 1) return { authorization: `Bearer ${revoked}` };
        if (calls === 2) throw new Error('no token yet');
        return { authorization: `Bearer ${tokenOf(user)}` };
      },
    });
    const { heard, until } = record(client);
    const id = await send('ACCOUNT_CONNECTED', { userId: user, accountId: 'acc-late', providers: ['p'] });
    await until(1, 15000);
    expect(heard[0].id).to.equal(id);
    expect(calls).to.be.at.least(3);
    expect((await unauthorized()) - before).to.be.at.least(1, 'the revoked token was refused');
  });

  it('in the one-file dist/events.min.js, loads its fetch reader beside it', async () => {
    const shipped = (await import(`${location.origin}/dist/events.min.js`)) as { SmileEvents: typeof SmileEvents };
    signOut();
    const user = newUser();
    const client = new shipped.SmileEvents(STREAM, {
      since: new Date(Date.now() - 1),
      headers: { authorization: `Bearer ${tokenOf(user)}` },
    });
    clients.push(client);
    const ready = client.waitFor('TASK_FINISHED', undefined, { timeout: 10000 });
    await send('TASK_FINISHED', { userId: user, sourceId: 'acc-min', status: 'SUCCEEDED', providers: ['p'] });
    expect((await ready).data).to.include({ userId: user, sourceId: 'acc-min' });
    const loaded = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
    expect(loaded).to.include('/dist/events.fetch.min.js');
  });
});

describe("the events guide's browser snippet", function () {
  this.timeout(30000);

  it('as written, shows the payroll data when the TASK_FINISHED of the account just connected arrives', async () => {
    const guide = await (await fetch('/docs/events.md')).text();
    const code = guide.slice(guide.indexOf('## The page: `wink-widget/events`')).match(/```js\n([\s\S]*?)```/)?.[1];
    expect(code, 'the guide has the snippet').to.be.a('string');
    const user = newUser();
    signInAs(user);
    const { el, log } = mountWidget({
      open: false,
      play: [['onAccountConnected', { accountId: 'acc-snippet', userId: user, providerId: 'p' }]],
    });
    const shown: unknown[] = [];
    const page = globalThis as unknown as Record<string, unknown>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const showing = new Promise<void>((resolve, reject) => {
      page.showPayrollData = (datapoints: unknown) => (shown.push(datapoints), resolve());
      timer = setTimeout(() => reject(new Error('showPayrollData was not called within 10 s')), 10000);
    });
    page.refetchApplication = () => shown.push('resync');
    // The page's own module, its one import resolved to the package's file, as a bundler would.
    const module = code!.replace(
      "'wink-widget/events'",
      JSON.stringify(new URL('/dist/smile-events.js', location.href).href),
    );
    const url = URL.createObjectURL(new Blob([module], { type: 'text/javascript' }));
    try {
      await import(/* @vite-ignore */ url);
      el.open = true;
      await log.until('account-connected');
      await send('TASK_FINISHED', {
        userId: user,
        sourceId: 'acc-other',
        status: 'SUCCEEDED',
        datapoints: ['IDENTITIES'],
        providers: ['p'],
      });
      await send('TASK_FINISHED', {
        userId: user,
        sourceId: 'acc-snippet',
        status: 'SUCCEEDED',
        datapoints: ['INCOMES'],
        providers: ['p'],
      });
      await showing;
      expect(shown).to.deep.equal([['INCOMES']]);
    } finally {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
      delete page.showPayrollData;
      delete page.refetchApplication;
    }
  });
});
