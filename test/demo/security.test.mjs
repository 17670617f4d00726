// `npm start` on a developer's machine: the demo server listens on loopback only, answers only
// a Host that names this machine, serves only the demo's folders (never `/.git/`, never a file
// outside the repository through the dev server's `/__wds-outside-root__/`), and its endpoints
// take no one's word: the simulator signs webhooks only for the page's own session, and only
// with the secret it made up; a session id is only one the server issued.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SESSION_TTL_MS, sessionStore } from '../../demo/sessions.mjs';
import { demoApi, simulatedDetail, startDemoServer } from '../../demo/server.mjs';
import { signWebhook } from '../../dist/webhooks/index.js';
import { rawStream } from '../support/event-pages.mjs';

const offline = { ...process.env, SMILE_API_KEY: '', SMILE_API_SECRET: '', SMILE_WEBHOOK_SECRET: '', PORT: '' };

/** A request with the path exactly as written (fetch would normalise `..` and `%2e`), and any Host. */
function raw(port, path, { host = `localhost:${port}`, method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, setHost: false, headers: { host, ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text }));
      },
    );
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error(`${path}: no answer within 5000 ms`)));
    request.end(body);
  });
}

describe('the demo server on the network', () => {
  let server;
  before(async () => (server = await startDemoServer({ env: offline })));
  after(() => server.stop());

  test('listens on the loopback addresses only', async () => {
    assert.ok(server.addresses.length >= 1);
    for (const { address } of server.addresses) assert.ok(['127.0.0.1', '::1'].includes(address), address);
    // Every address of this machine that is not loopback refuses the port.
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((entry) => !entry.internal && entry.family === 'IPv4')
      .map((entry) => entry.address);
    for (const address of outside) {
      const outcome = await new Promise((resolve) => {
        const socket = connect({ host: address, port: server.port });
        socket.setTimeout(3000, () => (socket.destroy(), resolve('timeout')));
        socket.once('connect', () => (socket.destroy(), resolve('connected')));
        socket.once('error', (error) => resolve(error.code));
      });
      assert.equal(outcome, 'ECONNREFUSED', `${address}:${server.port}`);
    }
  });

  test('serves the demo, its sources and builds, and Lit', async () => {
    for (const path of [
      '/demo/',
      '/demo/demo.css',
      '/src/define.ts',
      '/dist/simulator.js',
      '/node_modules/lit/index.js',
    ]) {
      assert.equal((await raw(server.port, path)).status, 200, path);
    }
    assert.equal((await raw(server.port, '/')).headers.location, '/demo/');
  });

  test('answers 404 for anything else of the repository or the machine, encoded or not', async () => {
    for (const path of [
      '/.git/config',
      '/.git/HEAD',
      '/__wds-outside-root__/1/etc/hostname',
      '/__wds-outside-root__/2/proc/self/environ',
      // The repository's own .git, reached from the folder above it.
      `/__wds-outside-root__/1/${basename(fileURLToPath(new URL('../../', import.meta.url)))}/.git/config`,
      '/%2e%2e/%2e%2e/etc/hostname',
      '/demo/%2e%2e/.git/config',
      '/demo/..%2f..%2f.git%2fconfig',
      '/demo/%252e%252e/.git/config',
      '/src/../.git/config',
      '/demo/..\\..\\.git\\config',
      '/demo/%2e%2e%5c.git%5cconfig',
      '/demo/%00.html',
      '/demo/%E0%A4%A.html',
      '/package.json',
      '/package-lock.json',
      '/scripts/test.mjs',
      '/test/fixtures/sdk-double.js',
      '/node_modules/.package-lock.json',
      '/node_modules/puppeteer-core/package.json',
      '/dist/../.git/config',
    ]) {
      const answer = await raw(server.port, path);
      assert.equal(answer.status, 404, `${path}: ${answer.status}`);
      assert.doesNotMatch(answer.text, /\[core\]|repositoryformatversion|SMILE_/, path);
    }
  });

  test('refuses a Host that does not name this machine at its port (DNS rebinding)', async () => {
    const { port } = server;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await raw(port, '/demo/', { host })).status, 200, host);
    }
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `localhost:${port + 1}`,
      'localhost',
      `127.0.0.2:${port}`,
      '',
    ]) {
      const answer = await raw(port, '/demo/', { host });
      assert.equal(answer.status, 403, host);
      assert.equal(JSON.parse(answer.text).error, 'HOST_NOT_ALLOWED');
      assert.equal((await raw(port, '/demo/api/config', { host })).status, 403, host);
    }
    // The webhook receiver verifies signatures, so a tunnel's Host reaches it: unsigned, it is a 401.
    const webhook = await raw(port, '/webhooks/smile', { host: 'abc.tunnel.example', method: 'POST', body: '{}' });
    assert.equal(webhook.status, 401);
  });
});

/** The demo's session cookie from a link-token answer. */
const cookieOf = (response) => response.headers.get('set-cookie')?.split(';')[0];

async function linkToken(server, cookie) {
  const response = await fetch(`${server.url}api/link-token`, { method: 'POST', headers: cookie ? { cookie } : {} });
  return { response, body: await response.json(), cookie: cookieOf(response) ?? cookie };
}

describe('the demo endpoints', () => {
  let server;
  let secret;
  before(async () => {
    server = await startDemoServer({ env: offline });
    secret = server.startMessage.match(/made up for this run:\n\s+([0-9a-f]{64})\n/)[1];
  });
  after(() => server.stop());

  const simulate = (cookie, payload) =>
    fetch(`${server.url}api/simulate-webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  test('simulate-webhook needs the page’s session', async () => {
    const connected = { event: 'account-connected', detail: { accountId: 'acc_1', providerId: 'p', userId: 'u' } };
    assert.equal((await simulate(undefined, connected)).status, 401);
    // An id the server never issued is no session.
    assert.equal((await simulate(`wink-demo-session=${'a'.repeat(32)}`, connected)).status, 401);
  });

  test('simulate-webhook signs only for the session’s own user, whatever the body says', async () => {
    const attacker = await linkToken(server);
    const victim = await linkToken(server);
    assert.notEqual(attacker.body.userId, victim.body.userId);
    const streamOf = (cookie, until) =>
      rawStream(
        `${server.url}api/events?since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`,
        { cookie },
        until,
        10_000,
      );
    const forged = {
      event: 'account-error',
      detail: { userId: victim.body.userId, accountId: 'acc_1', providerId: 'northwind', errorCode: 'INVALID_MFA' },
    };
    const answer = await simulate(attacker.cookie, forged);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { delivered: [200] });
    // A marker for the victim after it: once it arrives, anything before it would have too.
    const marker = JSON.stringify({
      id: 'et-marker',
      version: 1,
      type: 'USER_CREATED',
      createdAt: new Date().toISOString(),
      data: { userId: victim.body.userId },
    });
    const signed = await fetch(server.url.replace('/demo/', '/webhooks/smile'), {
      method: 'POST',
      headers: { 'smile-signature': await signWebhook(marker, secret) },
      body: marker,
    });
    assert.equal(signed.status, 200);
    const victimHeard = await streamOf(victim.cookie, (text) => text.includes('et-marker'));
    assert.match(victimHeard.text, /et-marker/);
    assert.doesNotMatch(victimHeard.text, /ACCOUNT_FAILED/);
    const attackerHeard = await streamOf(attacker.cookie, (text) => text.includes('ACCOUNT_FAILED'));
    const failed = JSON.parse(attackerHeard.text.match(/data: (\{.*"ACCOUNT_FAILED".*\})\n/)[1]);
    assert.equal(failed.data.userId, attacker.body.userId);
  });

  test('simulate-webhook takes only short identifiers in the fields its webhooks use', async () => {
    const { cookie } = await linkToken(server);
    const account = { accountId: 'acc_1', providerId: 'northwind' };
    for (const detail of [
      { ...account, accountId: { $ne: 1 } },
      { ...account, accountId: 'x'.repeat(65) },
      { ...account, providerId: 'a b' },
      { accountId: 'acc_1' },
      null,
    ]) {
      const answer = await simulate(cookie, { event: 'account-connected', detail });
      assert.equal(answer.status, 400, JSON.stringify(detail));
      assert.deepEqual(await answer.json(), { error: 'INVALID_DETAIL' });
    }
    assert.equal(
      (await simulate(cookie, { event: 'account-error', detail: { ...account, errorCode: 'lower' } })).status,
      400,
    );
    const many = Array.from({ length: 21 }, (_, index) => ({ id: `upl_${index}` }));
    assert.equal((await simulate(cookie, { event: 'uploads-created', detail: { uploads: many } })).status, 400);
    assert.equal((await simulate(cookie, '{"event":')).status, 200, 'unreadable JSON names no event with webhooks');
    assert.equal((await simulate(cookie, `{"event":"account-connected","pad":"${'x'.repeat(20_000)}"}`)).status, 200);
    // Widget events with no webhook are answered, and deliver nothing.
    assert.deepEqual(await (await simulate(cookie, { event: 'ui-event', detail: {} })).json(), { delivered: [] });
    assert.deepEqual(simulatedDetail('uploads-created', { uploads: [{ id: 'upl_1', name: 'paystub.pdf' }] }, 'usr_1'), {
      userId: 'usr_1',
      uploads: [{ id: 'upl_1' }],
    });
  });

  test('link-token reuses only a session id the server issued', async () => {
    const madeUp = `wink-demo-session=${'0123456789abcdef'.repeat(2)}`;
    const fixed = await linkToken(server, madeUp);
    assert.equal(fixed.response.status, 200);
    assert.ok(fixed.cookie, 'a new session was issued');
    assert.notEqual(fixed.cookie, madeUp);
    assert.match(fixed.response.headers.get('set-cookie'), /; HttpOnly; SameSite=Strict$/);
    assert.match(fixed.response.headers.get('set-cookie'), new RegExp(`Max-Age=${SESSION_TTL_MS / 1000}`));
    // The issued one is kept: its user stays the same across tokens.
    const again = await linkToken(server, fixed.cookie);
    assert.equal(again.response.headers.get('set-cookie'), null);
    assert.equal(again.body.userId, fixed.body.userId);
  });
});

test('simulate-webhook does not exist with a real webhook secret', async () => {
  const server = await startDemoServer({ env: { ...offline, SMILE_WEBHOOK_SECRET: 'whsec_real_one_of_the_user' } });
  try {
    const { cookie } = await linkToken(server);
    const answer = await fetch(`${server.url}api/simulate-webhook`, {
      method: 'POST',
      headers: { cookie },
      body: JSON.stringify({ event: 'account-connected', detail: { accountId: 'a', providerId: 'p' } }),
    });
    assert.equal(answer.status, 404);
    assert.equal((await (await fetch(`${server.url}api/config`)).json()).simulatedWebhooks, false);
  } finally {
    await server.stop();
  }
});

test('the session cookie is Secure when the demo is served over HTTPS', async () => {
  const api = demoApi({ smile: undefined }, {});
  try {
    for (const secure of [false, true]) {
      const headers = {};
      const context = {
        path: '/demo/api/link-token',
        method: 'POST',
        secure,
        get: () => '',
        set: (name, value) => (headers[name] = value),
      };
      await api(context, () => assert.fail('not passed on'));
      assert.equal(/; Secure$/.test(headers['set-cookie']), secure, headers['set-cookie']);
    }
  } finally {
    api.close();
  }
});

test('sessions are forgotten after their hour without use, and bounded in number', () => {
  let now = 0;
  const sessions = sessionStore({ ttlMs: 1000, max: 3, now: () => now });
  const first = sessions.issue();
  sessions.bind(first, 'usr_1');
  now = 999;
  assert.equal(sessions.userOf(first), 'usr_1', 'used just in time: its hour starts again');
  now = 1998;
  assert.equal(sessions.has(first), true);
  now = 2998;
  assert.equal(sessions.has(first), false);
  assert.equal(sessions.userOf(first), undefined);
  const ids = [sessions.issue(), sessions.issue(), sessions.issue(), sessions.issue()];
  assert.equal(sessions.size, 3);
  assert.equal(sessions.has(ids[0]), false, 'the oldest went first');
  assert.ok(ids.slice(1).every((id) => sessions.has(id)));
  assert.equal(sessions.has('not-issued'), false);
  assert.equal(sessions.has(undefined), false);
});
