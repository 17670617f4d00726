// The bridge page is a constant, its exported CSP hash is right, and a strict-CSP page that
// allows just that hash runs it.
import { expect } from '@open-wc/testing';
import { BRIDGE_CSP_HASH, BRIDGE_HTML, createBridgeHtml } from '../../src/index.js';
import { CALLBACK_NAMES, PROTOCOL_VERSION } from '../../src/protocol.js';
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
      v: PROTOCOL_VERSION,
    });
    expect(
      await firstMessage(withPolicy(`script-src 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='`), 500),
    ).to.equal('silent');
  });

  it('is the same constant page for every launch: no token, template id or URL is put in it', async () => {
    const first = mountWidget({ token: 'tok-first', configure: (el) => (el.templateId = 'wtpl-first') });
    const second = mountWidget({ token: 'tok-second', configure: (el) => (el.templateId = 'wtpl-second') });
    await Promise.all([first.log.until('widget-open'), second.log.until('widget-open')]);
    const names = [];
    for (const { el } of [first, second]) {
      const iframe = el.shadowRoot!.querySelector('iframe')!;
      expect(iframe.getAttribute('srcdoc')).to.equal(BRIDGE_HTML);
      // The SDK's URL reaches the bridge in the frame's name, after a nonce: never the token.
      const [nonce, url, ...rest] = iframe.name.split(' ');
      expect(nonce).to.match(/^\d+$/);
      expect(url).to.equal(el.sdkUrl);
      expect(rest).to.deep.equal([]);
      names.push(iframe.name);
    }
    expect(names[0]).not.to.equal(names[1]);
    expect(BRIDGE_HTML).not.to.match(/https?:|tok-|wtpl-/);
  });

  it('ships dist/bridge.html, for bridge-url, as createBridgeHtml writes it for Smile’s SDK origin', async () => {
    const shipped = await (await fetch('/dist/bridge.html')).text();
    expect(shipped).to.equal(createBridgeHtml().html);
    expect(shipped).to.contain('content="https://web.smileapi.io"');
  });

  it('takes its channel only from its parent, and only once; then loads, launches and relays in batches', async () => {
    // A same-origin sibling answers the bridge's handshake before its parent does; accepting it
    // would hand the sibling the channel, and with it the launch and every callback.
    const doubleUrl = new URL('/test/fixtures/sdk-double.js', location.href).href;
    const bridge = document.createElement('iframe');
    bridge.setAttribute('sandbox', 'allow-scripts');
    bridge.name = `12345 ${doubleUrl}`;
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
      const fromSibling = (what: 'sent' | 'heard') =>
        new Promise<unknown>((resolve) =>
          addEventListener('message', function onSibling(event) {
            if (event.source !== sibling.contentWindow || !(what in (event.data as object))) return;
            removeEventListener('message', onSibling);
            resolve((event.data as Record<string, unknown>)[what]);
          }),
        );
      const sent = fromSibling('sent');
      const heardBySibling = fromSibling('heard');
      sibling.srcdoc = `<script>
        const channel = new MessageChannel();
        const heard = [];
        channel.port1.onmessage = (event) => heard.push(event.data);
        parent.frames[0].postMessage({ wink: 'connect', v: ${PROTOCOL_VERSION} }, '*', [channel.port2]);
        channel.port1.postMessage({ wink: 'launch', v: ${PROTOCOL_VERSION}, config: { play: [['onClose', 'forged']] }, callbacks: ['onClose'] });
        parent.postMessage({ sent: true }, '*');
        // What its port heard, once the parent's session has had time to run.
        setTimeout(() => parent.postMessage({ heard }, '*'), 1000);
      </script>`;
      document.body.append(sibling);
      const received: unknown[] = [];
      const channel = new MessageChannel();
      const closed = new Promise<void>((resolve) => {
        channel.port1.onmessage = (event) => {
          expect(event.data, 'a batch').to.be.an('array');
          received.push(...(event.data as unknown[]));
          if ((event.data as { name?: unknown }[]).some((message) => message.name === 'onClose')) resolve();
        };
      });
      // The sibling went first; the parent's own handshake still takes the channel.
      await sent;
      bridge.contentWindow!.postMessage({ wink: 'connect', v: PROTOCOL_VERSION }, '*', [channel.port2]);
      const again = new MessageChannel();
      bridge.contentWindow!.postMessage({ wink: 'connect', v: PROTOCOL_VERSION }, '*', [again.port2]);
      again.port1.onmessage = (event) => received.push({ second: event.data as unknown });
      channel.port1.postMessage({
        wink: 'launch',
        v: PROTOCOL_VERSION,
        config: { play: [['onClose', 'real']], playDuringOpen: [['onUIEvent', 'during open']] },
        callbacks: CALLBACK_NAMES,
      });
      await closed;
      const v = PROTOCOL_VERSION;
      expect(received).to.deep.equal([
        { wink: 'loaded', v },
        // Fired inside open(): it follows `opened`, in the same batch.
        { wink: 'opened', v },
        { wink: 'callback', v, name: 'onUIEvent', args: ['during open'] },
        { wink: 'callback', v, name: 'onClose', args: ['real'] },
      ]);
      expect(await heardBySibling, 'the sibling heard nothing on its port').to.deep.equal([]);
    } finally {
      bridge.remove();
      sibling.remove();
    }
  });
});
