// A server-rendered <wink-widget> (@lit-labs/ssr, declarative shadow DOM) put on a page, then
// defined: it hydrates its server-rendered shadow root and launches once, and only once.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { expect } from '@open-wc/testing';
import type { WinkWidget } from '../../src/index.js';

for (const modal of [false, true]) {
  it(`hydrates the ${modal ? 'modal' : 'inline'} server rendering and launches once`, async () => {
    const markup = await (await fetch(`/test/ssr?modal=${modal ? 1 : 0}`)).text();
    const container = document.createElement('div');
    container.setHTMLUnsafe(markup);
    document.body.append(container);
    try {
      const el = container.querySelector('wink-widget') as WinkWidget;
      const rendered = el.shadowRoot!;
      expect(rendered, 'declarative shadow DOM').to.not.equal(null);
      // Before the element is defined: a token as a property, and a recorder of what follows.
      el.token = 'tok-ssr';
      el.options = { play: [['onClose', 'exit']] };
      const events: string[] = [];
      let frames = 0;
      new MutationObserver((records) => {
        for (const record of records)
          frames += [...record.addedNodes].filter((node) => node.nodeName === 'IFRAME').length;
      }).observe(rendered, { childList: true, subtree: true });
      const closed = new Promise<void>((resolve) => {
        for (const type of ['widget-open', 'widget-close', 'widget-error'] as const) {
          el.addEventListener(type, () => {
            events.push(type);
            if (type !== 'widget-open') resolve();
          });
        }
      });
      await import('../../src/define.js');
      await closed;
      expect(events).to.deep.equal(['widget-open', 'widget-close']);
      expect(frames).to.equal(1);
      expect(el.shadowRoot, 'the server-rendered root is the one in use').to.equal(rendered);
      expect(rendered.querySelectorAll(modal ? 'dialog' : '[part=base]')).to.have.length(1);
    } finally {
      container.remove();
    }
  });
}
