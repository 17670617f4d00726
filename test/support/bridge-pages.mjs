// The test server's bridge pages and the "attacker's" script, for the bridge tests:
//   /test/hosted-bridge.html   the self-hosted bridge as createBridgeHtml writes it, for the test
//                              server's two origins (where the SDK double lives), or for those
//                              `?origins=a,b` names; served with no CSP header: the page's own
//                              policy must hold by itself
//   /test/fixtures/evil.js?tag=…  a script an attacker would name; each request for it is counted
//                              by its tag, so a test can tell that it was never even fetched
//   /test/evil-hits?tag=…      how many times that tag's script was requested: { hits }
import { createBridgeHtml } from '../../dist/bridge/create-bridge-html.js';

const hits = new Map();

/** The test server's two origins, as the browser sees them (localhost and 127.0.0.1, one port). */
const serverOrigins = (context) => {
  const port = context.host.split(':').at(-1);
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
};

export const bridgePages = [
  (context, next) => {
    if (context.path !== '/test/hosted-bridge.html') return next();
    context.type = 'html';
    const named = context.query.origins ? String(context.query.origins).split(',') : undefined;
    context.body = createBridgeHtml({ sdkOrigins: named ?? serverOrigins(context) }).html;
  },
  (context, next) => {
    if (context.path !== '/test/fixtures/evil.js') return next();
    const tag = String(context.query.tag ?? '');
    hits.set(tag, (hits.get(tag) ?? 0) + 1);
    context.type = 'js';
    context.set('cache-control', 'no-store');
    context.body = 'self.winkEvilRan = (self.winkEvilRan || 0) + 1;';
  },
  (context, next) => {
    if (context.path !== '/test/evil-hits') return next();
    context.set('cache-control', 'no-store');
    context.body = { hits: hits.get(String(context.query.tag ?? '')) ?? 0 };
  },
];
