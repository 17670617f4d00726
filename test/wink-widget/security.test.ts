// The security model: forged messages give no event, the token travels only in the launch
// message, over the private port, and widgets on one page never see each other's events.
import { expect, fixture, html } from '@open-wc/testing';
import { DEFAULT_SANDBOX, PROTOCOL_VERSION } from '../../src/index.js';
import { DOUBLE_URL, OTHER_ORIGIN, mountWidget } from '../support/widget.js';

/** A field of a window message's data, whatever that data is. */
const dataField = (event: MessageEvent, name: string): unknown =>
  (event.data as Record<string, unknown> | null)?.[name];

const legit = { accountId: 'legit', userId: 'usr-1', providerId: 'prv-1' };
const forged = { accountId: 'forged', userId: 'forged', providerId: 'forged' };
const forgedCallback = { wink: 'callback', v: PROTOCOL_VERSION, name: 'onAccountConnected', args: [forged] };
const forgedReady = { wink: 'bridge-ready', v: PROTOCOL_VERSION };

/** Collects the messages the page's window receives, and waits (bounded) for one that matches. */
function windowInbox() {
  const received: MessageEvent[] = [];
  const waiters = new Set<() => void>();
  const listener = (event: MessageEvent) => {
    received.push(event);
    for (const wake of waiters) wake();
  };
  addEventListener('message', listener);
  return {
    received,
    launches: () => received.filter((event) => dataField(event, 'wink') === 'launch'),
    until(predicate: (event: MessageEvent) => boolean, timeout = 5000) {
      return new Promise<MessageEvent>((resolve, reject) => {
        const check = () => {
          const found = received.find(predicate);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('message not received in time'));
        }, timeout);
        waiters.add(check);
        check();
      });
    },
    stop: () => removeEventListener('message', listener),
  };
}

const mentionsForged = (detail: unknown) => JSON.stringify(detail ?? null).includes('forged');

describe('<wink-widget> forged messages', () => {
  it('ignores a handshake and callbacks posted by the page itself', async () => {
    const inbox = windowInbox();
    try {
      const { el, log } = mountWidget({ play: [['onAccountConnected', legit]] });
      // Before the real handshake: answering this would post the launch (and token) to the page.
      postMessage(forgedReady, '*');
      await log.until('account-connected');
      postMessage(forgedCallback, '*');
      postMessage({ wink: 'opened', v: PROTOCOL_VERSION }, '*');
      await inbox.until((event) => dataField(event, 'name') === 'onAccountConnected');
      await inbox.until((event) => dataField(event, 'wink') === 'opened');
      el.close();
      expect(inbox.launches()).to.have.length(0);
      expect(log.types).to.deep.equal(['widget-open', 'account-connected', 'widget-close']);
      expect(log.entries.some((entry) => mentionsForged(entry.detail))).to.equal(false);
    } finally {
      inbox.stop();
    }
  });

  for (const where of ['another origin', 'a same-origin sibling iframe'] as const) {
    it(`ignores forged handshakes, callbacks and launches from ${where}`, async () => {
      const inbox = windowInbox();
      try {
        const { el, log } = mountWidget({ play: [['onAccountCreated', legit]] });
        await log.until('account-created');
        const forger = document.createElement('iframe');
        forger.src =
          where === 'another origin' ? `${OTHER_ORIGIN}/test/fixtures/forger.html` : '/test/fixtures/forger.html';
        document.body.append(forger);
        try {
          // Messages from one source arrive in order: every forgery reached this window before 'done'.
          await inbox.until((event) => event.source === forger.contentWindow && dataField(event, 'forger') === 'done');
          el.close();
          const reports = inbox.received
            .filter((event) => event.source === forger.contentWindow)
            .map((event) => dataField(event, 'forger') ?? dataField(event, 'wink'));
          expect(reports).to.deep.equal(['bridge-ready', 'opened', 'callback', 'callback', 'done']);
          expect(log.types).to.deep.equal(['widget-open', 'account-created', 'widget-close']);
          expect(log.entries.some((entry) => mentionsForged(entry.detail))).to.equal(false);
        } finally {
          forger.remove();
        }
      } finally {
        inbox.stop();
      }
    });
  }

  it('waits for its own bridge when an opaque-origin sibling says bridge-ready first', async () => {
    // Every sandboxed frame has the origin 'null', so only `event.source` tells them apart.
    const inbox = windowInbox();
    const forger = document.createElement('iframe');
    try {
      const { el, log } = mountWidget({
        play: [['onAccountCreated', legit]],
        configure: (widget) => (widget.bridgeUrl = '/test/late-bridge.html'),
      });
      await el.updateComplete;
      const bridge = el.shadowRoot!.querySelector('iframe')!;
      await new Promise((resolve) => bridge.addEventListener('load', resolve, { once: true }));
      forger.setAttribute('sandbox', 'allow-scripts');
      forger.src = '/test/fixtures/forger.html';
      document.body.append(forger);
      await inbox.until((event) => event.source === forger.contentWindow && dataField(event, 'forger') === 'done');
      bridge.contentWindow!.postMessage('go', '*');
      await log.until('account-created');
      expect(log.types).to.deep.equal(['widget-open', 'account-created']);
      expect(log.entries.some((entry) => mentionsForged(entry.detail))).to.equal(false);
      el.close();
    } finally {
      forger.remove();
      inbox.stop();
    }
  });

  it('ignores protocol messages the SDK posts to the parent window instead of the port', async () => {
    const inbox = windowInbox();
    try {
      const { el, log } = mountWidget({
        play: [
          ['$postToParent', forgedReady],
          ['$postToParent', forgedCallback],
          ['onAccountCreated', legit],
        ],
      });
      await log.until('account-created');
      await inbox.until((event) => dataField(event, 'name') === 'onAccountConnected');
      el.close();
      expect(log.types).to.deep.equal(['widget-open', 'account-created', 'widget-close']);
      expect(inbox.launches()).to.have.length(0);
    } finally {
      inbox.stop();
    }
  });
});

describe('<wink-widget> isolation', () => {
  it('keeps two widgets on one page apart', async () => {
    const first = mountWidget({
      token: 'tok-a',
      play: [
        ['onAccountConnected', { ...legit, accountId: 'only-a' }],
        ['onClose', 'exit'],
      ],
    });
    const second = mountWidget({
      token: 'tok-b',
      play: [
        ['onAccountConnected', { ...legit, accountId: 'only-b' }],
        ['onClose', 'close'],
      ],
    });
    await Promise.all([first.log.until('widget-close'), second.log.until('widget-close')]);
    expect(first.log.types).to.deep.equal(['widget-open', 'account-connected', 'widget-close']);
    expect(second.log.types).to.deep.equal(['widget-open', 'account-connected', 'widget-close']);
    expect(first.log.of('account-connected')[0].detail.accountId).to.equal('only-a');
    expect(second.log.of('account-connected')[0].detail.accountId).to.equal('only-b');
    expect(first.log.of('widget-close')[0].detail.reason).to.equal('exit');
    expect(second.log.of('widget-close')[0].detail.reason).to.equal('close');
  });

  it('puts the token in no URL, attribute or srcdoc: only in the launch message', async () => {
    const token = 'tok-SECRET-4f1d9c';
    const { el, log } = mountWidget({ token, options: { echoConfig: true } });
    const echo = await log.until('ui-event');
    expect(echo.detail.config.userToken).to.equal(token);
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    const places = [
      location.href,
      document.documentElement.outerHTML,
      el.outerHTML,
      el.shadowRoot!.innerHTML,
      iframe.src,
      iframe.srcdoc,
      iframe.getAttribute('srcdoc') ?? '',
      ...[el, ...el.shadowRoot!.querySelectorAll('*')].flatMap((node) =>
        [...node.attributes].map((attr) => attr.value),
      ),
      ...performance.getEntriesByType('resource').map((entry) => entry.name),
    ];
    for (const place of places) expect(place).not.to.contain(token);
    expect(el.hasAttribute('token')).to.equal(false);
  });

  it('sandboxes the frame with the default tokens and shows the built-in bridge', async () => {
    const { el, log } = mountWidget();
    await log.until('widget-open');
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    expect(iframe.getAttribute('sandbox')).to.equal(DEFAULT_SANDBOX);
    expect(iframe.getAttribute('title')).to.equal('Smile Wink Widget');
    expect(iframe.hasAttribute('src')).to.equal(false);
    expect(iframe.srcdoc).to.contain('<script>');
  });
});

describe('<wink-widget> with a self-hosted bridge-url', () => {
  for (const sameOrigin of [false, true]) {
    it(`works from another origin ${sameOrigin ? 'with allow-same-origin (origin checked)' : 'in an opaque origin'}`, async () => {
      const { el, log } = mountWidget({
        options: { echoConfig: true },
        play: [['onAccountConnected', legit]],
        configure: (widget) => {
          widget.bridgeUrl = `${OTHER_ORIGIN}/test/hosted-bridge.html`;
          if (sameOrigin) widget.sandbox = `${DEFAULT_SANDBOX} allow-same-origin`;
        },
      });
      await log.until('account-connected');
      expect(log.types).to.deep.equal(['widget-open', 'ui-event', 'account-connected']);
      const iframe = el.shadowRoot!.querySelector('iframe')!;
      expect(iframe.getAttribute('src')).to.equal(`${OTHER_ORIGIN}/test/hosted-bridge.html`);
      expect(iframe.hasAttribute('srcdoc')).to.equal(false);
    });
  }

  it('never hands the launch to a bridge that ended up on another origin than bridge-url', async () => {
    // With allow-same-origin the bridge must have the bridge-url's origin; this one redirects to
    // a real bridge elsewhere, which says bridge-ready from the wrong origin.
    const { log } = mountWidget({
      configure: (widget) => {
        const elsewhere = new URL('/test/hosted-bridge.html', location.href).href;
        widget.bridgeUrl = `${OTHER_ORIGIN}/test/redirect?to=${encodeURIComponent(elsewhere)}`;
        widget.sandbox = `${DEFAULT_SANDBOX} allow-same-origin`;
        widget.timeout = 1000;
      },
    });
    const error = await log.until('widget-error', { timeout: 3000 });
    expect(error.detail.code).to.equal('BRIDGE_TIMEOUT');
    expect(log.types).to.deep.equal(['widget-error']);
  });
});

describe('<wink-widget> markup', () => {
  it('can be written as plain HTML attributes', async () => {
    const el = await fixture(
      html`<wink-widget sdk-url=${DOUBLE_URL} template-id="wtpl-1" label="Payroll" timeout="5000"></wink-widget>`,
    );
    expect(el).to.include({ templateId: 'wtpl-1', label: 'Payroll', timeout: 5000, open: false, state: 'idle' });
    expect(el.getAttribute('state')).to.equal('idle');
  });
});
