// The demo page as a newcomer uses it, in every engine: its scenario buttons and the real-SDK path
// when the real SDK cannot load. The page runs in a frame of the test page, on the demo's API.
import { expect } from '@open-wc/testing';
import type { WinkWidget } from '../../src/index.js';
import { EventLog } from '../support/widget.js';

/** Loads the demo in a frame; resolves once its script has set the widget up. */
async function openDemo() {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 1000px; height: 900px; border: 0';
  frame.src = '/demo/index.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const page = () => frame.contentDocument!;
  const badge = () => page().querySelector('#mode')?.textContent ?? '';
  await waitFor(() => badge() !== '' && badge() !== 'Starting…', 'the demo to start', page);
  const widget = page().querySelector<WinkWidget>('#widget')!;
  return { frame, page, badge, widget, log: new EventLog(widget) };
}

/** Resolves once `condition` holds, checked at each change of the frame's page; bounded. */
function waitFor(condition: () => boolean, what: string, root: () => Node = () => document, timeout = 10000) {
  return new Promise<void>((resolve, reject) => {
    if (condition()) return resolve();
    const observer = new MutationObserver(() => {
      if (!condition()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    observer.observe(root(), { subtree: true, childList: true, characterData: true, attributes: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`Gave up waiting for ${what}`));
    }, timeout);
  });
}

describe('the demo page', () => {
  let frame: HTMLIFrameElement | undefined;
  afterEach(() => frame?.remove());

  it('plays the token-expired scenario once: the relaunch on a fresh token is the plain flow', async function () {
    this.timeout(30000);
    const demo = await openDemo();
    frame = demo.frame;
    demo.page().querySelector<HTMLButtonElement>('[data-scenario="token-expired"]')!.click();
    await demo.log.until('token-expired', { timeout: 15000 });
    // The relaunch: a new SDK instance, on the consent screen, launched with no scenario in its
    // options. The simulator plays a scenario only from `options.simulator` (its own suite tests
    // that), so this launch cannot replay the expiry.
    const relaunched = await demo.log.until('widget-open', { count: 2, timeout: 10000 });
    expect(demo.widget.options?.simulator).to.equal(undefined);
    // The screens before the relaunch were the scenario's; the next one is the relaunch's first.
    const before = demo.log.entries.slice(0, demo.log.entries.indexOf(relaunched));
    const screensBefore = before.filter((entry) => entry.type === 'ui-event').length;
    const first = await demo.log.until('ui-event', { count: screensBefore + 1 });
    expect(first.detail.eventName).to.equal('ConsentPageOpened');
    expect(demo.log.of('token-expired')).to.have.length(1);
    expect(demo.widget.state).to.equal('open');
    // The person is told why the widget started over.
    const notice = demo.page().querySelector<HTMLElement>('#notice')!;
    expect(notice.hidden).to.equal(false);
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.contain('session expired');
    expect(notice.textContent).to.contain('started again');
    // And the notice goes when the person opens the widget themselves.
    demo.widget.close();
    demo.page().querySelector<HTMLButtonElement>('#open-inline')!.click();
    expect(notice.hidden).to.equal(true);
  });

  it('goes back to the simulator when a pasted token meets a real SDK that cannot load', async function () {
    this.timeout(30000);
    const demo = await openDemo();
    frame = demo.frame;
    const input = demo.page().querySelector<HTMLInputElement>('#pasted-token')!;
    input.value = 'a-real-looking-token';
    demo.page().querySelector<HTMLFormElement>('#paste-token')!.requestSubmit();
    const error = await demo.log.until('widget-error', { timeout: 10000 });
    expect(error.detail.code).to.equal('SDK_LOAD_FAILED');
    await waitFor(() => demo.badge().includes('did not load'), 'the badge to say so', demo.page);
    expect(demo.page().querySelector('#mode')!.classList.contains('real')).to.equal(false);
    expect(demo.widget.open, 'no empty widget is left open').to.equal(false);
    const scenarios = [...demo.page().querySelectorAll<HTMLButtonElement>('#scenario-buttons button')];
    expect(scenarios.length).to.be.above(0);
    expect(scenarios.every((button) => !button.disabled)).to.equal(true);
    // And the simulator opens again, with a token of its own.
    demo.page().querySelector<HTMLButtonElement>('#open-inline')!.click();
    await demo.log.until('widget-open');
    const screen = await demo.log.until('ui-event');
    expect(screen.detail.eventName).to.equal('ConsentPageOpened');
    expect(demo.widget.token).to.equal(undefined);
  });
});
