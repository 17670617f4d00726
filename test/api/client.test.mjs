// wink-widget/api against Prism mocking the vendored spec (with --errors, so that a request the
// spec does not allow is refused): every method, Smile's error bodies, a server that never
// answers, the retries of a GET (and none of a POST), and cursor pagination.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { SMILE_API_URLS, SmileApiError, createSmileClient } from '../../dist/api/index.js';
import { startPrism } from '../support/prism.mjs';

const CREDENTIALS = { apiKey: 'key_test_4242', apiSecret: 'secret_test_do_not_log' };
const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.apiKey}:${CREDENTIALS.apiSecret}`).toString('base64')}`;

let prism;
let lenientPrism;
before(async () => {
  [prism, lenientPrism] = await Promise.all([startPrism(), startPrism({ errors: false })]);
});
after(() => Promise.all([prism?.stop(), lenientPrism?.stop()]));

/**
 * A fetch that goes to Prism and records each request and its answer; `prefer` asks Prism for a
 * status or for generated values (its `Prefer` header), and `rewrite` may change an answer's body.
 */
function recordingFetch({ prefer, rewrite } = {}) {
  const calls = [];
  const fetchImpl = async (input, init = {}) => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    if (prefer) headers.set('prefer', prefer);
    const call = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(headers),
      body: init.body === undefined ? undefined : JSON.parse(init.body),
    };
    calls.push(call);
    const response = await fetch(url, { ...init, headers });
    let text = await response.text();
    call.status = response.status;
    call.violations = JSON.parse(response.headers.get('sl-violations') ?? '[]').map((violation) => violation.message);
    call.answer = text ? JSON.parse(text) : undefined;
    if (rewrite) text = JSON.stringify(rewrite(call));
    return new Response(text, { status: response.status, headers: response.headers });
  };
  return { calls, fetchImpl };
}

const clientOf = (fetchImpl, options = {}) =>
  createSmileClient({ ...CREDENTIALS, baseUrl: prism.url, fetch: fetchImpl, ...options });

describe('createLinkToken', () => {
  test('without a userId makes a new Smile user with POST /users, and reads its id and token by the schema', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const token = await clientOf(fetchImpl).createLinkToken({ externalMetadata: { appUserId: 'app-42' } });
    assert.equal(calls.length, 1);
    assert.deepEqual(
      { method: calls[0].method, path: calls[0].path, status: calls[0].status, body: calls[0].body },
      { method: 'POST', path: '/users', status: 201, body: { externalMetadata: { appUserId: 'app-42' } } },
    );
    assert.equal(calls[0].headers.authorization, BASIC);
    const { user, token: minted } = calls[0].answer.data;
    assert.deepEqual(token, {
      accessToken: minted.accessToken,
      expiresAt: minted.expiresAt,
      mode: minted.mode,
      userId: user.id,
    });
    assert.equal(token.mode, 'SANDBOX');
  });

  test('with a userId asks POST /tokens?userId= for that user, with no body', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const token = await clientOf(fetchImpl).createLinkToken({ userId: 'usr_returning' });
    assert.deepEqual(
      { method: calls[0].method, path: calls[0].path, query: calls[0].query, body: calls[0].body },
      { method: 'POST', path: '/tokens', query: { userId: 'usr_returning' }, body: undefined },
    );
    assert.equal(calls[0].status, 201);
    assert.equal(token.userId, 'usr_returning');
    assert.equal(token.accessToken, calls[0].answer.data.accessToken);
    assert.equal(token.expiresAt, calls[0].answer.data.expiresAt);
  });

  test('metadata the spec does not allow (more than five fields) is refused by Smile, as SmileApiError 400', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const externalMetadata = Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`field${n}`, 'x']));
    await assert.rejects(clientOf(fetchImpl).createLinkToken({ externalMetadata }), (error) => {
      assert.ok(error instanceof SmileApiError);
      assert.equal(error.status, 400);
      assert.equal(error.operation, 'POST /users');
      return true;
    });
    assert.equal(calls.length, 1, 'a POST is never retried');
  });

  test('refuses metadata with a userId, and a userId that is not a string, before any request', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const client = clientOf(fetchImpl);
    await assert.rejects(client.createLinkToken({ userId: 'usr_1', externalMetadata: { a: 'b' } }), TypeError);
    await assert.rejects(client.createLinkToken({ userId: 42 }), TypeError);
    assert.equal(calls.length, 0);
  });

  test('an answer without the token the schema requires rejects with INVALID_RESPONSE, instead of searching for one', async () => {
    const { fetchImpl } = recordingFetch({
      rewrite: ({ answer }) => ({ ...answer, data: { user: answer.data.user, nested: { token: answer.data.token } } }),
    });
    await assert.rejects(clientOf(fetchImpl).createLinkToken(), { name: 'SmileApiError', code: 'INVALID_RESPONSE' });
  });
});

describe('webhooks, tasks and users', () => {
  test('webhooks.create sends the spec’s WebhookPostRequest (active by default) and reads the Webhook', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const webhook = await clientOf(fetchImpl).webhooks.create({
      name: 'Payroll ready',
      url: 'https://example.com/webhooks/smile',
      eventTypes: ['TASK_FINISHED', 'ACCOUNT_CONNECTED'],
      secret: 'a'.repeat(64),
      includePayload: false,
    });
    assert.deepEqual(calls[0].body, {
      name: 'Payroll ready',
      url: 'https://example.com/webhooks/smile',
      eventTypes: ['TASK_FINISHED', 'ACCOUNT_CONNECTED'],
      secret: 'a'.repeat(64),
      active: true,
      includePayload: false,
    });
    assert.equal(calls[0].status, 200);
    assert.deepEqual(webhook, calls[0].answer.data);
  });

  test('webhooks.create with an event type off the spec’s enum is refused by Smile; a secret over 64 characters before any request', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const client = clientOf(fetchImpl);
    const params = { name: 'x', url: 'https://example.com/h', secret: 's' };
    await assert.rejects(client.webhooks.create({ ...params, eventTypes: ['TASK_DONE'] }), { status: 400 });
    await assert.rejects(
      client.webhooks.create({ ...params, eventTypes: ['TASK_FINISHED'], secret: 's'.repeat(65) }),
      RangeError,
    );
    assert.equal(calls.length, 1);
  });

  test('webhooks.list, get and delete', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const client = clientOf(fetchImpl);
    const page = await client.webhooks.list({ size: 5 });
    assert.deepEqual(page, { items: calls[0].answer.data.items, nextCursor: calls[0].answer.data.nextCursor });
    assert.deepEqual(calls[0].query, { size: '5' });
    assert.deepEqual(await client.webhooks.get('wh 1/2'), calls[1].answer.data);
    assert.equal(calls[1].path, '/webhooks/wh%201%2F2');
    assert.equal(await client.webhooks.delete('wh_1'), undefined);
    assert.deepEqual([calls[2].method, calls[2].path, calls[2].status], ['DELETE', '/webhooks/wh_1', 200]);
    assert.deepEqual(
      calls.map((call) => call.status),
      [200, 200, 200],
    );
    assert.ok(calls.every((call) => call.headers.authorization === BASIC));
  });

  test('tasks.list, tasks.get and users.get, whose examples in the spec break its own schemas', async () => {
    // Prism with --errors refuses to serve those examples (a task without `metadata.itemCreatedAt`,
    // with a null `finishedAt` or the datapoint `INSIGHT`, a user without `providers`): these go to a Prism that serves
    // them and lists what they break, checking the requests all the same.
    const { calls, fetchImpl } = recordingFetch();
    const client = clientOf(fetchImpl, { baseUrl: lenientPrism.url });
    const tasks = await client.tasks.list({ userId: 'usr_1', startDate: '2026-01-01', sourceId: 'acc_1', size: 3 });
    assert.deepEqual(calls[0].query, { userId: 'usr_1', startDate: '2026-01-01', sourceId: 'acc_1', size: '3' });
    assert.deepEqual(tasks.items, calls[0].answer.data.items ?? []);
    assert.deepEqual(await client.tasks.get('task-1'), calls[1].answer.data);
    assert.deepEqual(await client.users.get('usr_1'), calls[2].answer.data);
    assert.deepEqual(
      calls.map((call) => [call.path, call.status]),
      [
        ['/tasks', 200],
        ['/tasks/task-1', 200],
        ['/users/usr_1', 200],
      ],
    );
    // The spec's slips, exactly: when Smile fixes its examples, this says so.
    assert.deepEqual(calls[0].violations, [
      "Response body property data.items.0.metadata must have required property 'itemCreatedAt'",
      'Response body property data.items.1.finishedAt must be string',
      "Response body property data.items.1.metadata must have required property 'itemCreatedAt'",
    ]);
    assert.deepEqual(calls[1].violations, [
      'Response body property data.datapoints.4 must be equal to one of the allowed values: IDENTITIES, TRANSACTIONS, RATINGS, EMPLOYMENTS, DOCUMENTS, INCOMES, CONTRIBUTIONS, EINCOMES, LIABILITIES, LINK, INSIGHTS',
      "Response body property data.metadata must have required property 'itemCreatedAt'",
    ]);
    assert.deepEqual(calls[2].violations, ["Response body property data must have required property 'providers'"]);
    // And a request off the spec is still refused there.
    await assert.rejects(client.tasks.list({ endDate: '21 April' }), (error) => error.status === 422);
  });

  test('a list date the spec does not allow is refused by Smile; a page size off 1–150 before any request', async () => {
    const { calls, fetchImpl } = recordingFetch();
    const client = clientOf(fetchImpl);
    // Prism answers a query off the spec 422 (the spec's 400 has no example to give).
    await assert.rejects(client.tasks.list({ startDate: 'yesterday' }), (error) => error.status === 422);
    await assert.rejects(client.webhooks.list({ size: 151 }), RangeError);
    assert.equal(calls.length, 1, 'a 400 is not retried');
  });
});

describe('failures', () => {
  test('a 401 rejects with SmileApiError carrying Smile’s code, message and requestId, and no credential anywhere', async () => {
    const { calls, fetchImpl } = recordingFetch({ prefer: 'code=401, dynamic=true' });
    const error = await clientOf(fetchImpl)
      .webhooks.list()
      .catch((caught) => caught);
    assert.ok(error instanceof SmileApiError);
    const body = calls[0].answer;
    assert.equal(calls[0].status, 401);
    assert.equal(error.status, 401);
    assert.equal(error.code, body.code === 'OK' ? 'HTTP_401' : body.code);
    assert.equal(error.message, `GET /webhooks: ${body.message || 'answered 401'}`);
    assert.equal(error.requestId, body.requestId || undefined);
    assert.equal(error.name, 'SmileApiError');
    const everything = [error.message, error.stack, String(error), JSON.stringify(error), JSON.stringify({ ...error })];
    for (const text of everything) {
      for (const secret of [CREDENTIALS.apiKey, CREDENTIALS.apiSecret, BASIC.slice(6)])
        assert.ok(!text.includes(secret), text);
    }
  });

  test('a server that never answers rejects with TIMEOUT after timeoutMs, and a GET is not sent again', async () => {
    let requests = 0;
    const silent = createServer(() => requests++);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const client = createSmileClient({
        ...CREDENTIALS,
        baseUrl: `http://127.0.0.1:${silent.address().port}`,
        timeoutMs: 300,
      });
      await assert.rejects(client.webhooks.list(), { name: 'SmileApiError', code: 'TIMEOUT', status: 0 });
      await assert.rejects(client.createLinkToken(), { code: 'TIMEOUT', operation: 'POST /users' });
      assert.equal(requests, 2);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test('a refused connection rejects with NETWORK_ERROR; a GET tries three times, a POST once', async () => {
    let attempts = 0;
    const fetchImpl = (...args) => (attempts++, fetch(...args));
    const silent = createServer();
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address();
    await new Promise((resolve) => silent.close(resolve));
    const client = createSmileClient({ ...CREDENTIALS, baseUrl: `http://127.0.0.1:${port}`, fetch: fetchImpl });
    await assert.rejects(client.tasks.get('t'), { code: 'NETWORK_ERROR' });
    assert.equal(attempts, 3);
    await assert.rejects(
      client.webhooks.create({ name: 'n', url: 'https://x', eventTypes: ['TASK_FINISHED'], secret: 's' }),
      {
        code: 'NETWORK_ERROR',
      },
    );
    assert.equal(attempts, 4);
  });

  test('a GET answered 503 is retried twice, then rejects; a POST answered 503 is sent once; a 404 is not retried', async () => {
    const unavailable = recordingFetch({ prefer: 'code=503' });
    const client = clientOf(unavailable.fetchImpl);
    await assert.rejects(client.webhooks.get('wh_1'), { status: 503 });
    assert.equal(unavailable.calls.length, 3);
    await assert.rejects(client.createLinkToken(), { status: 503 });
    assert.equal(unavailable.calls.length, 4);
    const missing = recordingFetch({ prefer: 'code=404' });
    await assert.rejects(clientOf(missing.fetchImpl).tasks.get('task-gone'), { status: 404 });
    assert.equal(missing.calls.length, 1);
  });

  test('a 429 is retried after its Retry-After', async () => {
    const answers = [];
    const server = createServer((request, response) => {
      answers.push(Date.now());
      if (answers.length === 1) {
        response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 'REQUEST_LIMIT_EXCEEDED', message: 'Slow down', requestId: 'req-429' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'OK', data: { items: [], nextCursor: '' } }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = createSmileClient({ ...CREDENTIALS, baseUrl: `http://127.0.0.1:${server.address().port}` });
      assert.deepEqual(await client.webhooks.list(), { items: [], nextCursor: undefined });
      assert.equal(answers.length, 2);
      assert.ok(answers[1] - answers[0] >= 950, `retried after ${answers[1] - answers[0]} ms`);
    } finally {
      server.close();
    }
  });
});

describe('pagination', () => {
  test('each follows nextCursor page after page, asking Smile with cursor=, until a page has none', async () => {
    // Prism answers every page with the spec's example; the cursors are rewritten into a chain of three.
    const chain = { '': 'page-2', 'page-2': 'page-3', 'page-3': undefined };
    const { calls, fetchImpl } = recordingFetch({
      rewrite: ({ query, answer }) => {
        const cursor = query.cursor ?? '';
        const items = answer.data.items.map((item) => ({ ...item, id: `${item.id}-${cursor || 'page-1'}` }));
        return { ...answer, data: { items, ...(chain[cursor] ? { nextCursor: chain[cursor] } : {}) } };
      },
    });
    const ids = [];
    for await (const webhook of clientOf(fetchImpl).webhooks.each({ size: 2 })) ids.push(webhook.id);
    assert.deepEqual(
      calls.map((call) => call.query),
      [{ size: '2' }, { size: '2', cursor: 'page-2' }, { size: '2', cursor: 'page-3' }],
    );
    assert.ok(calls.every((call) => call.status === 200));
    const example = calls[0].answer.data.items[0].id;
    assert.deepEqual(ids, [`${example}-page-1`, `${example}-page-2`, `${example}-page-3`]);
  });

  test('a cursor Smile names again stops the walk with CURSOR_REPEATED, after the pages before it', async () => {
    // The spec's own example names the same nextCursor on every page.
    const { calls, fetchImpl } = recordingFetch();
    const seen = [];
    await assert.rejects(
      (async () => {
        for await (const webhook of clientOf(fetchImpl).webhooks.each()) seen.push(webhook.id);
      })(),
      { code: 'CURSOR_REPEATED' },
    );
    assert.equal(calls.length, 2);
    assert.equal(calls[1].query.cursor, calls[0].answer.data.nextCursor);
    assert.equal(seen.length, calls[0].answer.data.items.length * 2);
  });
});

describe('createSmileClient', () => {
  test('goes to the spec’s servers: sandbox by default, production when asked, baseUrl over both', async () => {
    const urls = [];
    const fetchImpl = async (input) => {
      urls.push(String(input));
      return Response.json({ code: 'OK', data: { items: [] } });
    };
    await createSmileClient({ ...CREDENTIALS, fetch: fetchImpl }).webhooks.list();
    await createSmileClient({ ...CREDENTIALS, fetch: fetchImpl, environment: 'production' }).webhooks.list();
    await createSmileClient({ ...CREDENTIALS, fetch: fetchImpl, baseUrl: 'http://127.0.0.1:9/v1/' }).webhooks.list();
    assert.deepEqual(urls, [
      `${SMILE_API_URLS.sandbox}/webhooks`,
      `${SMILE_API_URLS.production}/webhooks`,
      'http://127.0.0.1:9/v1/webhooks',
    ]);
    assert.deepEqual(SMILE_API_URLS, {
      sandbox: 'https://sandbox.smileapi.io/v1',
      production: 'https://open.smileapi.io/v1',
    });
  });

  test('checks each option when made, naming it', () => {
    const refusals = [
      [{}, TypeError, /apiKey/],
      [{ apiKey: 'k' }, TypeError, /apiSecret/],
      [{ ...CREDENTIALS, environment: 'staging' }, RangeError, /environment/],
      [{ ...CREDENTIALS, baseUrl: 'not a url' }, TypeError, /baseUrl/],
      [{ ...CREDENTIALS, baseUrl: 'ftp://x' }, RangeError, /baseUrl/],
      [{ ...CREDENTIALS, fetch: 'fetch' }, TypeError, /fetch/],
      [{ ...CREDENTIALS, timeoutMs: 0 }, RangeError, /timeoutMs/],
      [{ ...CREDENTIALS, retries: -1 }, RangeError, /retries/],
    ];
    for (const [options, type, message] of refusals) {
      assert.throws(
        () => createSmileClient(options),
        (error) => error instanceof type && message.test(error.message),
      );
    }
    assert.throws(() => createSmileClient(), TypeError);
  });
});
