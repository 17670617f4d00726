// SmileEvents in Node, where there is no EventSource: the stream read over fetch, with headers (a
// bearer token) sent at each connect. Real HTTP on loopback: the package's own stream and receiver,
// and a hand-written SSE server for the wire format and the reconnects as the HTML standard has them.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, describe, test } from 'node:test';
import { SmileEvents } from '../../../dist/smile-events.js';
import {
  createEventStream,
  createWebhookHandler,
  memoryEventBus,
  signWebhook,
  toNodeHandler,
} from '../../../dist/webhooks/index.js';
// Not event-pages.mjs, which gives Node an EventSource.
import { pollUntil } from '../../support/poll-until.mjs';

const secret = 'whsec_bearer_0123456789abcdef';
let sequence = 0;
const revoked = new Set();

/** The receiver at /webhooks, and the stream at /events for the user of a bearer token `tok:<user>:<n>`. */
async function startApp() {
  const bus = memoryEventBus();
  const stream = createEventStream({
    bus,
    retryMs: 100,
    authorize: (request) => {
      const bearer = /^Bearer (tok:([^:]+):\d+)$/.exec(request.headers.get('authorization') ?? '');
      return bearer && !revoked.has(bearer[1]) ? [bearer[2]] : null;
    },
  });
  const receive = toNodeHandler(createWebhookHandler({ secret, onEvent: () => {}, bus }));
  const events = toNodeHandler(stream);
  const server = createServer((request, response) =>
    request.url.startsWith('/events') ? events(request, response) : receive(request, response),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const send = async (userId) => {
    const id = `et-bearer-${++sequence}`;
    const body = JSON.stringify({
      id,
      version: 1,
      type: 'TASK_STARTED',
      createdAt: new Date().toISOString(),
      data: { userId, sourceId: `s-${sequence}` },
    });
    const response = await fetch(`${base}/webhooks`, {
      method: 'POST',
      body,
      headers: { 'smile-signature': await signWebhook(body, secret) },
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    return id;
  };
  const stop = () => {
    stream.close();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url: `${base}/events`, send, stream, stop };
}

const clients = [];
/** A client and what it hears; `until(count)` resolves once it has heard that many webhooks. */
function listen(url, options) {
  const client = new SmileEvents(url, options);
  clients.push(client);
  const heard = [];
  const resyncs = [];
  client.addEventListener('webhook', ({ detail }) => heard.push(detail));
  client.addEventListener('resync', ({ detail }) => resyncs.push(detail));
  const until = (count, what = `${count} events`) =>
    pollUntil(
      async () => heard.length,
      (length) => length >= count,
      what,
      10_000,
    );
  return { client, heard, resyncs, until };
}
after(() => clients.forEach((client) => client.close()));

describe('SmileEvents in Node, over fetch', () => {
  test('Node has no EventSource: the client reads the stream over fetch, with the bearer token', async () => {
    assert.equal(typeof globalThis.EventSource, 'undefined');
    const app = await startApp();
    try {
      const page = listen(app.url, { headers: { authorization: 'Bearer tok:usr-ana:1' } });
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 1,
        'the stream open',
      );
      const mine = await app.send('usr-ana');
      await app.send('usr-ben');
      const marker = await app.send('usr-ana');
      await page.until(2);
      assert.deepEqual(
        page.heard.map((event) => event.id),
        [mine, marker],
      );
      // close() lets go of the request: the server sees the stream end.
      page.client.close();
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 0,
        'the stream closed',
      );
    } finally {
      await app.stop();
    }
  });

  test('an async headers function at each connect: a refreshed token after a cut, nothing lost or repeated', async () => {
    const app = await startApp();
    try {
      const tokens = [];
      const page = listen(app.url, {
        retryMs: 50,
        headers: async () => {
          tokens.push(`tok:usr-cleo:${tokens.length + 1}`);
          return { authorization: `Bearer ${tokens.at(-1)}` };
        },
      });
      await pollUntil(
        async () => app.stream.connections,
        (count) => count === 1,
        'the stream open',
      );
      const sent = [await app.send('usr-cleo')];
      await page.until(1);
      revoked.add(tokens[0]);
      app.stream.endStreams();
      for (let index = 0; index < 3; index++) sent.push(await app.send('usr-cleo'));
      await page.until(4);
      sent.push(await app.send('usr-cleo'));
      await page.until(5);
      assert.deepEqual(
        page.heard.map((event) => event.id),
        sent,
      );
      assert.ok(tokens.length >= 2, `asked for headers at each connect (${tokens.length})`);
      assert.deepEqual(page.resyncs, []);
    } finally {
      await app.stop();
    }
  });
});

describe('the fetch reader on the wire', () => {
  /** A server of hand-written SSE: `answer(request, response, count)` writes each request's answer. */
  async function rawServer(answer) {
    const requests = [];
    const server = createServer((request, response) => {
      requests.push({ url: request.url, headers: request.headers });
      answer(request, response, requests.length);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stop = () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    };
    return { url: `http://127.0.0.1:${server.address().port}/events`, requests, stop };
  }
  const event = (id, sourceId) => JSON.stringify({ id: `et-${id}`, type: 'TASK_STARTED', data: { sourceId } });

  test('comments, CRLF, split chunks, data over lines, retry and ids; a dropped stream resumes with Last-Event-ID', async () => {
    const server = await rawServer((request, response, count) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      if (count === 1) {
        response.write(': a comment\r\nretry: 20\r\n\r\n');
        response.write(`id: 7\r\ndata: ${event(1, 'one')}\r\n\r\n`);
        // One event in pieces, its data over two lines (joined with a newline: still JSON).
        const split = `id: 8\ndata: {"id":"et-2","type":"TASK_STARTED",\ndata: "data":{"sourceId":"two"}}\n\n`;
        response.write(split.slice(0, 9));
        setTimeout(
          () => response.end(split.slice(9) + 'data: not json\n\nevent: resync\ndata: {"reason":"history"}\n\n'),
          10,
        );
        return;
      }
      response.write(`id: 9\ndata: ${event(3, 'three')}\n\n`);
    });
    try {
      const page = listen(server.url, { headers: { 'x-page': 'p' } });
      await page.until(3);
      assert.deepEqual(
        page.heard.map((heard) => heard.data.sourceId),
        ['one', 'two', 'three'],
      );
      assert.deepEqual(page.resyncs, [{ reason: 'history' }]);
      assert.equal(page.client.lastEventId, '9');
      const [first, second] = server.requests;
      assert.equal(first.headers['x-page'], 'p');
      assert.equal(first.headers.accept, 'text/event-stream');
      assert.equal(first.headers['last-event-id'], undefined);
      // The resync carried no id: the reconnect resumes after the last one the stream sent.
      assert.equal(second.headers['last-event-id'], '8');
      assert.equal(second.headers['x-page'], 'p');
    } finally {
      await server.stop();
    }
  });

  test('a refusal (not 200, or not text/event-stream) is retried with backoff, resuming after the last id heard', async () => {
    const server = await rawServer((request, response, count) => {
      if (count === 1)
        return response
          .writeHead(200, { 'content-type': 'text/event-stream' })
          .end(`id: 41\ndata: ${event(1, 'a')}\n\n`);
      if (count === 2) return response.writeHead(401).end();
      if (count === 3) return response.writeHead(200, { 'content-type': 'text/html' }).end('<p>sign in</p>');
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`id: 42\ndata: ${event(2, 'b')}\n\n`);
    });
    try {
      const page = listen(server.url, { retryMs: 20, headers: () => ({ authorization: 'Bearer t' }) });
      await page.until(2);
      assert.deepEqual(
        page.heard.map((heard) => heard.data.sourceId),
        ['a', 'b'],
      );
      // The first reconnect is the reader's own after the stream ended (Last-Event-ID); after a
      // refusal, the client connects afresh, resuming with `since`.
      assert.equal(server.requests[1].headers['last-event-id'], '41');
      assert.match(server.requests[3].url, /[?&]since=41(&|$)/);
      assert.equal(server.requests.length, 4);
    } finally {
      await server.stop();
    }
  });
});
