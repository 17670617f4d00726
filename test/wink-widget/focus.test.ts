// Escape and the focus, as a keyboard user meets them: Escape inside the widget is the SDK's own
// close (the simulator reports `close`), Escape on the page's dialog is the page's (`host`), and
// either way the focus goes back to the control that opened the widget.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { WinkWidget } from '../../src/index.js';
import { SIMULATOR_URL, click } from '../support/simulator.js';
import { EventLog } from '../support/widget.js';
import '../../src/define.js';

async function openFromButton(modal: boolean) {
  const wrapper = await fixture<HTMLDivElement>(html`
    <div>
      <button id="opener">Connect payroll</button>
      <wink-widget ?modal=${modal} sdk-url=${SIMULATOR_URL} template-id="wtpl-focus"></wink-widget>
    </div>
  `);
  const button = wrapper.querySelector('button')!;
  const el = wrapper.querySelector<WinkWidget>('wink-widget')!;
  const log = new EventLog(el);
  el.token = 'tok-focus';
  button.addEventListener('click', () => void el.show());
  button.focus();
  await sendKeys({ press: 'Enter' });
  await log.until('ui-event');
  return { button, el, log };
}

for (const modal of [false, true]) {
  describe(`<wink-widget> ${modal ? 'modal' : 'inline'}: Escape and the focus`, () => {
    it('Escape inside the widget is the SDK closing (reason close), and the focus goes back to the opener', async () => {
      const { button, el, log } = await openFromButton(modal);
      await click('[data-action="continue"]');
      await log.until('ui-event', { count: 2 });
      // A person's click in a field inside the frame puts the focus there (WebKit does not focus
      // a button on a click).
      await click('input[name="search"]');
      // Chromium and Firefox now have the frame focused in the page; WebKit's WebDriver clicks leave
      // the page's focus on the button (keys still reach the frame), which the last check allows.
      await sendKeys({ press: 'Escape' });
      const closed = await log.until('widget-close');
      expect(closed.detail).to.deep.equal({ reason: 'close' });
      await el.updateComplete;
      expect(document.activeElement).to.equal(button);
    });
  });
}

describe('<wink-widget> inline: the focus after a close by the page', () => {
  it('stays where the page put it when the widget did not hold it', async () => {
    const { button, el, log } = await openFromButton(false);
    const elsewhere = document.createElement('input');
    document.body.append(elsewhere);
    try {
      elsewhere.focus();
      el.close();
      await log.until('widget-close');
      expect(document.activeElement).to.equal(elsewhere);
      expect(document.activeElement).not.to.equal(button);
    } finally {
      elsewhere.remove();
    }
  });
});
