// `preload`: a frame made ready before the click (handshaken, the SDK's script loaded, hidden and
// inert, with no token), that `show()` only launches. Seen from the page, and from inside the
// frame through /test/spy-bridge.html, the real bridge behind a spy.
import { expect } from '@open-wc/testing';
import type { WinkWidget } from '../../src/index.js';
import { messageListeners } from '../support/listeners.js';
import { DOUBLE_URL, EventLog, mountWidget } from '../support/widget.js';

const TOKEN = 'tok-preload-secret';
const SPY_BRIDGE = '/test/spy-bridge.html';
const account = { accountId: 'acc-1', userId: 'usr-1', providerId: 'prv-1' };

const frameOf = (el: WinkWidget) => el.shadowRoot!.querySelector('iframe');

interface SpyReport {
  received: { via: 'window' | 'port'; data: string }[];
  sdkLoads: number;
  constructed: number;
}

/** What the spy bridge in `iframe` has received so far, and the SDK double's counts there. */
function spyReport(iframe: HTMLIFrameElement, timeout = 5000): Promise<SpyReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new Error('no spy report'))), timeout);
    const onMessage = (event: MessageEvent) => {
      const report = (event.data as { spy?: SpyReport } | null)?.spy;
      if (event.source === iframe.contentWindow && report) finish(() => resolve(report));
    };
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      removeEventListener('message', onMessage);
      settle();
    };
    addEventListener('message', onMessage);
    iframe.contentWindow!.postMessage({ spy: 'report' }, '*');
  });
}

const preloaded = (configure?: (el: WinkWidget) => void) =>
  mountWidget({
    open: false,
    token: TOKEN,
    play: [['onAccountConnected', account]],
    configure: (el) => {
      el.preload = true;
      configure?.(el);
    },
  });

describe('<wink-widget preload>', () => {
  it('keeps a frame ready before open: handshaken, the SDK loaded, hidden, inert, and no session', async () => {
    const { el, log } = preloaded();
    expect(el.ready).to.equal(false);
    await log.until('widget-ready');
    expect(el.getAttribute('preload'), 'reflected').to.equal('');
    expect(el.ready).to.equal(true);
    const iframe = frameOf(el)!;
    expect(iframe.hidden, 'hidden').to.equal(true);
    expect(iframe.inert, 'inert').to.equal(true);
    expect(
      getComputedStyle(iframe).display,
      'not rendered, so out of the tab order and the accessibility tree',
    ).to.equal('none');
    expect(el.state).to.equal('idle');
    expect(el.open).to.equal(false);
    expect(log.types).to.deep.equal(['widget-ready']);
  });

  it('show() only launches: the same frame, shown, the SDK loaded once in it, the token only in the launch', async () => {
    const { el, log } = preloaded((widget) => (widget.bridgeUrl = SPY_BRIDGE));
    await log.until('widget-ready');
    const iframe = frameOf(el)!;
    const before = await spyReport(iframe);
    expect(before.sdkLoads, 'the SDK loaded ahead of time').to.equal(1);
    expect(before.constructed, 'and not constructed').to.equal(0);
    expect(before.received.map(({ via }) => via)).to.deep.equal(['window']);
    expect(JSON.parse(before.received[0].data)).to.deep.equal({ wink: 'connect', v: 2 });
    expect(JSON.stringify(before.received), 'no token before the launch').not.to.contain(TOKEN);

    const result = el.show();
    await log.until('account-connected');
    expect(frameOf(el), 'the preloaded frame itself').to.equal(iframe);
    expect(iframe.hidden).to.equal(false);
    expect(iframe.inert).to.equal(false);
    expect(el.ready).to.equal(false);
    const after = await spyReport(iframe);
    expect(after.sdkLoads, 'loaded once in this frame').to.equal(1);
    expect(after.constructed).to.equal(1);
    const withToken = after.received.filter(({ data }) => data.includes(TOKEN));
    expect(
      withToken.map(({ via }) => via),
      'one message has the token, and it came over the port',
    ).to.deep.equal(['port']);
    expect(JSON.parse(withToken[0].data)).to.include({ wink: 'launch' });
    el.close();
    expect((await result).accounts).to.deep.equal([account]);
    expect(log.types).to.deep.equal(['widget-ready', 'widget-open', 'account-connected', 'widget-close']);
  });

  it('never constructs the SDK in a frame that is never opened', async () => {
    const { el, log } = preloaded((widget) => (widget.bridgeUrl = SPY_BRIDGE));
    await log.until('widget-ready');
    const first = frameOf(el)!;
    // A rebuild puts the first frame away unopened; what it did is read before it goes.
    const report = await spyReport(first);
    expect(report).to.include({ sdkLoads: 1, constructed: 0 });
    el.preload = false;
    await el.updateComplete;
    expect(frameOf(el)).to.equal(null);
    expect(log.types).to.deep.equal(['widget-ready']);
  });

  it('asks the tokenProvider at show(), never while preloading', async () => {
    let asked = 0;
    const { el, log } = preloaded((widget) => {
      widget.token = undefined;
      widget.tokenProvider = () => {
        asked++;
        return TOKEN;
      };
    });
    await log.until('widget-ready');
    expect(asked).to.equal(0);
    void el.show();
    await log.until('widget-open');
    expect(asked).to.equal(1);
  });

  it('prepares a new frame after each close, and leaves nothing behind once removed', async () => {
    const listeners = messageListeners();
    try {
      const { el, log } = preloaded();
      await log.until('widget-ready');
      const first = frameOf(el);
      void el.show();
      await log.until('widget-open');
      el.close();
      await log.until('widget-ready', { count: 2 });
      const second = frameOf(el)!;
      expect(second, 'a frame of its own for the next session').not.to.equal(first);
      expect(second.hidden).to.equal(true);
      expect(el.state).to.equal('closed');
      void el.show();
      await log.until('widget-open', { count: 2 });
      expect(frameOf(el)).to.equal(second);
      el.close();
      await log.until('widget-ready', { count: 3 });
      el.remove();
      await el.updateComplete;
      expect(frameOf(el)).to.equal(null);
      expect(el.ready).to.equal(false);
      expect(listeners.live.size, 'window message listeners left').to.equal(0);
      expect(log.types.filter((type) => type === 'widget-error')).to.deep.equal([]);
    } finally {
      listeners.restore();
    }
  });

  it('rebuilds the waiting frame when sdk-url, bridge-url or sandbox changes', async () => {
    const { el, log } = preloaded();
    await log.until('widget-ready');
    const changes: [string, (widget: WinkWidget) => void][] = [
      ['sdk-url', (widget) => (widget.sdkUrl = `${DOUBLE_URL}?again`)],
      ['bridge-url', (widget) => (widget.bridgeUrl = '/test/hosted-bridge.html')],
      ['sandbox', (widget) => (widget.sandbox = 'allow-scripts allow-popups')],
    ];
    let count = 1;
    for (const [name, change] of changes) {
      const before = frameOf(el);
      change(el);
      await log.until('widget-ready', { count: ++count });
      const after = frameOf(el)!;
      expect(after, name).not.to.equal(before);
      expect(el.shadowRoot!.querySelectorAll('iframe').length, name).to.equal(1);
    }
    const frame = frameOf(el)!;
    expect(frame.name.endsWith(`${DOUBLE_URL}?again`)).to.equal(true);
    expect(frame.getAttribute('src')).to.equal('/test/hosted-bridge.html');
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts allow-popups');
    void el.show();
    await log.until('account-connected');
  });

  it('opens in a frame of the new container when modal changes in the same turn as show()', async () => {
    const { el, log } = preloaded();
    await log.until('widget-ready');
    const waiting = frameOf(el);
    el.modal = true;
    void el.show();
    await log.until('account-connected');
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.querySelector('iframe')).not.to.equal(waiting);
    expect(log.types.filter((type) => type === 'widget-error')).to.deep.equal([]);
  });

  it('reports a failed preload with the launch code, tries no more, and show() then launches on its own', async () => {
    const { el, log } = preloaded((widget) => (widget.sdkUrl = '/test/fixtures/no-such-sdk.js'));
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('SDK_LOAD_FAILED');
    expect(error.detail.message).to.match(/^preload: cannot load .*no-such-sdk\.js$/);
    expect(el.state, 'no session failed').to.equal('idle');
    await el.updateComplete;
    expect(frameOf(el)).to.equal(null);
    expect(el.ready).to.equal(false);
    const result = await el.show();
    expect(result.error?.code).to.equal('SDK_LOAD_FAILED');
    expect(result.error?.message).not.to.contain('preload');
    expect(el.state).to.equal('error');
    expect(log.types).to.deep.equal(['widget-error', 'widget-error']);
  });
});

describe("the element guide's preload snippet", () => {
  it('as written, enables the button once the frame is ready, and opens at the click', async () => {
    const guide = await (await fetch('/docs/element.md')).text();
    const block = guide
      .slice(guide.indexOf('## Preloading: the widget appears as the click lands'))
      .match(/```html\n([\s\S]*?)```/)?.[1];
    expect(block, 'the guide has the snippet').to.be.a('string');
    const [markup, script] = [
      block!.replace(/<script[\s\S]*<\/script>/, ''),
      block!.match(/<script[^>]*>([\s\S]*)<\/script>/)![1],
    ];
    const template = document.createElement('template');
    template.innerHTML = markup;
    const widget = template.content.querySelector('wink-widget')!;
    // Offline: the SDK double stands in for Smile's SDK.
    widget.setAttribute('sdk-url', DOUBLE_URL);
    expect(template.content.querySelector('button')!.disabled, 'disabled until ready').to.equal(true);
    const host = document.createElement('div');
    host.append(template.content);
    document.body.append(host);
    const el = host.querySelector('wink-widget')!;
    const log = new EventLog(el);
    const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
    try {
      await import(/* @vite-ignore */ url);
      await log.until('widget-ready');
      const link = host.querySelector('button')!;
      expect(link.disabled, 'enabled by widget-ready').to.equal(false);
      link.click();
      await log.until('widget-open');
      expect(el.state).to.equal('open');
      el.close();
    } finally {
      URL.revokeObjectURL(url);
      host.remove();
    }
  });
});
