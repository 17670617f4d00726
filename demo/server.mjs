// The demo's server (`npm start`): serves demo/ with the dev server, and plays an integrator's
// backend. It mints Link tokens: with SMILE_API_KEY and SMILE_API_SECRET set, on Smile's sandbox
// API through wink-widget/api's createLinkToken (a new Smile user for a new session, a token of
// its own user for a returning one; the page then runs the real SDK); without them, simulator
// tokens (the page runs the offline simulator). It receives Smile webhooks at POST /webhooks/smile, verified with
// SMILE_WEBHOOK_SECRET, and pushes each verified event to the pages of its user with the package's
// own event stream (GET /demo/api/events, scoped by the session cookie that minting a token sets).
// In simulator mode it also sends itself the signed webhooks that Smile would send for the
// simulated flows, and what follows a connection: the task, then the data. No secret ever leaves
// this process. It listens on this machine's loopback addresses only, answers only a Host that
// names this machine, and serves only the folders the demo needs (see demo/loopback.mjs).
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost, listenOnLoopback, servesPath } from './loopback.mjs';
import { sessionStore } from './sessions.mjs';
import { createSmileClient } from '../dist/api/index.js';
import { deliverWebhook as deliver } from '../dist/cli/deliver.js';
import { CONNECT_FLOW_DATAPOINTS, SIMULATED_LOGIN_NAME, connectFlow, newWebhookEvent } from '../dist/cli/flows.js';
import { createSimulatorToken } from '../dist/simulator/token.js';
import { createEventStream, createWebhookHandler, memoryEventBus, toNodeHandler } from '../dist/webhooks/index.js';

const SIMULATOR_TOKEN_LIFETIME_MS = 30 * 60 * 1000;
/** Where `npm start` listens unless PORT says otherwise (the next free port when it is taken). */
const DEFAULT_PORT = 8000;

const root = fileURLToPath(new URL('../', import.meta.url));

/** Reads the demo's settings from the environment. */
export function demoSettings(env = process.env) {
  const apiKey = env.SMILE_API_KEY;
  const apiSecret = env.SMILE_API_SECRET;
  // SMILE_API_BASE_URL points the client elsewhere than Smile's sandbox (a mock of its API, a proxy).
  const smile = apiKey && apiSecret ? { apiKey, apiSecret, baseUrl: env.SMILE_API_BASE_URL || undefined } : undefined;
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
const MAX_BODY_BYTES = 16 * 1024;

/** The request's JSON body, or undefined when it is too large or not JSON. */
async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * POST /webhooks/smile, as an integrator's server would have it: the package's receiver
 * (verify, claim the event id, hand each new event to `onEvent` once, answer), mounted on Node's
 * request and response.
 */
export function webhookReceiver({ secret, onEvent = () => {}, bus }) {
  const receive = secret ? toNodeHandler(createWebhookHandler({ secret, onEvent, bus })) : undefined;
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
      // The first of the connection's webhooks; the rest follow it (see followUpWebhooks).
      return connectFlow({ ...detail, loginName }).slice(0, 1);
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

/** The data a simulated connection brings in (the package's connect flow, as `wink-widget trigger flow connect` sends it). */
export const SIMULATED_DATAPOINTS = [...CONNECT_FLOW_DATAPOINTS];
export { SIMULATED_LOGIN_NAME };

/** What Smile sends after `ACCOUNT_CONNECTED`: the rest of the package's connect flow. */
export const followUpWebhooks = (detail) => connectFlow(detail).slice(1);

/** The widget events that Smile answers with webhooks (see webhooksFor). */
const ACCOUNT_EVENTS = ['account-created', 'account-connected', 'account-error', 'account-removed'];
const UPLOAD_EVENTS = ['uploads-created', 'uploads-removed'];
// Tested as strings only: a RegExp would read `undefined` or an object as text.
const isSimulatedId = (value) => typeof value === 'string' && /^[\w.-]{1,64}$/.test(value);
const isSimulatedCode = (value) => typeof value === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(value);
const MAX_SIMULATED_UPLOADS = 20;

/**
 * The detail of a widget event the page reports, as the simulated webhooks may use it: only
 * the fields they need, each a short identifier, with the session's own user; `undefined` when
 * anything does not fit. The page's word is never taken for whose event it is.
 */
export function simulatedDetail(event, detail, userId) {
  if (typeof detail !== 'object' || detail === null) return undefined;
  if (ACCOUNT_EVENTS.includes(event)) {
    const { accountId, providerId, errorCode } = detail;
    if (!isSimulatedId(accountId) || !isSimulatedId(providerId)) return undefined;
    if (event !== 'account-error') return { userId, accountId, providerId };
    return isSimulatedCode(errorCode) ? { userId, accountId, providerId, errorCode } : undefined;
  }
  if (UPLOAD_EVENTS.includes(event)) {
    const { uploads } = detail;
    if (!Array.isArray(uploads) || uploads.length > MAX_SIMULATED_UPLOADS) return undefined;
    if (!uploads.every((upload) => isSimulatedId(upload?.id))) return undefined;
    return { userId, uploads: uploads.map(({ id }) => ({ id })) };
  }
  return undefined;
}

/** Signs and POSTs a webhook to `url`, as Smile does; resolves with the receiver's status. */
export async function deliverWebhook(url, secret, type, data) {
  return (await deliver(url, secret, newWebhookEvent(type, data))).status;
}

const SESSION_COOKIE = 'wink-demo-session';
const sessionOf = (cookie) => new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([0-9a-f]{32})(?:;|$)`).exec(cookie ?? '')?.[1];

/**
 * Koa middleware for the demo's API: its mode; a Link token for each launch, which also gives the
 * page its session (an HttpOnly cookie of an id only this server issues, bound on the server to
 * the token's Smile user); and GET /demo/api/events, the package's event stream of that user's
 * webhooks, on `bus`.
 */
export function demoApi(settings, { bus = memoryEventBus(), sessions = sessionStore(), log = console } = {}) {
  const smile = settings.smile && createSmileClient(settings.smile);
  const stream = createEventStream({
    bus,
    authorize: (request) => {
      const userId = sessions.userOf(sessionOf(request.headers.get('cookie')));
      return userId ? [userId] : null;
    },
  });
  const events = toNodeHandler(stream);
  const middleware = async (context, next) => {
    if (context.path === '/demo/api/config' && context.method === 'GET') {
      context.body = {
        sdk: settings.smile ? 'smile' : 'simulator',
        realSdkUrl: settings.realSdkUrl,
        simulatedWebhooks: Boolean(settings.webhookSecretMadeUp),
      };
      return;
    }
    if (context.path === '/demo/api/link-token' && context.method === 'POST') {
      let session = sessionOf(context.get('cookie'));
      // Only an id this server issued is a session: one the client made up gets a new one.
      if (!sessions.has(session)) {
        session = sessions.issue();
        const secure = context.secure ? '; Secure' : '';
        const maxAge = Math.floor(sessions.ttlMs / 1000);
        context.set(
          'set-cookie',
          `${SESSION_COOKIE}=${session}; Path=/demo/api; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
        );
      }
      try {
        let token;
        if (smile) {
          // A returning session's Smile user gets a token of its own (POST /tokens); a new one, a new user (POST /users).
          const known = sessions.userOf(session);
          token = await smile.createLinkToken(
            known ? { userId: known } : { externalMetadata: { source: 'wink-widget-demo' } },
          );
        } else {
          const userId = sessions.userOf(session) ?? `usr_demo_${randomBytes(4).toString('hex')}`;
          const expiresAt = new Date(Date.now() + SIMULATOR_TOKEN_LIFETIME_MS).toISOString();
          token = { accessToken: createSimulatorToken({ userId, expiresAt }), expiresAt, mode: 'SANDBOX', userId };
        }
        if (token.userId) sessions.bind(session, token.userId);
        context.body = token;
      } catch (error) {
        // Smile's own words stay in the server's log; the page learns only that it failed.
        const status = error.status === undefined ? '' : ` (HTTP ${error.status}, ${error.code})`;
        log.error(`link-token: ${error.message}${status}`);
        context.status = 502;
        context.body = {
          error: 'SMILE_UNAVAILABLE',
          message: 'Smile did not mint a Link token; the demo server logged why.',
        };
      }
      return;
    }
    if (context.path === '/demo/api/events') {
      // The stream answers on Node's response itself, for as long as the page listens.
      context.respond = false;
      await events(context.req, context.res);
      return;
    }
    return next();
  };
  return Object.assign(middleware, {
    sessions,
    sessionOf: (context) => sessionOf(context.get('cookie')),
    close: () => stream.close(),
  });
}

/**
 * POST /demo/api/simulate-webhook `{ event, detail }` (a widget event the page saw) makes the
 * server deliver the matching signed webhooks to its own /webhooks/smile, for the page's own
 * session's user. Only offline with the secret made up for this run: with a real secret it would
 * sign whatever a page asked, so then it does not exist.
 */
export function webhookSimulator(settings, ownUrl, api) {
  return async (context, next) => {
    if (context.path !== '/demo/api/simulate-webhook' || context.method !== 'POST') return next();
    if (!settings.webhookSecretMadeUp) {
      context.status = 404;
      return;
    }
    const userId = api.sessions.userOf(api.sessionOf(context));
    if (!userId) {
      context.status = 401;
      context.body = { error: 'NO_SESSION' };
      return;
    }
    const request = await readJson(context.req);
    const event = request?.event;
    if (![...ACCOUNT_EVENTS, ...UPLOAD_EVENTS].includes(event)) {
      // The page reports every widget event; most have no webhook.
      context.body = { delivered: [] };
      return;
    }
    const detail = simulatedDetail(event, request.detail, userId);
    if (!detail) {
      context.status = 400;
      context.body = { error: 'INVALID_DETAIL' };
      return;
    }
    const deliver = ([type, data]) => deliverWebhook(`${ownUrl()}/webhooks/smile`, settings.webhookSecret, type, data);
    const statuses = [];
    for (const webhook of webhooksFor(event, detail)) statuses.push(await deliver(webhook));
    // A moment after the connection, as on Smile: the sync task, then the data, one by one.
    if (event === 'account-connected') {
      void (async () => {
        for (const webhook of followUpWebhooks(detail)) {
          await new Promise((resolve) => setTimeout(resolve, settings.followUpDelayMs ?? 600));
          await deliver(webhook).catch(() => undefined);
        }
      })();
    }
    context.body = { delivered: statuses };
  };
}

/**
 * What the demo serves as files: its pages, the sources and builds they load, and Lit. Nothing
 * else of the repository (no `/.git/`, no `package.json`), and nothing outside it.
 */
export const SERVED_PREFIXES = [
  '/demo/',
  '/src/',
  '/dist/',
  '/node_modules/lit/',
  '/node_modules/lit-html/',
  '/node_modules/lit-element/',
  '/node_modules/@lit/reactive-element/',
];

/** The receiver's route: it verifies every request's signature, so it may come through a tunnel. */
const WEBHOOK_PATH = '/webhooks/smile';

/**
 * Answers only requests whose Host names this machine at its port (a DNS-rebound name of another
 * site is refused), and only for the files of {@link SERVED_PREFIXES} and the demo's own routes.
 */
export function requestGuard(port) {
  return (context, next) => {
    // Smile's deliveries reach a laptop through a tunnel whose Host is the tunnel's; a signature
    // that checks out is what lets them in, whatever the Host.
    if (context.path === WEBHOOK_PATH) return next();
    if (!isLoopbackHost(context.get('host'), port())) {
      context.status = 403;
      context.body = { error: 'HOST_NOT_ALLOWED', message: 'The demo answers only localhost, 127.0.0.1 and [::1].' };
      return;
    }
    if (context.path === '/') return context.redirect('/demo/');
    if (!servesPath(context.path, SERVED_PREFIXES)) {
      context.status = 404;
      context.body = 'Not found';
      return;
    }
    return next();
  };
}

/** Starts the demo server on this machine's loopback addresses; resolves with its URL and a stop function. */
export async function startDemoServer({ env = process.env, log = console } = {}) {
  const settings = demoSettings(env);
  const bus = memoryEventBus();
  const api = demoApi(settings, { bus, log });
  let port;
  // The dev server only handles requests here: the sockets are the demo's own, on loopback only,
  // since the dev server's own listening would take every interface.
  const dev = await startDevServer({
    config: {
      rootDir: root,
      // A node_modules that is a link (a clone sharing another's install, pnpm) resolves to a
      // path under the root, which SERVED_PREFIXES allows, not to the link's target outside it,
      // which the dev server would serve through /__wds-outside-root__/, refused above.
      nodeResolve: true,
      preserveSymlinks: true,
      middlewareMode: true,
      injectWebSocket: false,
      middleware: [
        requestGuard(() => port),
        api,
        webhookReceiver({ secret: settings.webhookSecret, bus }),
        webhookSimulator(settings, () => `http://127.0.0.1:${port}`, api),
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
    logStartMessage: false,
    autoExitProcess: false,
  });
  const listening = await listenOnLoopback(dev.koaApp.callback(), {
    port: settings.port ?? DEFAULT_PORT,
    scan: settings.port === undefined,
  }).catch(async (error) => {
    await dev.stop();
    throw error;
  });
  port = listening.port;
  const url = `http://localhost:${port}/demo/`;
  return {
    url,
    port,
    addresses: listening.servers.map((server) => server.address()),
    sdk: settings.smile ? 'smile' : 'simulator',
    startMessage: startMessage(url, settings),
    stop: async () => {
      api.close();
      for (const server of listening.servers) server.closeAllConnections();
      await Promise.all([listening.close(), dev.stop()]);
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
