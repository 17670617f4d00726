// The demo's server (`npm start`): serves demo/ with the dev server, and plays an integrator's
// backend. It mints Link tokens: with SMILE_API_KEY and SMILE_API_SECRET set, with POST /users on
// Smile's sandbox API (the page then runs the real SDK); without them, simulator tokens (the page
// runs the offline simulator). It receives Smile webhooks at POST /webhooks/smile, verified with
// SMILE_WEBHOOK_SECRET, and streams the verified events to the page. In simulator mode it also
// sends itself the signed webhooks that Smile would send for the simulated flows. No secret ever
// leaves this process.
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSimulatorToken } from '../dist/simulator/token.js';
import { createWebhookHandler, signWebhook, toNodeHandler } from '../dist/webhooks/index.js';

export const SANDBOX_API_HOST = 'https://sandbox.smileapi.io/v1';
const SIMULATOR_TOKEN_LIFETIME_MS = 30 * 60 * 1000;

const root = fileURLToPath(new URL('../', import.meta.url));

/** Finds the first `{ accessToken: string, … }` object in an API response, wherever it is nested. */
function findToken(value) {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof value.accessToken === 'string') return value;
  for (const item of Object.values(value)) {
    const found = findToken(item);
    if (found) return found;
  }
  return undefined;
}

/** Mints a sandbox Link token with POST /users, authenticated with the API key and secret. */
export async function mintSmileToken({ apiHost, apiKey, apiSecret, fetchImpl = fetch }) {
  const response = await fetchImpl(`${apiHost.replace(/\/$/, '')}/users`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ externalMetadata: { source: 'wink-widget-demo' } }),
  });
  const body = await response.json().catch(() => undefined);
  const token = findToken(body?.data ?? body);
  if (!response.ok || !token) {
    throw new Error(`POST /users answered ${response.status}${body?.message ? `: ${body.message}` : ''}`);
  }
  return { accessToken: token.accessToken, expiresAt: token.expiresAt, mode: token.mode ?? 'SANDBOX' };
}

/** Reads the demo's settings from the environment. */
export function demoSettings(env = process.env) {
  const apiKey = env.SMILE_API_KEY;
  const apiSecret = env.SMILE_API_SECRET;
  const smile =
    apiKey && apiSecret ? { apiHost: env.SMILE_API_HOST || SANDBOX_API_HOST, apiKey, apiSecret } : undefined;
  return {
    smile,
    port: env.PORT ? Number(env.PORT) : undefined,
    // Where the page loads the real SDK from: Smile's, unless SMILE_SDK_URL names a mirror.
    realSdkUrl: env.SMILE_SDK_URL || undefined,
    // Offline, the demo signs its own simulated webhooks, so it can make up a secret (and says so
    // when it starts, so that requests signed by hand can use it).
    webhookSecret: env.SMILE_WEBHOOK_SECRET || (smile ? undefined : randomBytes(32).toString('hex')),
    webhookSecretMadeUp: !env.SMILE_WEBHOOK_SECRET && !smile,
  };
}

// The demo's own API takes small JSON bodies only.
const MAX_BODY_BYTES = 64 * 1024;

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * POST /webhooks/smile, as an integrator's server would have it: the package's receiver
 * (verify, claim the event id, hand each new event to `onEvent` once, answer), mounted on Node's
 * request and response.
 */
export function webhookReceiver({ secret, onEvent }) {
  const receive = secret ? toNodeHandler(createWebhookHandler({ secret, onEvent })) : undefined;
  return async (context, next) => {
    if (context.path !== '/webhooks/smile') return next();
    if (!receive) {
      context.status = 503;
      context.body = { error: 'NOT_CONFIGURED', message: 'Set SMILE_WEBHOOK_SECRET to receive webhooks.' };
      return;
    }
    // The receiver answers on Node's response itself.
    context.respond = false;
    await receive(context.req, context.res);
  };
}

/**
 * The webhooks Smile sends for what a widget event reports, as [type, data] pairs, in the shapes
 * of Smile's spec. The widget never sees the login name or Smile's error message, so simulated
 * webhooks carry marked stand-ins for those two.
 */
export function webhooksFor(eventName, detail) {
  const account = (extra = {}) => ({
    userId: detail.userId,
    accountId: detail.accountId,
    ...extra,
    providers: [detail.providerId],
  });
  const loginName = SIMULATED_LOGIN_NAME;
  const archives = (type) =>
    (detail.uploads ?? []).map((upload) => [type, { userId: detail.userId, archiveId: upload.id }]);
  switch (eventName) {
    case 'account-created':
      return [['ACCOUNT_CREATED', account()]];
    case 'account-connected':
      return [['ACCOUNT_CONNECTED', account({ loginName })]];
    case 'account-error':
      return [
        [
          'ACCOUNT_FAILED',
          account({ loginName, errorCode: detail.errorCode, errorMessage: `Simulated ${detail.errorCode}` }),
        ],
      ];
    case 'account-removed':
      return [['ACCOUNT_DISCONNECTED', account()]];
    case 'uploads-created':
      return archives('ARCHIVE_STARTED');
    case 'uploads-removed':
      return archives('ARCHIVE_REVOKED');
    default:
      return [];
  }
}

/** What simulated account webhooks carry as `loginName`, which the widget never sees. */
export const SIMULATED_LOGIN_NAME = 'simulated-login';

/** Signs and POSTs a webhook to `url`, as Smile does. */
export async function deliverWebhook(url, secret, type, data) {
  const body = JSON.stringify({
    id: `et-${randomBytes(16).toString('hex')}`,
    version: 1,
    type,
    createdAt: new Date().toISOString(),
    data,
  });
  const signature = await signWebhook(body, secret);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'smile-signature': signature },
    body,
  });
  return response.status;
}

/** Server-sent events: every verified webhook, to every open demo page. */
function webhookStream() {
  const clients = new Set();
  return {
    publish(event) {
      for (const response of clients) response.write(`data: ${JSON.stringify(event)}\n\n`);
    },
    middleware: (context, next) => {
      if (context.path !== '/demo/api/webhooks/stream') return next();
      context.respond = false;
      const response = context.res;
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      clients.add(response);
      context.req.on('close', () => clients.delete(response));
    },
    close() {
      for (const response of clients) response.end();
      clients.clear();
    },
  };
}

/** Koa middleware for the demo's API: its mode, and a Link token for each launch. */
export function demoApi(settings) {
  return async (context, next) => {
    if (context.path === '/demo/api/config' && context.method === 'GET') {
      context.body = { sdk: settings.smile ? 'smile' : 'simulator', realSdkUrl: settings.realSdkUrl };
      return;
    }
    if (context.path === '/demo/api/link-token' && context.method === 'POST') {
      try {
        context.body = settings.smile
          ? await mintSmileToken(settings.smile)
          : {
              accessToken: createSimulatorToken({
                userId: 'usr_demo',
                expiresAt: new Date(Date.now() + SIMULATOR_TOKEN_LIFETIME_MS).toISOString(),
              }),
              expiresAt: new Date(Date.now() + SIMULATOR_TOKEN_LIFETIME_MS).toISOString(),
              mode: 'SANDBOX',
            };
      } catch (error) {
        context.status = 502;
        context.body = { message: error.message };
      }
      return;
    }
    return next();
  };
}

/**
 * In simulator mode, POST /demo/api/simulate-webhook `{ event, detail }` (a widget event the page
 * saw) makes the server deliver the matching signed webhooks to its own /webhooks/smile.
 */
function webhookSimulator(settings, ownUrl) {
  return async (context, next) => {
    if (context.path !== '/demo/api/simulate-webhook' || context.method !== 'POST') return next();
    if (settings.smile) {
      context.status = 404;
      return;
    }
    const { event, detail } = JSON.parse((await readBody(context.req))?.toString() || '{}');
    const statuses = [];
    for (const [type, data] of webhooksFor(event, detail ?? {})) {
      statuses.push(await deliverWebhook(`${ownUrl()}/webhooks/smile`, settings.webhookSecret, type, data));
    }
    context.body = { delivered: statuses };
  };
}

/** Starts the demo server; resolves with its URL and a stop function. */
export async function startDemoServer({ env = process.env, logStartMessage = false } = {}) {
  const settings = demoSettings(env);
  const stream = webhookStream();
  let port;
  const server = await startDevServer({
    config: {
      rootDir: root,
      port: settings.port,
      nodeResolve: true,
      middleware: [
        (context, next) => (context.path === '/' ? context.redirect('/demo/') : next()),
        demoApi(settings),
        webhookReceiver({ secret: settings.webhookSecret, onEvent: stream.publish }),
        stream.middleware,
        webhookSimulator(settings, () => `http://127.0.0.1:${port}`),
      ],
      plugins: [
        esbuildPlugin({
          ts: true,
          target: 'es2022',
          tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
        }),
      ],
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage,
    autoExitProcess: false,
  });
  port = server.config.port;
  const url = `http://localhost:${port}/demo/`;
  return {
    url,
    sdk: settings.smile ? 'smile' : 'simulator',
    startMessage: startMessage(url, settings),
    stop: async () => {
      stream.close();
      await server.stop();
    },
  };
}

/** What the demo says when it starts: where it is, what it runs on, and how webhooks reach it. */
function startMessage(url, { smile, webhookSecret, webhookSecretMadeUp }) {
  const webhooks = `POST ${url.replace('/demo/', '/webhooks/smile')}`;
  return [
    '',
    `  wink-widget demo: ${url}`,
    smile
      ? '  Link tokens: minted on Smile’s sandbox with SMILE_API_KEY / SMILE_API_SECRET; the real SDK runs.'
      : '  Running on the offline simulator. Set SMILE_API_KEY and SMILE_API_SECRET to mint real sandbox tokens.',
    !webhookSecret
      ? `  Webhooks: ${webhooks}, answered 503 until SMILE_WEBHOOK_SECRET is set to your webhook's secret.`
      : webhookSecretMadeUp
        ? `  Webhooks: ${webhooks}, fed by the simulated flows and verified with a secret made up for this run:\n` +
          `    ${webhookSecret}\n` +
          '  Sign requests of your own with it (HMAC-SHA512 of the body, hex, in Smile-Signature), or set SMILE_WEBHOOK_SECRET.'
        : `  Webhooks: ${webhooks}, verified with SMILE_WEBHOOK_SECRET.`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startMessage: message } = await startDemoServer();
  console.log(message);
}
