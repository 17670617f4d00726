// The test server's own routes, for the browser suites (web-test-runner.config.mjs mounts them):
// the demo's API, the built bridge pages and their test variants, the simulator where the README
// says it is served, the event stream the browser client is tested on, and pages under a real
// CSP or rendered by @lit-labs/ssr.
import { readFile } from 'node:fs/promises';
import { demoApi } from '../../demo/server.mjs';
import { BRIDGE_HTML } from '../../dist/bridge/bridge-document.js';
import {
  createEventStream,
  createWebhookHandler,
  memoryEventBus,
  signWebhook,
  toNodeHandler,
} from '../../dist/webhooks/index.js';
import { bridgePages } from './bridge-pages.mjs';

const root = new URL('../../', import.meta.url);

// The event stream the browser client is tested on: Smile's webhooks through the package's own
// receiver, onto a memory bus, pushed to the page of the user its `wink-test-user` cookie names,
// or its bearer token `tok:<user>:<n>`, unless that token was revoked.
const eventsSecret = 'whsec_browser_events';
const eventsBus = memoryEventBus();
const revokedTokens = new Set();
const eventStream = createEventStream({
  bus: eventsBus,
  retryMs: 200,
  authorize: (request) => {
    const bearer = /^Bearer (tok:([^:]+):\d+)$/.exec(request.headers.get('authorization') ?? '');
    if (bearer && !revokedTokens.has(bearer[1])) return [decodeURIComponent(bearer[2])];
    if (bearer) {
      unauthorized++;
      return null;
    }
    const user = /(?:^|;\s*)wink-test-user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
    if (!user) unauthorized++;
    return user ? [decodeURIComponent(user)] : null;
  },
});
const streamEvents = toNodeHandler(eventStream);
const receiveWebhook = createWebhookHandler({ secret: eventsSecret, onEvent: () => {}, bus: eventsBus });
let eventSequence = 0;
let linkTokens = 0;
// How many stream requests came with no session or a revoked token (each a 401): GET `/test/events/unauthorized`.
let unauthorized = 0;

/** The routes, in the order they are tried. */
export const testServerMiddleware = [
  // The demo server's API (simulator tokens), which the demo and framework example pages call;
  // its "real SDK" is a script that does not exist, on this server, as when Smile's cannot load.
  demoApi({ smile: undefined, realSdkUrl: '/test/fixtures/no-such-sdk.js' }, { bus: eventsBus }),
  ...bridgePages,
  // The shipped bridge page exactly as built, without the dev server's HTML transforms.
  async (context, next) => {
    if (context.path !== '/dist/bridge.html') return next();
    context.type = 'html';
    context.body = await readFile(new URL('dist/bridge.html', root), 'utf8');
  },
  // Where the README's simulator snippet says the simulator is served.
  async (context, next) => {
    if (context.path !== '/assets/wink-simulator.js') return next();
    context.type = 'js';
    context.body = await readFile(new URL('dist/simulator.js', root), 'utf8');
  },
  // `/test/events`: the event stream. POST `/test/events/send` `{ type, data }`: the webhook as
  // Smile signs it, through the receiver; answers its id. POST `/test/events/cut`: the server
  // ends every stream, as a deploy does.
  async (context, next) => {
    // `/smile/events` too: where the README's browser snippet listens.
    if (context.path === '/test/events' || context.path === '/smile/events') {
      context.respond = false;
      return streamEvents(context.req, context.res);
    }
    if (context.path === '/test/events/unauthorized') {
      context.set('cache-control', 'no-store');
      context.body = { unauthorized };
      return;
    }
    if (context.path === '/test/events/cut' && context.method === 'POST') {
      eventStream.endStreams();
      context.body = { cut: true };
      return;
    }
    // POST `/test/events/revoke?token=`: a bearer token the stream refuses from then on.
    if (context.path === '/test/events/revoke' && context.method === 'POST') {
      revokedTokens.add(String(context.query.token));
      context.body = { revoked: true };
      return;
    }
    if (context.path !== '/test/events/send' || context.method !== 'POST') return next();
    let text = '';
    for await (const chunk of context.req) text += chunk;
    const { type, data } = JSON.parse(text);
    const id = `et-browser-${++eventSequence}`;
    const body = JSON.stringify({ id, version: 1, type, createdAt: new Date().toISOString(), data });
    const answer = await receiveWebhook(
      new Request('http://localhost/webhooks', {
        method: 'POST',
        body,
        headers: { 'smile-signature': await signWebhook(body, eventsSecret) },
      }),
    );
    context.body = { id, status: answer.status };
  },
  // `/test/redirect?to=URL`: lets a test send the bridge iframe to another origin.
  // POST `/link-token`: the token endpoint the README and the guides show, as one backend: a new
  // Smile user for the page's session, answered { accessToken, userId }, the session set as the
  // `wink-test-user` cookie that the event stream's authorize reads.
  (context, next) => {
    if (context.path !== '/link-token') return next();
    if (context.method !== 'POST') {
      context.status = 405;
      context.set('allow', 'POST');
      return;
    }
    const userId = `usr-link-${Date.now()}-${++linkTokens}`;
    context.set('set-cookie', `wink-test-user=${userId}; Path=/; SameSite=Strict`);
    context.body = { accessToken: `tok-${userId}`, userId };
  },
  (context, next) => {
    if (context.path !== '/test/redirect') return next();
    context.redirect(String(context.query.to));
  },
  // `/test/csp.html?hash=…`: a page under a real Content-Security-Policy response header whose
  // script-src allows this server's scripts and the given hash, with a <wink-widget> on it.
  (context, next) => {
    if (context.path !== '/test/csp.html') return next();
    const origin = `${context.protocol}://${context.host}`;
    context.set('Content-Security-Policy', `script-src ${origin} ${String(context.query.hash)}`);
    context.type = 'html';
    context.body = `<!doctype html><title>Under a strict CSP</title>
<script type="module" src="/dist/wink-widget.min.js"></script>
<wink-widget sdk-url="/test/fixtures/sdk-double.js" template-id="wtpl-csp"></wink-widget>`;
  },
  // `/test/ssr?modal=1`: <wink-widget> as @lit-labs/ssr renders it on a server, on the SDK double.
  async (context, next) => {
    if (context.path !== '/test/ssr') return next();
    const { renderWidget } = await import('./ssr.mjs');
    const sdkUrl = new URL('/test/fixtures/sdk-double.js', `${context.protocol}://${context.host}`).href;
    context.type = 'html';
    context.body = renderWidget({ modal: context.query.modal === '1', sdkUrl });
  },
  // `/test/spy-bridge.html`: the built-in bridge page behind a spy that records every message
  // the bridge receives, by window or by port, and reports them with the SDK double's counts
  // when its parent posts { spy: 'report' }: what the frame has been told, seen from inside it.
  // (The built-in page, whose script is the same runtime: the self-hosted one's own CSP would
  // refuse the spy.)
  async (context, next) => {
    if (context.path !== '/test/spy-bridge.html') return next();
    const page = BRIDGE_HTML;
    const spy = `(() => {
        const received = [];
        const note = (via, data) => received.push({ via, data: JSON.stringify(data) });
        addEventListener('message', (event) => {
          if (event.data && event.data.spy === 'report') {
            const counts = { sdkLoads: self.winkDoubleLoads ?? 0, constructed: self.winkDoubleConstructed ?? 0 };
            parent.postMessage({ spy: { received, ...counts } }, '*');
          } else note('window', event.data);
        }, true);
        const handler = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
        Object.defineProperty(MessagePort.prototype, 'onmessage', {
          configurable: true,
          get() { return handler.get.call(this); },
          set(listener) {
            handler.set.call(this, listener && function (event) { note('port', event.data); return listener.call(this, event); });
          },
        });
      })();`;
    context.type = 'html';
    context.body = page.replace('<script>', `<script>${spy}</script><script>`);
  },
  // `/test/late-bridge.html`: the built-in bridge page, held back until its parent posts 'go', so
  // that a test can act while the element is still waiting for the handshake.
  async (context, next) => {
    if (context.path !== '/test/late-bridge.html') return next();
    const page = BRIDGE_HTML;
    context.type = 'html';
    context.body = page.replace(
      /<script>([\s\S]*)<\/script>/,
      (_, script) =>
        `<script>addEventListener('message', function go(event) { if (event.data !== 'go') return; removeEventListener('message', go); ${script} });</script>`,
    );
  },
];
