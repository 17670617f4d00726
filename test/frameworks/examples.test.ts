// Each framework example, as its own page: the app mounts, a person opens the widget and connects
// an account on the simulator, and the app's own handlers show what they received.
import { expect } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import type { WinkWidget } from '../../src/index.js';
import { click, press, setViewport, typeInto } from '../support/simulator.js';
import { EventLog } from '../support/widget.js';

/** Resolves once `condition()` holds, checked at each change of `root`'s DOM; rejects after `timeout` ms. */
function whenDom(root: Node, condition: () => boolean, what: string, timeout = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => check());
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${what} within ${timeout} ms`));
    }, timeout);
    const check = () => {
      if (!condition()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
    check();
  });
}

/** Loads an example page in a frame and resolves once its app has drawn its button. */
async function loadExample(framework: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'display:block;border:0;width:880px;height:860px';
  document.body.prepend(frame);
  await new Promise((resolve) => {
    frame.addEventListener('load', resolve, { once: true });
    frame.src = `/demo/frameworks/${framework}/index.html`;
  });
  const page = frame.contentDocument!;
  await whenDom(page, () => Boolean(page.querySelector('button')), `the ${framework} app never drew its button`);
  return frame;
}

/** A real mouse click on an element of the example page. */
async function clickInPage(frame: HTMLIFrameElement, element: Element) {
  const outer = frame.getBoundingClientRect();
  const inner = element.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(outer.x + inner.x + inner.width / 2), Math.round(outer.y + inner.y + inner.height / 2)],
  });
}

describe('framework examples', function () {
  this.timeout(20000);

  before(() => setViewport({ width: 1000, height: 900 }));

  for (const framework of ['html', 'vue', 'react', 'svelte', 'angular']) {
    it(`${framework}: the app's handlers receive account-connected and widget-close`, async () => {
      const frame = await loadExample(framework);
      try {
        const page = frame.contentDocument!;
        const widget = page.querySelector<WinkWidget>('wink-widget')!;
        // An observer of our own, to compare the app's output with what the element dispatched.
        const log = new EventLog(widget);
        expect(widget.open).to.equal(false);
        await clickInPage(frame, page.querySelector('button')!);
        await log.until('ui-event');
        expect(widget.open).to.equal(true);
        await click('[data-action="continue"]');
        await click('[data-provider="northwind"]');
        await typeInto('input[name="username"]', 'ryan1234@smileapi.io');
        await typeInto('input[name="password"]', '654321');
        await press('Enter');
        const connected = await log.until('account-connected');
        await click('[data-action="done"]');
        await log.until('widget-close');

        const { accountId, userId, providerId } = connected.detail;
        expect(providerId).to.equal('northwind');
        const rendered = () =>
          [...page.querySelectorAll('li')].map((item) => item.textContent.trim().replace(/\s+/g, ' '));
        const status = () => page.querySelector('[role="status"]:not([hidden])')?.textContent?.trim();
        // Frameworks render on their own schedule: wait for the handlers' output to reach the DOM.
        await whenDom(page, () => status() === 'Closed: exit', 'the app never showed its close status').catch(() => {});
        expect(rendered()).to.deep.equal([`Connected northwind · ${accountId} · ${userId}`]);
        expect(status()).to.equal('Closed: exit');
        expect(widget.open).to.equal(false);
        expect(widget.getAttribute('template-id')).to.equal(`wtpl-${framework}-example`);
        if (framework === 'vue') {
          // Smile's TASK_FINISHED for the account just connected, through the package's receiver
          // and its event stream to the page of the session's user.
          const dataReady = () => page.querySelector('.data-ready')?.textContent?.trim();
          const sent = await fetch('/test/events/send', {
            method: 'POST',
            body: JSON.stringify({
              type: 'TASK_FINISHED',
              data: {
                userId,
                sourceId: accountId,
                status: 'SUCCEEDED',
                datapoints: ['INCOMES'],
                providers: [providerId],
              },
            }),
          });
          expect(((await sent.json()) as { status: number }).status).to.equal(200);
          await whenDom(page, () => dataReady() !== undefined, 'the app never showed the data ready', 10000);
          expect(dataReady()).to.equal('Payroll data ready: INCOMES');
        }
      } finally {
        frame.remove();
      }
    });
  }
});
