// The Node adapter, toNodeHandler: the receiver behind node:http and Express, read directly, and
// any other fetch-style handler behind it.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { connect } from 'node:net';
import express from 'express';
import { describe, test } from 'node:test';
import { createWebhookHandler, signWebhook, toNodeHandler } from '../../../dist/webhooks/index.js';

const secret = 'whsec_handler_5e';
const sign = (raw) => signWebhook(raw, secret);
const body = (id = 'evt_1') =>
  JSON.stringify({
    id,
    version: 1,
    type: 'ARCHIVE_STARTED',
    createdAt: new Date().toISOString(),
    data: { userId: 'usr_1', archiveId: 'arc_1' },
  });

/** A handler that records each onEvent call; `behave(event)` decides what onEvent does. */
function receiver(behave = () => undefined, options = {}) {
  const calls = [];
  const errors = [];
  const handler = createWebhookHandler({
    secret,
    onEvent: (event) => {
      calls.push(event.id);
      return behave(event);
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  const answer = async (request) => {
    const response = await handler(await request);
    return [response.status, await response.json()];
  };
  return { handler, answer, calls, errors };
}

describe('toNodeHandler behind node:http', () => {
  /** Runs `use(port, calls)` against a Node server of the handler; the server is closed after. */
  async function withServer(use, options) {
    const { handler, calls } = receiver(undefined, options);
    const server = createServer(toNodeHandler(handler));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await use(server.address().port, calls, server);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  /**
   * A request with Node's own client, so that headers can repeat, written by `write`; resolves
   * with the status and JSON body once the answer has arrived and the whole request was sent.
   */
  const exchange = (port, { method = 'POST', headers = {} }, write) =>
    new Promise((resolve, reject) => {
      let answer;
      const outgoing = httpRequest(
        { port, host: '127.0.0.1', method, path: '/webhooks/smile', headers },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => (answer = [response.statusCode, text ? JSON.parse(text) : undefined]));
        },
      );
      // A client still sending a refused body may see its connection cut once the answer is in:
      // the receiver reads only a bounded part of a body it will not use.
      outgoing.on('error', (error) => (answer ? resolve(answer) : reject(error)));
      outgoing.on('close', () => (answer ? resolve(answer) : reject(new Error('closed without an answer'))));
      write(outgoing);
    });
  const send = (port, { payload, ...options }) => exchange(port, options, (outgoing) => outgoing.end(payload));

  test('handles, dedupes and refuses as the fetch-style handler does', async () => {
    await withServer(async (port, calls) => {
      const raw = body();
      assert.deepEqual(await send(port, { headers: { 'smile-signature': await sign(raw) }, payload: raw }), [
        200,
        { received: true },
      ]);
      assert.deepEqual(await send(port, { headers: { 'Smile-Signature': await sign(raw) }, payload: raw }), [
        200,
        { received: true, duplicate: true },
      ]);
      assert.deepEqual(await send(port, { method: 'GET' }), [405, { error: 'METHOD_NOT_ALLOWED' }]);
      assert.deepEqual(await send(port, { method: 'PUT', payload: raw }), [405, { error: 'METHOD_NOT_ALLOWED' }]);
      // Node joins a repeated header into one value, which is no signature.
      assert.deepEqual(
        await send(port, { headers: { 'smile-signature': [await sign(raw), await sign(raw)] }, payload: raw }),
        [401, { error: 'BAD_SIGNATURE' }],
      );
      assert.deepEqual(await send(port, { payload: raw }), [401, { error: 'MISSING_SIGNATURE' }]);
      assert.deepEqual(calls, ['evt_1']);
    });
  });

  test('a 10 MB body is refused with 413 at the default bound, the answer reaches the client, and little of the rest is read', async () => {
    await withServer(async (port, calls, server) => {
      let read = 0;
      server.on('connection', (socket) => socket.on('data', (chunk) => (read += chunk.length)));
      const huge = `{"id":"evt_big","data":"${'x'.repeat(10 * 1024 * 1024)}"}`;
      const signature = await sign(huge);
      assert.deepEqual(await send(port, { headers: { 'smile-signature': signature }, payload: huge }), [
        413,
        { error: 'BODY_TOO_LARGE' },
      ]);
      assert.ok(read < 1024 * 1024, `the server read ${read} bytes of a body it refused at its headers`);
      // No Content-Length: the bound holds while reading, too.
      read = 0;
      const chunked = await exchange(
        port,
        { headers: { 'transfer-encoding': 'chunked', 'smile-signature': signature } },
        (outgoing) => {
          for (let index = 0; index < 10; index++) outgoing.write('x'.repeat(1024 * 1024));
          outgoing.end();
        },
      );
      assert.deepEqual(chunked, [413, { error: 'BODY_TOO_LARGE' }]);
      assert.ok(read < 3 * 1024 * 1024, `the server read ${read} bytes of a 10 MB body over a 1 MB bound`);
      assert.deepEqual(calls, []);
    });
  });

  test('a body truncated by a client that goes away is never handled, and the server lives on', async () => {
    await withServer(async (port, calls) => {
      const raw = body('evt_cut');
      const signature = await sign(raw);
      await new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `POST /webhooks/smile HTTP/1.1\r\nHost: x\r\nContent-Length: ${raw.length}\r\nSmile-Signature: ${signature}\r\n\r\n${raw.slice(0, 40)}`,
          );
          socket.end();
        });
        socket.on('close', resolve);
        socket.on('error', reject);
        socket.resume();
      });
      // The server still answers, and the cut event was never handled.
      assert.deepEqual(await send(port, { headers: { 'smile-signature': await sign(raw) }, payload: raw }), [
        200,
        { received: true },
      ]);
      assert.deepEqual(calls, ['evt_cut']);
    });
  });
});

describe('toNodeHandler in front of any fetch-style handler', () => {
  test('hands it a Request with the method, headers, body and URL, and sends its Response back', async () => {
    const seen = [];
    const server = createServer(
      toNodeHandler(async (request) => {
        seen.push([
          request.method,
          new URL(request.url).pathname,
          request.headers.get('x-probe'),
          await request.text(),
        ]);
        return new Response('echo', { status: 202, headers: { 'x-answer': 'yes' } });
      }),
    );
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${server.address().port}/some/path`, {
        method: 'POST',
        headers: { 'x-probe': 'probe' },
        body: 'a body',
      });
      assert.deepEqual(
        [response.status, response.headers.get('x-answer'), await response.text()],
        [202, 'yes', 'echo'],
      );
      assert.deepEqual(seen, [['POST', '/some/path', 'probe', 'a body']]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("the receiver with clientIp gets a Request, and the allowlist goes by clientIp's address", async () => {
    const addresses = [];
    const { handler } = receiver(undefined, {
      allowedIps: ['18.142.61.230'],
      clientIp: (request) => (
        addresses.push(request.headers.get('x-platform-ip')),
        request.headers.get('x-platform-ip')
      ),
    });
    const server = createServer(toNodeHandler(handler));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const deliver = async (ip, id) => {
        const raw = body(id);
        const response = await fetch(`http://127.0.0.1:${server.address().port}/webhooks/smile`, {
          method: 'POST',
          headers: { 'smile-signature': await sign(raw), 'x-platform-ip': ip },
          body: raw,
        });
        return [response.status, await response.json()];
      };
      assert.deepEqual(await deliver('18.142.61.230', 'evt_ip_ok'), [200, { received: true }]);
      assert.deepEqual(await deliver('127.0.0.1', 'evt_ip_no'), [403, { error: 'IP_NOT_ALLOWED' }]);
      assert.deepEqual(addresses, ['18.142.61.230', '127.0.0.1']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('toNodeHandler behind Express', () => {
  /** Runs `use(port, calls)` against an Express app that `mount` sets up; the server is closed after. */
  async function withApp(mount, use) {
    const { handler, calls } = receiver();
    const app = express();
    mount(app, toNodeHandler(handler));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await use(server.address().port, calls);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  const deliver = async (port, raw) => {
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/smile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'smile-signature': await sign(raw) },
      body: raw,
      // The bug this guards against was a request that hung: an answer must come at once.
      signal: AbortSignal.timeout(3000),
    });
    return [response.status, await response.json()];
  };

  test('mounted before express.json(), it receives', async () => {
    await withApp(
      (app, receive) => {
        app.post('/webhooks/smile', receive);
        app.use(express.json());
      },
      async (port, calls) => {
        assert.deepEqual(await deliver(port, body('evt_express')), [200, { received: true }]);
        assert.deepEqual(calls, ['evt_express']);
      },
    );
  });

  test('mounted after express.json(), it answers at once with an error that says how to mount it', async () => {
    await withApp(
      (app, receive) => {
        app.use(express.json());
        app.post('/webhooks/smile', receive);
      },
      async (port, calls) => {
        const [status, answer] = await deliver(port, body('evt_parsed'));
        assert.equal(status, 500);
        assert.equal(answer.error, 'BODY_ALREADY_READ');
        assert.match(answer.message, /express\.json\(\)/);
        assert.match(answer.message, /mount the receiver before any body parser/);
        assert.deepEqual(calls, []);
      },
    );
  });
});
