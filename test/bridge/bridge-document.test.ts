// The bridge page is a constant, its exported CSP hash is right, and a strict-CSP page that
// allows just that hash runs it.
import { expect } from '@open-wc/testing';
import { BRIDGE_CSP_HASH, BRIDGE_HTML } from '../../src/index.js';
import { CALLBACK_NAMES } from '../../src/protocol.js';
import { mountWidget } from '../support/widget.js';

const inlineScript = () => {
  const scripts = new DOMParser().parseFromString(BRIDGE_HTML, 'text/html').querySelectorAll('script');
  expect(scripts).to.have.length(1);
  return scripts[0].textContent;
};

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

/** Loads `srcdoc` in a same-origin frame and resolves with the first message it posts, or 'silent'. */
function firstMessage(srcdoc: string, within = 2000): Promise<unknown> {
  const frame = document.createElement('iframe');
  return new Promise<unknown>((resolve) => {
    const timer = setTimeout(() => finish('silent'), within);
    const onMessage = (event: MessageEvent) => {
      if (event.source === frame.contentWindow) finish(event.data);
    };
    const finish = (value: unknown) => {
      clearTimeout(timer);
      removeEventListener('message', onMessage);
      frame.remove();
      resolve(value);
    };
    addEventListener('message', onMessage);
    frame.srcdoc = srcdoc;
    document.body.append(frame);
  });
}

describe('bridge document', () => {
  it('exports the hash of its one inline script', async () => {
    expect(await sha256(inlineScript())).to.equal(BRIDGE_CSP_HASH);
  });

  it('runs under a CSP that allows only its hash, and is blocked under one that does not', async () => {
    const withPolicy = (policy: string) =>
      BRIDGE_HTML.replace(
        '<!doctype html>',
        `<!doctype html><meta http-equiv="Content-Security-Policy" content="${policy}">`,
      );
    expect(await firstMessage(withPolicy(`script-src ${BRIDGE_CSP_HASH}`))).to.deep.equal({
      wink: 'bridge-ready',
      v: 1,
    });
    expect(
      await firstMessage(withPolicy(`script-src 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='`), 500),
    ).to.equal('silent');
  });

  it('is the same constant page for every launch: no token, template id or URL is put in it', async () => {
    const first = mountWidget({ token: 'tok-first', configure: (el) => (el.templateId = 'wtpl-first') });
    const second = mountWidget({ token: 'tok-second', configure: (el) => (el.templateId = 'wtpl-second') });
    await Promise.all([first.log.until('widget-open'), second.log.until('widget-open')]);
    for (const { el } of [first, second]) {
      expect(el.shadowRoot!.querySelector('iframe')!.getAttribute('srcdoc')).to.equal(BRIDGE_HTML);
    }
    expect(BRIDGE_HTML).not.to.match(/https?:|tok-|wtpl-/);
  });

  it('ships the same page as dist/bridge.html for bridge-url', async () => {
    const shipped = await (await fetch('/dist/bridge.html')).text();
    expect(shipped).to.equal(BRIDGE_HTML);
  });

  it('accepts a launch only from its parent, and only once', async () => {
    // A same-origin sibling tries to launch the bridge before its parent does; accepting it would
    // use up the bridge's one launch, so the parent's real launch would never open.
    const bridge = document.createElement('iframe');
    bridge.setAttribute('sandbox', 'allow-scripts');
    bridge.srcdoc = BRIDGE_HTML;
    const ready = new Promise<void>((resolve) =>
      addEventListener('message', function onReady(event) {
        if (event.source !== bridge.contentWindow) return;
        removeEventListener('message', onReady);
        resolve();
      }),
    );
    document.body.append(bridge);
    const sibling = document.createElement('iframe');
    try {
      await ready;
      const sent = new Promise<void>((resolve) =>
        addEventListener('message', function onSent(event) {
          if (event.source !== sibling.contentWindow || event.data !== 'sent') return;
          removeEventListener('message', onSent);
          resolve();
        }),
      );
      const doubleUrl = new URL('/test/fixtures/sdk-double.js', location.href).href;
      sibling.srcdoc = `<script>
        const channel = new MessageChannel();
        parent.frames[0].postMessage({ wink: 'launch', v: 1, sdkUrl: ${JSON.stringify(doubleUrl)}, config: { play: [['onClose', 'forged']] }, callbacks: ['onClose'] }, '*', [channel.port2]);
        parent.postMessage('sent', '*');
      </script>`;
      document.body.append(sibling);
      await sent;
      const received: unknown[] = [];
      const channel = new MessageChannel();
      const closed = new Promise<void>((resolve) => {
        channel.port1.onmessage = (event) => {
          received.push(event.data);
          if ((event.data as { name?: unknown }).name === 'onClose') resolve();
        };
      });
      const launch = {
        wink: 'launch',
        v: 1,
        sdkUrl: doubleUrl,
        config: { play: [['onClose', 'real']] },
        callbacks: CALLBACK_NAMES,
      };
      bridge.contentWindow!.postMessage(launch, '*', [channel.port2]);
      const again = new MessageChannel();
      bridge.contentWindow!.postMessage({ ...launch, config: { play: [['onClose', 'second']] } }, '*', [again.port2]);
      again.port1.onmessage = (event) => received.push({ second: event.data as unknown });
      await closed;
      expect(received).to.deep.equal([
        { wink: 'opened', v: 1 },
        { wink: 'callback', v: 1, name: 'onClose', args: ['real'] },
      ]);
    } finally {
      bridge.remove();
      sibling.remove();
    }
  });
});
