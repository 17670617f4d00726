// The demo as a person meets it: `npm start`'s server in headless Chromium. And its real-token
// path, against a local fake of Smile's POST /users that this test starts itself.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { startDemoServer } from '../../demo/server.mjs';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium.mjs';

let browser;
before(async () => {
  browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
});
after(() => browser?.close());

const noSmileCredentials = { ...process.env, SMILE_API_KEY: '', SMILE_API_SECRET: '', PORT: '' };

describe('the demo on the simulator', () => {
  test('opening the widget logs widget-open and then the first ui-event', async () => {
    const server = await startDemoServer({ env: noSmileCredentials });
    const page = await browser.newPage();
    try {
      await page.goto(server.url, { waitUntil: 'networkidle0' });
      assert.equal(await page.$eval('#mode', (badge) => badge.textContent), 'Offline simulator');
      await page.click('#open-inline');
      await page.waitForSelector('#log li[data-event="ui-event"]', { timeout: 10000 });
      const logged = await page.$$eval('#log li', (items) =>
        items.reverse().map((item) => ({ event: item.dataset.event, detail: JSON.parse(item.querySelector('pre').textContent) })),
      );
      assert.deepEqual(logged.map((entry) => entry.event), ['widget-open', 'ui-event']);
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
      await page.goto(server.url, { waitUntil: 'networkidle0' });
      await page.$eval('#scenario-buttons', (buttons) => buttons.scrollIntoView());
      await page.click('[data-scenario="close"]');
      await page.waitForSelector('#log li[data-event="widget-close"]', { timeout: 10000 });
      const events = await page.$$eval('#log li', (items) => items.reverse().map((item) => item.dataset.event));
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

  before(async () => {
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
  after(() => new Promise((resolve) => fake.close(resolve)));

  const env = () => ({
    ...process.env,
    PORT: '',
    SMILE_API_KEY: 'demo-key',
    SMILE_API_SECRET: secret,
    SMILE_API_HOST: `http://127.0.0.1:${fake.address().port}/v1`,
  });

  test('mints a sandbox Link token with POST /users and Basic auth; the secret never reaches the browser', async () => {
    answer = [
      201,
      {
        code: 'CREATED',
        message: 'Success',
        requestId: 'req-1',
        data: { user: { id: 'usr_fake' }, token: { accessToken: 'tok-from-fake', expiresAt: '2026-11-22T12:00:00Z', mode: 'SANDBOX' } },
      },
    ];
    requests.length = 0;
    const server = await startDemoServer({ env: env() });
    const page = await browser.newPage();
    const bodies = [];
    page.on('response', async (response) => bodies.push(await response.text().catch(() => '')));
    try {
      await page.goto(server.url, { waitUntil: 'networkidle0' });
      assert.equal(await page.$eval('#mode', (badge) => badge.textContent), 'Smile sandbox (real SDK)');
      const token = await page.evaluate(() => fetch('/demo/api/link-token', { method: 'POST' }).then((response) => response.json()));
      assert.deepEqual(token, { accessToken: 'tok-from-fake', expiresAt: '2026-11-22T12:00:00Z', mode: 'SANDBOX' });
      assert.equal(requests.length, 1);
      assert.equal(requests[0].method, 'POST');
      assert.equal(requests[0].url, '/v1/users');
      assert.equal(requests[0].authorization, `Basic ${Buffer.from(`demo-key:${secret}`).toString('base64')}`);
      assert.ok(bodies.length > 3, 'the page loaded its scripts');
      for (const body of bodies) assert.ok(!body.includes(secret), 'a response to the browser held the secret');
      assert.ok(!(await page.content()).includes(secret));
    } finally {
      await page.close();
      await server.stop();
    }
  });

  test('reports a refused POST /users as a 502 with the API message, and still no secret', async () => {
    answer = [401, { code: 'INVALID_CREDENTIALS', message: 'Invalid API key or secret' }];
    const server = await startDemoServer({ env: env() });
    try {
      const response = await fetch(`${server.url}api/link-token`, { method: 'POST' });
      assert.equal(response.status, 502);
      const text = await response.text();
      assert.match(text, /401: Invalid API key or secret/);
      assert.ok(!text.includes(secret));
    } finally {
      await server.stop();
    }
  });
});
