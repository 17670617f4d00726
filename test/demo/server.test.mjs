// The demo as a person meets it: `npm start`'s server in headless Chromium. Its real-token path,
// against a local fake of Smile's POST /users that this test starts itself. And its webhook
// receiver, fed both by the simulated flows and by signed requests made here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import {
  SIMULATED_DATAPOINTS,
  SIMULATED_LOGIN_NAME,
  followUpWebhooks,
  startDemoServer,
  webhooksFor,
} from '../../demo/server.mjs';
import { signWebhook } from '../../dist/webhooks/index.js';
import { SPEC_SLIPS, eventSchemas, readSpec } from '../../scripts/webhook-spec.mjs';
import { followOutput } from '../support/child-output.mjs';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium.mjs';
import { freePort } from '../support/free-port.mjs';
import { startPrism } from '../support/prism.mjs';
import { startRecordingProxy } from '../support/recording-proxy.mjs';

let browser;
before(async () => {
  browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
});
after(() => browser?.close());

const noSmileCredentials = {
  ...process.env,
  SMILE_API_KEY: '',
  SMILE_API_SECRET: '',
  SMILE_WEBHOOK_SECRET: '',
  PORT: '',
};

/** Opens the demo page and waits for its script to be ready (its webhook stream stays open, so the network never goes idle). */
async function openDemo(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('#mode')?.textContent !== 'Starting…', { timeout: 10000 });
}

/** Whether a URL stays on this machine: loopback, or no network at all (data:, blob:, about:). */
function staysOnMachine(url) {
  const { protocol, hostname } = new URL(url);
  if (['data:', 'blob:', 'about:'].includes(protocol)) return true;
  return ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

describe('the demo on the simulator', () => {
  test('makes no request off the machine: the preloaded frame loads the simulator, never Smile’s SDK', async () => {
    const server = await startDemoServer({ env: noSmileCredentials });
    const page = await browser.newPage();
    const requested = [];
    // Every request of the page and its frames is seen here; one that would leave the machine is
    // recorded and stopped.
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requested.push(request.url());
      if (staysOnMachine(request.url())) request.continue();
      else request.abort('blockedbyclient');
    });
    try {
      await openDemo(page, server.url);
      await page.waitForFunction(() => document.querySelector('wink-widget')?.ready === true, { timeout: 10000 });
      await page.click('#open-inline');
      await page.waitForSelector('#log li[data-event="ui-event"]', { timeout: 10000 });
      assert.ok(
        requested.some((url) => url.endsWith('/dist/simulator.js')),
        'the frame loaded the simulator',
      );
      assert.deepEqual(
        requested.filter((url) => !staysOnMachine(url)),
        [],
      );
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('opening the widget logs widget-open and then the first ui-event', async () => {
    const server = await startDemoServer({ env: noSmileCredentials });
    const page = await browser.newPage();
    try {
      await openDemo(page, server.url);
      assert.equal(await page.$eval('#mode', (badge) => badge.textContent), 'Offline simulator');
      await page.click('#open-inline');
      await page.waitForSelector('#log li[data-event="ui-event"]', { timeout: 10000 });
      const logged = await page.$$eval('#log li[data-event]', (items) =>
        items
          .reverse()
          .map((item) => ({ event: item.dataset.event, detail: JSON.parse(item.querySelector('pre').textContent) })),
      );
      assert.deepEqual(
        logged.map((entry) => entry.event),
        ['widget-open', 'ui-event'],
      );
      assert.equal(logged[1].detail.eventName, 'ConsentPageOpened');
      assert.equal(logged[1].detail.mode, 'SANDBOX');
      assert.equal(await page.$eval('#state', (state) => state.textContent), 'open');
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('a scenario button replays its flow into the log', async () => {
    const server = await startDemoServer({ env: noSmileCredentials });
    const page = await browser.newPage();
    try {
      await openDemo(page, server.url);
      await page.$eval('#scenario-buttons', (buttons) => buttons.scrollIntoView());
      await page.click('[data-scenario="close"]');
      await page.waitForSelector('#log li[data-event="widget-close"]', { timeout: 10000 });
      const events = await page.$$eval('#log li[data-event]', (items) =>
        items.reverse().map((item) => item.dataset.event),
      );
      assert.deepEqual(events, ['widget-open', 'ui-event', 'widget-close']);
    } finally {
      await page.close();
      await server.stop();
    }
  });
});

describe('the demo with Smile credentials', () => {
  const secret = 'demo-secret-7d3f9a';
  let fake;
  let requests;
  let answer;
  let prism;
  let proxy;

  before(async () => {
    prism = await startPrism();
    proxy = await startRecordingProxy(prism.url);
    requests = [];
    fake = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body });
        const [status, payload] = answer;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      });
    });
    await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
  });
  after(() => Promise.all([new Promise((resolve) => fake.close(resolve)), proxy?.stop().then(() => prism?.stop())]));

  const env = (baseUrl = `http://127.0.0.1:${fake.address().port}/v1`) => ({
    ...process.env,
    PORT: '',
    SMILE_API_KEY: 'demo-key',
    SMILE_API_SECRET: secret,
    SMILE_API_BASE_URL: baseUrl,
  });

  test('mints Link tokens with createLinkToken: a new Smile user for a new session, POST /tokens for a returning one; the secret never reaches the browser', async () => {
    proxy.calls.length = 0;
    // Against Prism mocking Smile's spec: a request the spec does not allow would fail.
    const server = await startDemoServer({ env: env(proxy.url) });
    const page = await browser.newPage();
    const bodies = [];
    page.on('response', async (response) => bodies.push(await response.text().catch(() => '')));
    try {
      await openDemo(page, server.url);
      assert.equal(await page.$eval('#mode', (badge) => badge.textContent), 'Smile sandbox (real SDK)');
      const mint = () =>
        page.evaluate(() => fetch('/demo/api/link-token', { method: 'POST' }).then((response) => response.json()));
      const token = await mint();
      const created = proxy.calls[0].answer.data;
      assert.deepEqual(token, {
        accessToken: created.token.accessToken,
        expiresAt: created.token.expiresAt,
        mode: created.token.mode,
        userId: created.user.id,
      });
      // The session that the token gave the page sees that user's events, and only those.
      const stream = await page.evaluate(async () => {
        const response = await fetch('/demo/api/events');
        const reader = response.body.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        await reader.cancel();
        return { status: response.status, first };
      });
      assert.deepEqual(stream, { status: 200, first: 'retry: 2000\n\n' });
      assert.equal((await fetch(server.url.replace('/demo/', '/demo/api/events'))).status, 401);
      // The same session again: a token for its Smile user, not a new user.
      const again = await mint();
      assert.equal(again.userId, created.user.id);
      assert.equal(again.accessToken, proxy.calls[1].answer.data.accessToken);
      assert.deepEqual(
        proxy.calls.map(({ method, path, query, status }) => [method, path, query, status]),
        [
          ['POST', '/users', {}, 201],
          ['POST', '/tokens', { userId: created.user.id }, 201],
        ],
      );
      assert.deepEqual(proxy.calls[0].body, { externalMetadata: { source: 'wink-widget-demo' } });
      const basic = `Basic ${Buffer.from(`demo-key:${secret}`).toString('base64')}`;
      assert.ok(proxy.calls.every((call) => call.authorization === basic));
      assert.ok(bodies.length > 3, 'the page loaded its scripts');
      for (const body of bodies) assert.ok(!body.includes(secret), 'a response to the browser held the secret');
      assert.ok(!(await page.content()).includes(secret));
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('reports a refused POST /users as a 502, with Smile’s words in the server’s log only', async () => {
    answer = [401, { code: 'INVALID_CREDENTIALS', message: 'Invalid API key or secret' }];
    requests.length = 0;
    const logged = [];
    const server = await startDemoServer({ env: env(), log: { error: (line) => logged.push(line) } });
    try {
      const response = await fetch(`${server.url}api/link-token`, { method: 'POST' });
      assert.equal(response.status, 502);
      const text = await response.text();
      assert.equal(JSON.parse(text).error, 'SMILE_UNAVAILABLE');
      assert.doesNotMatch(text, /Invalid API key|401/);
      assert.ok(!text.includes(secret));
      assert.equal(requests.length, 1);
      assert.deepEqual([requests[0].method, requests[0].url], ['POST', '/v1/users']);
      assert.equal(logged.length, 1);
      assert.match(logged[0], /POST \/users: Invalid API key or secret \(HTTP 401, INVALID_CREDENTIALS\)/);
      assert.ok(!logged[0].includes(secret));
    } finally {
      await server.stop();
    }
  });
});

describe('the demo server receives webhooks', () => {
  test("each simulated flow maps to the webhook Smile sends for it, in the spec's shape", () => {
    const account = { accountId: 'acc_1', userId: 'usr_1', providerId: 'northwind' };
    const linked = { accountId: 'acc_1', userId: 'usr_1', providers: ['northwind'] };
    const loginName = SIMULATED_LOGIN_NAME;
    const uploads = { userId: 'usr_1', uploads: [{ id: 'upl_1' }, { id: 'upl_2' }] };
    const mapped = {
      'account-created': webhooksFor('account-created', account),
      'account-connected': webhooksFor('account-connected', account),
      'account-error': webhooksFor('account-error', { ...account, errorCode: 'INVALID_MFA' }),
      'account-removed': webhooksFor('account-removed', account),
      'uploads-created': webhooksFor('uploads-created', uploads),
      'uploads-removed': webhooksFor('uploads-removed', uploads),
      'after account-connected': followUpWebhooks(account),
    };
    assert.deepEqual(mapped['account-created'], [['ACCOUNT_CREATED', linked]]);
    assert.deepEqual(mapped['account-connected'], [['ACCOUNT_CONNECTED', { ...linked, loginName }]]);
    assert.deepEqual(mapped['account-error'], [
      ['ACCOUNT_FAILED', { ...linked, loginName, errorCode: 'INVALID_MFA', errorMessage: 'Simulated INVALID_MFA' }],
    ]);
    assert.deepEqual(mapped['account-removed'], [['ACCOUNT_DISCONNECTED', linked]]);
    assert.deepEqual(mapped['uploads-created'], [
      ['ARCHIVE_STARTED', { userId: 'usr_1', archiveId: 'upl_1' }],
      ['ARCHIVE_STARTED', { userId: 'usr_1', archiveId: 'upl_2' }],
    ]);
    assert.deepEqual(
      mapped['uploads-removed'].map(([type]) => type),
      ['ARCHIVE_REVOKED', 'ARCHIVE_REVOKED'],
    );
    for (const other of ['ui-event', 'widget-open', 'widget-close', 'token-expired'])
      assert.deepEqual(webhooksFor(other, {}), []);
    // Every body has exactly the spec's required fields for its type, and none it does not define.
    const schemas = new Map(eventSchemas(readSpec()).map(([type, , schema]) => [type, schema.data]));
    for (const [type, data] of Object.values(mapped).flat()) {
      const schema = schemas.get(type);
      for (const field of schema.required) {
        // A name the spec lists as required but never defines is one of its known slips.
        if (
          SPEC_SLIPS.undefinedRequired.some((slip) => slip.endsWith(`.data.${field}`) && !(field in schema.properties))
        )
          continue;
        assert.ok(field in data, `${type} lacks ${field}`);
      }
      for (const field of Object.keys(data))
        assert.ok(field in schema.properties, `${type} has ${field}, which the spec does not`);
    }
  });

  const webhookSecret = 'whsec_demo_91c2';
  const sign = (body) => signWebhook(body, webhookSecret);

  test('the simulated flows send signed webhooks, pushed to the page over the event stream; TASK_FINISHED says the data is ready', async () => {
    const server = await startDemoServer({ env: noSmileCredentials });
    const page = await browser.newPage();
    try {
      await openDemo(page, server.url);
      await page.$eval('#scenario-buttons', (buttons) => buttons.scrollIntoView());
      await page.click('[data-scenario="connect"]');
      await page.waitForSelector('#log li[data-webhook="ACCOUNT_CONNECTED"]', { timeout: 15000 });
      await page.waitForSelector('#log li[data-webhook="ACCOUNT_CREATED"]');
      const read = (selector) => page.$eval(selector, (item) => JSON.parse(item.querySelector('pre').textContent));
      const callback = await read('#log li[data-event="account-connected"]');
      const webhook = await read('#log li[data-webhook="ACCOUNT_CONNECTED"]');
      assert.equal(webhook.type, 'ACCOUNT_CONNECTED');
      assert.match(webhook.id, /^et-[0-9a-f]{32}$/);
      // The page's view: no login name, which the default projection keeps on the server.
      assert.deepEqual(webhook.data, {
        userId: callback.userId,
        accountId: callback.accountId,
        providers: [callback.providerId],
      });
      assert.equal(await page.$eval('#stream-user', (user) => user.textContent), callback.userId);
      await page.waitForFunction(() => document.querySelector('#data-status').dataset.state === 'ready', {
        timeout: 15000,
      });
      assert.equal(
        await page.$eval('#data-status', (status) => status.textContent),
        `Payroll data ready: ${SIMULATED_DATAPOINTS.join(', ')}`,
      );
      const finished = await read('#log li[data-webhook="TASK_FINISHED"]');
      assert.deepEqual(finished.data, {
        userId: callback.userId,
        sourceId: callback.accountId,
        sourceType: 'ACCOUNT',
        taskType: 'LINK_ACCOUNT',
        providers: [callback.providerId],
        status: 'SUCCEEDED',
        datapoints: SIMULATED_DATAPOINTS,
      });
      await page.waitForSelector('#log li[data-webhook="INCOMES_ADDED"]', { timeout: 15000 });
      const order = await page.$$eval('#log li[data-webhook]', (items) =>
        items.map((item) => item.dataset.webhook).reverse(),
      );
      assert.deepEqual(order.slice(-5), [
        'TASK_STARTED',
        'TASK_FINISHED',
        'IDENTITY_ADDED',
        'EMPLOYMENTS_ADDED',
        'INCOMES_ADDED',
      ]);
      assert.ok(!(await page.content()).includes(SIMULATED_LOGIN_NAME));
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('POST /webhooks/smile verifies with SMILE_WEBHOOK_SECRET, answers 2xx or 4xx, dedupes, and streams to the page', async () => {
    const server = await startDemoServer({ env: { ...noSmileCredentials, SMILE_WEBHOOK_SECRET: webhookSecret } });
    const page = await browser.newPage();
    const endpoint = server.url.replace('/demo/', '/webhooks/smile');
    const post = async (body, headers = {}) => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return [response.status, await response.json().catch(() => undefined)];
    };
    try {
      await openDemo(page, server.url);
      // Opening the widget gives the page its session, and the stream of its user.
      await page.click('#open-inline');
      await page.waitForFunction(() => document.querySelector('#stream-user').textContent.startsWith('usr_demo_'), {
        timeout: 10000,
      });
      const userId = await page.$eval('#stream-user', (user) => user.textContent);
      const envelope = (id, user = userId) =>
        JSON.stringify({
          id,
          version: 1,
          type: 'EMPLOYMENTS_ADDED',
          createdAt: new Date().toISOString(),
          data: { userId: user, accountId: 'acc_1', count: 1, providers: ['northwind'] },
        });
      // Another user's event never reaches this page.
      const other = envelope('et-demo-other', 'usr_someone_else');
      assert.deepEqual(await post(other, { 'smile-signature': await sign(other) }), [200, { received: true }]);
      const body = envelope('et-demo-1');
      assert.deepEqual((await post(body))[0], 401);
      assert.equal((await post(body))[1].error, 'MISSING_SIGNATURE');
      assert.deepEqual(
        await post(body, { 'smile-signature': await sign(`${body} `) }).then(([status, reply]) => [
          status,
          reply.error,
        ]),
        [401, 'BAD_SIGNATURE'],
      );
      assert.deepEqual(
        await post('{"id":', { 'smile-signature': await sign('{"id":') }).then(([status, reply]) => [
          status,
          reply.error,
        ]),
        [400, 'INVALID_JSON'],
      );
      assert.deepEqual(
        await post('{"id":"x"}', { 'smile-signature': await sign('{"id":"x"}') }).then(([status, reply]) => [
          status,
          reply.error,
        ]),
        [400, 'INVALID_EVENT'],
      );
      assert.deepEqual(await post(body, { 'Smile-Signature': await sign(body) }), [200, { received: true }]);
      // Smile's retry of the same event: acknowledged, not processed again.
      assert.deepEqual(await post(body, { 'Smile-Signature': await sign(body) }), [
        200,
        { received: true, duplicate: true },
      ]);
      assert.equal((await fetch(endpoint)).status, 405);
      await page.waitForSelector('#log li[data-webhook="EMPLOYMENTS_ADDED"]', { timeout: 5000 });
      // The second marker arrives after the first, so once it shows, the retry has had its chance to show too.
      // One body, signed as sent: two calls could fall in different milliseconds of createdAt.
      const second = envelope('et-demo-2');
      assert.deepEqual(await post(second, { 'smile-signature': await sign(second) }), [200, { received: true }]);
      await page.waitForFunction(() => document.querySelectorAll('#log li[data-webhook]').length === 2, {
        timeout: 5000,
      });
      const ids = await page.$$eval('#log li[data-webhook]', (items) =>
        items.map((item) => JSON.parse(item.querySelector('pre').textContent).id).reverse(),
      );
      assert.deepEqual(ids, ['et-demo-1', 'et-demo-2']);
      assert.ok(!(await page.content()).includes(webhookSecret));
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('without a secret, a real-SDK demo refuses webhooks it cannot verify', async () => {
    const server = await startDemoServer({
      env: {
        ...noSmileCredentials,
        SMILE_API_KEY: 'k',
        SMILE_API_SECRET: 's',
        SMILE_API_HOST: 'http://127.0.0.1:9/v1',
      },
    });
    try {
      const response = await fetch(server.url.replace('/demo/', '/webhooks/smile'), {
        method: 'POST',
        body: JSON.stringify({
          id: 'et-x',
          version: 1,
          type: 'USER_CREATED',
          createdAt: new Date().toISOString(),
          data: { userId: 'u' },
        }),
      });
      assert.equal(response.status, 503);
    } finally {
      await server.stop();
    }
  });
});

describe('npm start, as a newcomer runs it', () => {
  test('with no secret set, it prints the webhook secret it made up, and a request signed with it is received', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../demo/server.mjs', import.meta.url))], {
      env: { ...noSmileCredentials, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const { printed } = followOutput(child, { timeout: 30000 });
      const text = await printed((output) => /Sign requests of your own/.test(output), 'the webhook line');
      const secret = text.match(/made up for this run:\n\s+([0-9a-f]{64})\n/)?.[1];
      assert.ok(secret, `no secret printed:\n${text}`);
      assert.match(text, /set SMILE_WEBHOOK_SECRET/);
      const body = JSON.stringify({
        id: 'evt_newcomer',
        version: 1,
        type: 'USER_CREATED',
        createdAt: new Date().toISOString(),
        data: { userId: 'usr_1' },
      });
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/smile`, {
        method: 'POST',
        headers: { 'smile-signature': await signWebhook(body, secret) },
        body,
        signal: AbortSignal.timeout(5000),
      });
      assert.equal(response.status, 200);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });
});

test('the demo page links every framework example', async () => {
  const page = await readFile(new URL('../../demo/index.html', import.meta.url), 'utf8');
  const nav = page.match(/<nav aria-label="Framework examples">([\s\S]*?)<\/nav>/)?.[1] ?? '';
  const linked = [...nav.matchAll(/href="\.\/frameworks\/([\w-]+)\/"/g)].map((match) => match[1]).sort();
  const frameworks = new URL('../../demo/frameworks/', import.meta.url);
  const examples = [];
  for (const entry of await readdir(frameworks, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(new URL(`${entry.name}/index.html`, frameworks))) examples.push(entry.name);
  }
  assert.ok(examples.includes('angular'));
  assert.deepEqual(linked, examples.sort());
});
