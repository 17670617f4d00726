// The self-hosted bridge page (dist/bridge.html, and any page createBridgeHtml writes) has a URL,
// so any site can open it or frame it with a window name of its choosing: the name is where the
// bridge reads the SDK's URL from. Here the test page plays that site. The bridge must run only
// when framed, load only from its own SDK origins (compared by origin, not by text), and its own
// Content-Security-Policy must hold with no header. "Evil" scripts are on the other origin of the
// test server, which counts each request for them, so a test can tell one was never fetched.
import { expect } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { DOUBLE_URL, OTHER_ORIGIN, mountWidget } from '../support/widget.js';

let tags = 0;
/** A script URL on the "attacker's" origin, with a tag of its own to count its requests by. */
function evilScript(): { tag: string; url: string } {
  const tag = `${Date.now()}-${++tags}`;
  return { tag, url: `${OTHER_ORIGIN}/test/fixtures/evil.js?tag=${tag}` };
}

/** How many times the server was asked for the script of `tag`. */
const hitsOf = async (tag: string): Promise<number> =>
  ((await (await fetch(`/test/evil-hits?tag=${tag}`)).json()) as { hits: number }).hits;

/** Polls `check` until it holds, for what has no event to wait for (another window's load); bounded. */
async function until(check: () => unknown, what: string, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens `path` (on this origin) in a new top-level window named `name`, from a real click, so that no popup blocker refuses it; resolves once its page has loaded. */
async function openWindow(path: string, name: string): Promise<Window> {
  const button = document.createElement('button');
  button.textContent = 'open';
  button.style.cssText = 'position: fixed; left: 0; top: 0; width: 120px; height: 40px';
  let opened: Window | null = null;
  button.addEventListener('click', () => (opened = window.open(path, name)));
  document.body.append(button);
  try {
    const { x, y, width, height } = button.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(x + width / 2), Math.round(y + height / 2)] });
    await until(() => opened, 'the window opening');
  } finally {
    button.remove();
  }
  const popup: Window = opened!;
  // A dynamically inserted script delays its page's load event, so once the page has loaded,
  // any script it was made to load has been requested.
  await until(() => {
    try {
      return (
        popup.location.pathname === new URL(path, location.href).pathname && popup.document.readyState === 'complete'
      );
    } catch {
      return false;
    }
  }, `the window's page ${path} loading`);
  return popup;
}

/** Frames `src` with the browsing-context name `name`; resolves once its page has loaded. */
async function frame(src: string, name: string, sandbox?: string): Promise<HTMLIFrameElement> {
  const iframe = document.createElement('iframe');
  iframe.name = name;
  if (sandbox !== undefined) iframe.setAttribute('sandbox', sandbox);
  iframe.src = src;
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${src} did not load within 5000 ms`)), 5000);
    iframe.addEventListener('load', () => (clearTimeout(timer), resolve()), { once: true });
  });
  document.body.append(iframe);
  await loaded;
  return iframe;
}

const ranIn = (view: Window | null | undefined) => (view as { winkEvilRan?: number } | null)?.winkEvilRan;

describe('the self-hosted bridge page', function () {
  this.timeout(20000);

  describe('opened in a window of its own (frame-ancestors cannot stop that)', () => {
    for (const named of ['after a nonce', 'alone, with no space']) {
      it(`never loads the script a window name names ${named}`, async () => {
        const evil = evilScript();
        const popup = await openWindow(
          '/dist/bridge.html',
          named === 'alone, with no space' ? evil.url : `x ${evil.url}`,
        );
        try {
          expect(ranIn(popup)).to.equal(undefined);
          expect(popup.document.querySelectorAll('script[src]')).to.have.length(0);
          expect(await hitsOf(evil.tag)).to.equal(0);
        } finally {
          popup.close();
        }
      });
    }

    it('does nothing at all, even with an SDK it would load when framed', async () => {
      const name = `x ${DOUBLE_URL}`;
      const popup = await openWindow('/test/hosted-bridge.html', name);
      try {
        expect((popup as { winkDoubleLoads?: number }).winkDoubleLoads).to.equal(undefined);
        // Not even the name is read and cleared: the script stops at its first statement.
        expect(popup.name).to.equal(name);
      } finally {
        popup.close();
      }
    });
  });

  describe('framed by another site', () => {
    for (const sandbox of [undefined, 'allow-scripts']) {
      for (const named of ['after a nonce', 'alone, with no space']) {
        it(`never loads the script a frame name names ${named}, ${sandbox ? `sandboxed "${sandbox}"` : 'unsandboxed'}`, async () => {
          const evil = evilScript();
          const iframe = await frame(
            '/dist/bridge.html',
            named === 'alone, with no space' ? evil.url : `x ${evil.url}`,
            sandbox,
          );
          try {
            if (!sandbox) expect(ranIn(iframe.contentWindow)).to.equal(undefined);
            expect(await hitsOf(evil.tag)).to.equal(0);
          } finally {
            iframe.remove();
          }
        });
      }
    }

    it('compares the SDK URL by origin, not by its text', async () => {
      // Reads as starting with the allowed origin; is a script on the other one.
      const evil = evilScript();
      const allowed = `${location.origin}`;
      const lookalike = evil.url.replace(`${OTHER_ORIGIN}/`, `${allowed}@${new URL(OTHER_ORIGIN).host}/`);
      expect(lookalike.startsWith(allowed)).to.equal(true);
      const { log } = mountWidget({
        sdkUrl: lookalike,
        configure: (widget) => (widget.bridgeUrl = `/test/hosted-bridge.html?origins=${allowed}`),
      });
      const error = await log.until('widget-error');
      expect(error.detail.code).to.equal('SDK_URL_NOT_ALLOWED');
      expect(error.detail.message).to.contain(new URL(OTHER_ORIGIN).host);
      expect(await hitsOf(evil.tag)).to.equal(0);
    });

    it('carries its own Content-Security-Policy, which holds with no header from the server', async () => {
      const iframe = await frame(`/test/hosted-bridge.html?origins=${location.origin}`, `x ${DOUBLE_URL}`);
      try {
        const view = iframe.contentWindow as Window & { winkDoubleLoads?: number; inlineRan?: number };
        // Framed, it loaded the SDK from its own origin as it should.
        await until(() => view.winkDoubleLoads === 1, 'the SDK double loading');
        const page = iframe.contentDocument!;
        const violations: SecurityPolicyViolationEvent[] = [];
        const twoViolations = new Promise<void>((resolve) =>
          page.addEventListener('securitypolicyviolation', (event) => {
            violations.push(event);
            if (violations.length === 2) resolve();
          }),
        );
        const evil = evilScript();
        const script = page.createElement('script');
        script.src = evil.url;
        page.head.append(script);
        const inline = page.createElement('script');
        inline.textContent = 'self.inlineRan = 1;';
        page.head.append(inline);
        await Promise.race([
          twoViolations,
          new Promise((_, reject) => setTimeout(() => reject(new Error('no CSP violation within 5000 ms')), 5000)),
        ]);
        for (const violation of violations) expect(violation.effectiveDirective).to.match(/^script-src/);
        expect(view.inlineRan).to.equal(undefined);
        expect(ranIn(view)).to.equal(undefined);
        expect(await hitsOf(evil.tag)).to.equal(0);
      } finally {
        iframe.remove();
      }
    });
  });

  describe('as a <wink-widget> bridge-url', () => {
    it('refuses an SDK URL off its origins with SDK_URL_NOT_ALLOWED, and never loads it', async () => {
      const evil = evilScript();
      // The shipped page loads from Smile's origin only.
      const { log } = mountWidget({
        sdkUrl: evil.url,
        configure: (widget) => (widget.bridgeUrl = `${OTHER_ORIGIN}/dist/bridge.html`),
      });
      const error = await log.until('widget-error');
      expect(error.detail.code).to.equal('SDK_URL_NOT_ALLOWED');
      expect(error.detail.message).to.contain('https://web.smileapi.io');
      expect(log.types).to.deep.equal(['widget-error']);
      expect(await hitsOf(evil.tag)).to.equal(0);
    });

    it('launches through a generated bridge for the SDK’s origin', async () => {
      const legit = { accountId: 'acc-1', userId: 'usr-1', providerId: 'prv-1' };
      const { log } = mountWidget({
        play: [['onAccountConnected', legit]],
        configure: (widget) =>
          (widget.bridgeUrl = `${OTHER_ORIGIN}/test/hosted-bridge.html?origins=${location.origin}`),
      });
      const connected = await log.until('account-connected');
      expect(connected.detail).to.deep.equal(legit);
      expect(log.types).to.deep.equal(['widget-open', 'account-connected']);
    });
  });
});
